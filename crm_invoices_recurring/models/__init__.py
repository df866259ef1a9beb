from . import account_move
from . import contract_contract
from . import contract_line
from . import crm_invoices_api
from . import crm_invoices_overview
from . import payment_transaction
from . import res_company
from . import res_config_settings
