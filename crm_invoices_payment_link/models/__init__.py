from . import account_move
from . import account_move_send
from . import crm_invoices_api
from . import crm_invoices_pay_link
from . import payment_provider
from . import payment_transaction
from . import res_company
from . import res_config_settings
