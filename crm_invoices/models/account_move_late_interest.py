from odoo import fields, models

from ..lib import late_interest


class AccountMove(models.Model):
    """Late-payment interest and the recovery compensation (Law 72/2013) of
    customer invoices, for the companies that claim them."""

    _inherit = "account.move"

    def _crm_late_invoices(self):
        return self.filtered(
            lambda move: (
                move.move_type == "out_invoice"
                and move.state == "posted"
                and move.invoice_date_due
                and move.company_id.crm_late_interest
            )
        )

    def _crm_late_interest(self, until=None):
        """``{invoice id: late_interest.Interest}`` up to ``until`` (today by
        default): per day of delay on what was left to pay that day, the
        payments and credit notes set against the invoice counted from their
        date (the later of the two entries), across the reference rates of
        :class:`crm.invoices.reference.rate`.  Only the invoices of companies
        that claim interest; none is owed on an invoice not yet due.

        :raises late_interest.MissingRate: a half-year of the delay has no rate.
        """
        until = until or fields.Date.context_today(self)
        invoices = self._crm_late_invoices()
        if not invoices:
            return {}
        rates = self.env["crm.invoices.reference.rate"]._crm_table()
        result = {}
        for move in invoices:
            partials = move.line_ids._crm_receivable().matched_credit_ids
            settlements = [
                (partial.max_date, partial.debit_amount_currency)
                for partial in partials
                if partial.max_date <= until
            ]
            result[move.id] = late_interest.late_interest(
                move.amount_total, move.invoice_date_due, settlements, until, rates
            )
        return result

    def _crm_late_compensation(self, until=None):
        """``{invoice id: the fixed compensation in the invoice's currency}``
        of the invoices paid (or still owed) after their due date, when their
        company claims it: 40 euro at the rate of the day after the due date."""
        until = until or fields.Date.context_today(self)
        euro = self.env.ref("base.EUR")
        result = {}
        for move_id, interest in self._crm_late_interest(until).items():
            move = self.browse(move_id)
            if not (move.company_id.crm_late_compensation and interest.periods):
                continue
            day = interest.periods[0].start
            rate = euro._get_conversion_rate(
                euro, move.currency_id, move.company_id, day
            )
            result[move.id] = late_interest.compensation(rate)
        return result
