from . import test_access
from . import test_ar_report
from . import test_bulk_actions
from . import test_controllers
from . import test_invoice_status
from . import test_overdue_job
from . import test_sale_invoice
from . import test_tour
