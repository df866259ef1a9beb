from odoo import fields, models


class AccountMoveLine(models.Model):
    _name = "account.move.line"
    _inherit = ["account.move.line", "crm.invoices.export.mixin"]

    crm_is_adjustment = fields.Boolean(
        string="Adjustment",
        copy=True,
        help="The line that carries the invoice's adjustment (Perfex): a signed "
        "amount without tax, added to the total.",
    )
