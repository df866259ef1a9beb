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

    def _crm_items(self):
        """The lines of ``self`` that are the API's items: product lines, the
        adjustment line aside (Perfex's items are what the customer bought)."""
        return self.filtered(
            lambda line: line.display_type == "product" and not line.crm_is_adjustment
        )

    def _crm_receivable(self):
        """The receivable lines of ``self``: what a customer owes, and what
        payments and credit notes are set against."""
        return self.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
