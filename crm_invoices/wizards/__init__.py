from . import crm_invoices_api_token_show
from . import crm_invoices_reminder_send
from . import crm_invoices_bulk_confirm
from . import account_move_send_wizard
from . import crm_invoices_webhook_secret
