from odoo import api, models


class CrmInvoicesWebhookEvent(models.Model):
    _inherit = "crm.invoices.webhook.event"

    @api.model
    def _crm_catalogue(self):
        catalogue = super()._crm_catalogue()
        catalogue.setdefault("pay_links", {})["pay_link.paid"] = (
            "The customer paid online through a pay link or a statement link"
        )
        return catalogue
