import logging
from datetime import timedelta

from odoo import api, fields, models

from ..lib import invoice_status as status_rules
from ..lib import late_interest

_logger = logging.getLogger(__name__)


class AccountMove(models.Model):
    """Late-payment interest and the recovery compensation (Law 72/2013) of
    customer invoices, for the companies that claim them."""

    _name = "account.move"
    _inherit = ["account.move", "crm.invoices.guarded.mixin"]

    crm_late_charge_invoice = fields.Boolean(
        string="Late-Payment Charges Invoice",
        readonly=True,
        copy=False,
        help="An invoice of late-payment interest: it bears no interest itself.",
    )
    crm_late_charge_ids = fields.One2many(
        "crm.invoices.late.charge",
        "move_id",
        string="Late-Payment Charges",
        readonly=True,
    )
    crm_late_interest_amount = fields.Monetary(
        string="Late Interest To Date",
        compute="_compute_crm_late_interest_amount",
        help="The legal penalty interest owed on this invoice up to today and "
        "not yet invoiced (Law 72/2013), when the company claims it.",
    )

    crm_late_interest_missing = fields.Char(
        string="Late Interest Not Computed",
        compute="_compute_crm_late_interest_amount",
        help="Why no late-payment interest is shown for this late invoice: a "
        "half-year its delay runs through has no BNR reference rate yet.",
    )

    @api.model
    def _crm_guarded_fields(self):
        # an invoice of interest bears none: set by the interest job only,
        # never by a user waiving the interest of an invoice
        return super()._crm_guarded_fields() | {"crm_late_charge_invoice"}

    @api.depends("amount_residual", "invoice_date_due", "state")
    def _compute_crm_late_interest_amount(self):
        today = fields.Date.context_today(self)
        missing = {}
        amounts = self._crm_late_interest_unbilled(today, missing)
        for move in self:
            move.crm_late_interest_amount = amounts.get(move.id, 0.0)
            gap = missing.get(move.id)
            move.crm_late_interest_missing = (
                self.env._(
                    "No BNR reference rate for %(year)s H%(half)s: the interest of "
                    "this invoice is not computed until an AR manager enters it "
                    "(Invoices > Configuration > BNR Reference Rates).",
                    year=gap.year,
                    half=gap.half,
                )
                if gap
                else False
            )

    def _crm_late_invoices(self):
        """Those of ``self`` that may bear interest
        (:func:`~..lib.invoice_status.interest_bearing_domain`)."""
        return self.filtered_domain(status_rules.interest_bearing_domain())

    def _crm_late_interest_between(self, start, end, rates=None):
        """The interest of the days ``start``..``end`` on this invoice
        (:func:`late_interest.interest_between`)."""
        self.ensure_one()

        def owed(until):
            interest = self._crm_late_interest(until, rates).get(self.id)
            return interest.total if interest else 0

        return late_interest.interest_between(owed, start, end, self.invoice_date_due)

    def _crm_late_interest_start(self, charged_until=None):
        """The first day of this invoice's interest not invoiced yet: the
        day after its due date, not before the day its company invoices
        interest from, and after the last day charged (``charged_until``)."""
        self.ensure_one()
        start = self.invoice_date_due + timedelta(days=1)
        company = self.company_id
        if company.crm_late_interest_since and (
            company.crm_late_interest_invoicing != "none"
        ):
            start = max(start, company.crm_late_interest_since)
        if charged_until:
            start = max(start, charged_until + timedelta(days=1))
        return start

    def _crm_late_interest_unbilled(self, until, missing=None):
        """``{invoice id: interest}`` owed up to ``until`` and not yet
        invoiced (after the last day charged, from the day the company
        invoices interest): what reminders and statements show.  Nothing
        when a half-year lacks its rate (logged, and put in ``missing``,
        ``{invoice id: late_interest.MissingRate}``, when given)."""
        result = {}
        invoices = self._crm_late_invoices()
        if not invoices:
            return result
        rates = self.env["crm.invoices.reference.rate"]._crm_table()
        for move in invoices:
            charged = move.crm_late_charge_ids.filtered(
                lambda charge: charge.kind == "interest"
            )
            start = move._crm_late_interest_start(
                max(charged.mapped("date_to"), default=None)
            )
            try:
                amount = move._crm_late_interest_between(start, until, rates)
            except late_interest.MissingRate as gap:
                _logger.warning("No late interest for %s: %s", move.name, gap)
                if missing is not None:
                    missing[move.id] = gap
                continue
            if amount:
                result[move.id] = float(amount)
        return result

    def _crm_late_interest(self, until=None, rates=None):
        """``{invoice id: late_interest.Interest}`` up to ``until`` (today by
        default): per day of delay on what was left to pay that day, the
        payments and credit notes set against the invoice counted from their
        date (the later of the two entries), across the reference rates of
        :class:`crm.invoices.reference.rate`.  Only the invoices of companies
        that claim interest; none is owed on an invoice not yet due.

        :param rates: the table of reference rates, when the caller read it
        :raises late_interest.MissingRate: a half-year of the delay has no rate.
        """
        until = until or fields.Date.context_today(self)
        invoices = self._crm_late_invoices()
        if not invoices:
            return {}
        if rates is None:
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

    def _crm_late_compensation(self, until=None, rates=None):
        """``{invoice id: the fixed compensation in the invoice's currency}``
        of the invoices paid (or still owed) after their due date, when their
        company claims it: 40 euro at the rate of the day after the due date."""
        until = until or fields.Date.context_today(self)
        euro = self.env.ref("base.EUR")
        result = {}
        for move_id, interest in self._crm_late_interest(until, rates).items():
            move = self.browse(move_id)
            if not (move.company_id.crm_late_compensation and interest.periods):
                continue
            day = interest.periods[0].start
            rate = euro._get_conversion_rate(
                euro, move.currency_id, move.company_id, day
            )
            result[move.id] = late_interest.compensation(rate)
        return result
