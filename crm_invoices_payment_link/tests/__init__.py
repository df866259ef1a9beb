from . import test_pay_link
from . import test_pay_page
from . import test_statement_link
from . import test_pay_flows
from . import test_pay_link_outputs
from . import test_tour
from . import test_pay_link_security
from . import test_charged_once
