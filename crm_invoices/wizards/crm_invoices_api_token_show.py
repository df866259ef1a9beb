from odoo import fields, models


class CrmInvoicesApiTokenShow(models.AbstractModel):
    """Shows a new token once. Abstract: the value is never stored."""

    _name = "crm.invoices.api.token.show"
    _description = "Show a new API token"

    # the id lets the form's onchange return the defaults
    id = fields.Id()
    token = fields.Char(readonly=True)
    token_name = fields.Char(readonly=True)
