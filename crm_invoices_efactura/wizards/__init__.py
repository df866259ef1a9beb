from . import crm_efactura_export
