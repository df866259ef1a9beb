from . import crm_invoices_efactura_export
