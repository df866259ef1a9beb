from . import pay
from . import pay_statement
from . import portal
