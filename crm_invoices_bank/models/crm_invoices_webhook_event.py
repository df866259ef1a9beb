from odoo import api, models


class CrmInvoicesWebhookEvent(models.Model):
    _inherit = "crm.invoices.webhook.event"

    @api.model
    def _crm_catalogue(self):
        catalogue = super()._crm_catalogue()
        catalogue.setdefault("bank", {})["bank_line.reconciled"] = (
            "A bank statement line paid the invoice"
        )
        return catalogue
