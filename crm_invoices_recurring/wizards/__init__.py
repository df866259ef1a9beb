from . import crm_invoices_make_recurring
