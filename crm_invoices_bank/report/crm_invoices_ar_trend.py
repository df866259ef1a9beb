from odoo import fields, models
from odoo.tools import SQL


class CrmInvoicesArTrend(models.Model):
    """In the AR trend, money that came by a bank statement line matched to
    the invoice counts as collected by bank transfer (as ``crm_paid_by_bank``
    says of an invoice)."""

    _inherit = "crm.invoices.ar.trend"

    collected_bank = fields.Monetary(
        string="Collected by Bank Transfer",
        currency_field="currency_id",
        readonly=True,
        help="Bank statement lines matched to the invoices by the bank addon.",
    )

    def _trend_channels(self):
        return {
            **super()._trend_channels(),
            "bank": SQL("counterpart.statement_line_id IS NOT NULL"),
        }
