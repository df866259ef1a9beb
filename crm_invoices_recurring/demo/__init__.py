from . import crm_invoices_demo
