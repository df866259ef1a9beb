from odoo import fields, models
from odoo.tools import SQL


class CrmInvoicesArTrend(models.Model):
    """In the AR trend, money paid through an online payment provider (a pay
    link or the portal) counts as collected by pay link, and the month of a
    company's first pay link is marked."""

    _inherit = "crm.invoices.ar.trend"

    collected_pay_link = fields.Monetary(
        string="Collected by Pay Link",
        currency_field="currency_id",
        readonly=True,
        help="Paid online through a pay link or the customer portal.",
    )
    pay_links_started = fields.Integer(
        readonly=True,
        aggregator="max",
        help="1 in the month the company made its first pay link: where "
        "collection by pay links began.",
    )

    _depends = {
        "crm.invoices.pay.link": ["move_id", "create_date"],
        "payment.transaction": ["state", "operation"],
        "account.payment": ["payment_transaction_id"],
    }

    def _trend_markers(self):
        return {
            **super()._trend_markers(),
            "pay_links_started": SQL(
                "SELECT move.company_id, MIN(link.create_date)::date"
                " FROM crm_invoices_pay_link link"
                " JOIN account_move move ON move.id = link.move_id"
                " GROUP BY move.company_id"
            ),
        }

    def _trend_channels(self):
        return {
            **super()._trend_channels(),
            "pay_link": SQL(
                """EXISTS (
                       SELECT 1 FROM account_payment payment
                        JOIN payment_transaction tx
                          ON tx.id = payment.payment_transaction_id
                       WHERE payment.id = counterpart.origin_payment_id
                         AND tx.state = 'done' AND tx.operation != 'validation'
                   )"""
            ),
        }
