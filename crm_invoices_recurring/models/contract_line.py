from odoo import fields, models
from odoo.fields import Command


class ContractLine(models.Model):
    """A line of a schedule repeating an invoice keeps the taxes the
    invoice's line had (``contract`` leaves them to the product's)."""

    _inherit = "contract.line"

    crm_tax_ids = fields.Many2many(
        "account.tax",
        string="Taxes",
        domain=[("type_tax_use", "=", "sale")],
        check_company=True,
        help="The taxes of the invoice line it repeats; empty: the product's.",
    )
    crm_keep_taxes = fields.Boolean(
        string="Keep Taxes",
        default=False,
        help="Repeat the invoice line's taxes, even none.",
    )

    def _prepare_invoice_line(self):
        values = super()._prepare_invoice_line()
        if values and self.crm_keep_taxes:
            values["tax_ids"] = [Command.set(self.crm_tax_ids.ids)]
        return values
