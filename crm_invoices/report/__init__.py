from . import crm_invoices_ar_report
from . import crm_invoices_reminder_report
from . import crm_invoices_ar_trend
