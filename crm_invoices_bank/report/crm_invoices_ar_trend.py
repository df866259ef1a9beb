from odoo import models
from odoo.tools import SQL


class CrmInvoicesArTrend(models.Model):
    """In the AR trend, money that came by a bank statement line matched to
    the invoice counts as collected by bank transfer (as ``crm_paid_by_bank``
    says of an invoice)."""

    _inherit = "crm.invoices.ar.trend"

    def _trend_channel_sql(self):
        return SQL(
            "CASE WHEN counterpart.statement_line_id IS NOT NULL THEN 'bank'"
            " ELSE %s END",
            super()._trend_channel_sql(),
        )
