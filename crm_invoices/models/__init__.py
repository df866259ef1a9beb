from . import account_move
from . import crm_invoices_demo
from . import res_partner
from . import sale_order
