from . import pay
from . import portal
