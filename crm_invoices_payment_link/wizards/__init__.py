from . import crm_invoices_bulk_confirm
