from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.crm_invoices.report.crm_invoices_ar_report import (
    CrmInvoicesArReport as ArReport,
)


class CrmInvoicesArReport(models.Model):
    """AR metrics of online payment: the share of invoices paid online, and
    how long invoices take to be paid, online and otherwise (medians)."""

    _inherit = "crm.invoices.ar.report"

    paid_count = fields.Integer(string="Invoices Paid", readonly=True)
    paid_online_count = fields.Integer(string="Paid Online", readonly=True)
    online_rate = fields.Float(
        string="Paid Online (%)",
        readonly=True,
        digits=(16, 1),
        help="Invoices paid through an online payment provider / invoices paid.",
    )
    days_to_payment_online = fields.Integer(
        string="Days to Payment (Online)", readonly=True, aggregator="avg"
    )
    days_to_payment_other = fields.Integer(
        string="Days to Payment (Other)", readonly=True, aggregator="avg"
    )
    median_days_online = fields.Float(
        string="Median Days to Payment (Online)",
        readonly=True,
        digits=(16, 1),
        help="From the invoice date to the payment, for invoices paid online.",
    )
    median_days_other = fields.Float(
        string="Median Days to Payment (Other)",
        readonly=True,
        digits=(16, 1),
        help="From the invoice date to the payment, for invoices paid otherwise.",
    )

    _ratio_measures = {
        **ArReport._ratio_measures,
        "online_rate": ("paid_online_count", "paid_count", 100),
    }
    _median_measures = {
        "median_days_online": "days_to_payment_online",
        "median_days_other": "days_to_payment_other",
    }
    _depends = {
        "account.move": [*ArReport._depends["account.move"], "crm_paid_online"],
    }

    def _ar_columns(self):
        columns = super()._ar_columns()
        paid = SQL(
            "(move.move_type = 'out_invoice' AND move.crm_date_paid IS NOT NULL)"
        )
        online = SQL("(%s AND move.crm_paid_online IS TRUE)", paid)
        other = SQL("(%s AND move.crm_paid_online IS NOT TRUE)", paid)
        days = SQL("(move.crm_date_paid - move.invoice_date)")
        columns.update(
            {
                "paid_count": SQL("%s::int", paid),
                "paid_online_count": SQL("%s::int", online),
                "online_rate": SQL("CASE WHEN %s THEN 100 * %s::int END", paid, online),
                "days_to_payment_online": SQL("CASE WHEN %s THEN %s END", online, days),
                "days_to_payment_other": SQL("CASE WHEN %s THEN %s END", other, days),
                "median_days_online": SQL("CASE WHEN %s THEN %s END", online, days),
                "median_days_other": SQL("CASE WHEN %s THEN %s END", other, days),
            }
        )
        return columns
