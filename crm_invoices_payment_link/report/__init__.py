from . import crm_invoices_ar_report
