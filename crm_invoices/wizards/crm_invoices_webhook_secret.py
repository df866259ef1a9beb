from odoo import fields, models


class CrmInvoicesWebhookSecret(models.AbstractModel):
    """Shows a webhook's new signing secret once. Abstract: never stored
    here (the webhook keeps it, readable by administrators only)."""

    _name = "crm.invoices.webhook.secret"
    _description = "Show a webhook's new secret"

    # the id lets the form's onchange return the defaults
    id = fields.Id()
    secret = fields.Char(readonly=True)
