from . import crm_invoices_reminder_send
