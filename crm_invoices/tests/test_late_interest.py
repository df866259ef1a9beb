from datetime import date
from decimal import Decimal

from odoo.tests import tagged

from ..lib.late_interest import MissingRate
from .common import CrmInvoicesCommon


@tagged("post_install", "-at_install")
class TestLateInterest(CrmInvoicesCommon):
    """The worked examples of the README, on invoices, payments and credit
    notes, with the reference rates the addon ships (2025: 6.50 %)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.crm_late_interest = True
        cls.invoice = cls.make_invoice(
            10_000, invoice_date=date(2025, 3, 1), due_date=date(2025, 3, 31)
        )

    def interest(self, invoice, until):
        return invoice._crm_late_interest(until)[invoice.id]

    def test_off_by_default_and_per_company(self):
        self.assertFalse(self.env["res.company"].new({}).crm_late_interest)
        self.env.company.crm_late_interest = False
        self.assertEqual(self.invoice._crm_late_interest(date(2025, 4, 30)), {})

    def test_partial_payments_from_the_day_after_they_are_made(self):
        # 1-10 April on 10,000, 11-30 April on 6,000, at 6.50 + 8 = 14.50 %
        self.pay(self.invoice, 4_000, date(2025, 4, 10))
        self.pay(self.invoice, 6_000, date(2025, 4, 30))
        result = self.interest(self.invoice, date(2025, 12, 31))
        self.assertEqual(result.total, Decimal("87.40"))
        self.assertEqual(result.days, 30)
        # asked for before the second payment, only what was owed by then
        self.assertEqual(
            self.interest(self.invoice, date(2025, 4, 20)).total,
            Decimal("63.56"),  # 39.7260 + 6,000 x 14.50 % x 10 / 365 = 23.8356
        )

    def test_a_credit_note_on_the_due_date_lowers_what_bears_interest(self):
        refund = self.make_invoice(
            2_000,
            invoice_date=date(2025, 3, 31),
            due_date=date(2025, 3, 31),
            move_type="out_refund",
        )
        (self.invoice + refund).line_ids._crm_receivable().reconcile()
        result = self.interest(self.invoice, date(2025, 4, 30))
        self.assertEqual(result.total, Decimal("95.34"))  # 8,000 x 14.50 % x 30/365

    def test_nothing_before_the_due_date_and_a_missing_half_year_is_said(self):
        self.assertEqual(self.interest(self.invoice, date(2025, 3, 31)).total, 0)
        late = self.make_invoice(
            1_000, invoice_date=date(2026, 11, 1), due_date=date(2026, 12, 1)
        )
        with self.assertRaises(MissingRate) as missing:
            late._crm_late_interest(date(2027, 1, 10))
        self.assertEqual((missing.exception.year, missing.exception.half), (2026, 2))
        self.env["crm.invoices.reference.rate"].create(
            [
                {"year": 2026, "half": "2", "rate": 6.5},
                {"year": 2027, "half": "1", "rate": 6.5},
            ]
        )
        # 2-31 December 2026 and 1-10 January 2027: 40 days x 1,000 x 14.50 % / 365
        self.assertEqual(self.interest(late, date(2027, 1, 10)).total, Decimal("15.89"))

    def test_the_recovery_compensation_is_40_euro_once_when_claimed(self):
        euro = self.euro_at(4.9771, date(2025, 1, 1))
        self.assertNotEqual(self.env.company.currency_id, euro)
        self.assertEqual(self.invoice._crm_late_compensation(date(2025, 4, 30)), {})
        self.env.company.crm_late_compensation = True
        compensation = self.invoice._crm_late_compensation(date(2025, 4, 30))
        self.assertEqual(compensation, {self.invoice.id: Decimal("199.08")})
        on_time = self.make_invoice(
            500, invoice_date=date(2025, 3, 1), due_date=date(2025, 3, 31)
        )
        self.pay(on_time, 500, date(2025, 3, 31))
        self.assertNotIn(on_time.id, on_time._crm_late_compensation(date(2025, 4, 30)))
