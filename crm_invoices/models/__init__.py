from . import crm_invoices_ratio_mixin
from . import account_move
from . import crm_invoices_demo
from . import crm_invoices_reminder
from . import crm_invoices_reminder_level
from . import res_company
from . import res_partner
from . import sale_order
