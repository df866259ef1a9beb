from odoo import api, models


class CrmInvoicesWebhookEvent(models.Model):
    _inherit = "crm.invoices.webhook.event"

    @api.model
    def _crm_catalogue(self):
        catalogue = super()._crm_catalogue()
        catalogue.setdefault("efactura", {}).update(
            {
                "efactura.accepted": "ANAF accepted the e-Factura",
                "efactura.rejected": "ANAF rejected the e-Factura",
            }
        )
        return catalogue
