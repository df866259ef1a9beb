from . import crm_invoices_ar_trend
