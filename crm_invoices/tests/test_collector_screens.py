from datetime import date

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from .common import CrmInvoicesCommon


@tagged("post_install", "-at_install")
class TestCollectorScreens(CrmInvoicesCommon):
    """What the collector reads on the invoices: signed money in the
    invoice's currency, never summed across currencies; an invoice its
    credit notes settle is *credited*; a credit note names the invoices it
    credits; interest that cannot be computed says why."""

    def test_a_credit_note_reads_as_owed_by_the_company(self):
        invoice = self.make_invoice(500.0)
        credit_note = self.make_invoice(120.0, move_type="out_refund")
        self.assertEqual(
            (invoice.crm_total_signed, invoice.crm_due_signed), (500.0, 500.0)
        )
        self.assertEqual(
            (credit_note.crm_total_signed, credit_note.crm_due_signed),
            (-120.0, -120.0),
        )
        self.assertEqual(credit_note.crm_days_overdue, 0)
        draft = self.make_invoice(80.0, post=False)
        self.assertEqual((draft.crm_total_signed, draft.crm_due_signed), (80.0, 0.0))

    def test_the_lists_sums_are_in_the_companys_currency_only(self):
        """Group rows sum the company-currency columns; the columns in each
        invoice's own currency have no aggregate (dollars and euros are
        never added)."""
        eur = self.euro_at(5.0, date(2026, 1, 1))
        self.make_invoice(100.0)
        self.make_invoice(100.0, currency=eur)
        moves = self.env["account.move"]
        fields_info = moves.fields_get(
            ["crm_total_signed", "crm_due_signed", "amount_residual_signed"],
            ["aggregator"],
        )
        self.assertFalse(fields_info["crm_total_signed"].get("aggregator"))
        self.assertFalse(fields_info["crm_due_signed"].get("aggregator"))
        self.assertEqual(fields_info["amount_residual_signed"]["aggregator"], "sum")
        [group] = moves.read_group(
            [("partner_id", "=", self.customer.id)],
            ["amount_residual_signed:sum"],
            ["crm_status"],
        )
        self.assertAlmostEqual(group["amount_residual_signed"], 100.0 + 500.0)

    @freeze_time("2026-03-01")
    def test_an_invoice_a_hand_made_credit_note_settles(self):
        invoice = self.make_invoice(300.0, due_date=date(2026, 2, 1))
        credit_note = self.make_invoice(300.0, move_type="out_refund")
        self.assertFalse(credit_note._crm_credited_invoices(), "applied to nothing yet")
        (invoice | credit_note).line_ids._crm_receivable().reconcile()
        self.assertEqual(invoice.payment_state, "reversed")
        self.assertEqual(invoice.crm_status, "credited")
        self.assertEqual(invoice.crm_days_overdue, 0)
        self.assertEqual(credit_note._crm_credited_invoices(), invoice)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account.account_invoices", credit_note.ids)[0]
            .decode()
        )
        self.assertIn("Credits Invoice(s)", html)
        self.assertIn(invoice.name, html)

    @freeze_time("2026-08-20")
    def test_interest_without_a_rate_says_why_where_the_user_looks(self):
        self.env.company.crm_late_interest = True
        rates = self.env["crm.invoices.reference.rate"].sudo()
        rates.search([("year", ">=", 2026)]).unlink()
        rates.create({"year": 2026, "half": "1", "rate": 6.5})
        invoice = self.make_invoice(
            10_000.0, invoice_date=date(2026, 6, 1), due_date=date(2026, 6, 30)
        )
        self.assertFalse(invoice.crm_late_interest_amount)
        self.assertIn(
            "No BNR reference rate for 2026 H2", invoice.crm_late_interest_missing
        )
        notice = self.env["crm.invoices.reference.rate"].crm_rates_notice()
        self.assertIn("2026 H2", notice)
        # a to-do for the AR managers, once
        manager = self.make_ar_user("rates_manager", manager=True)
        job = self.env["crm.invoices.reference.rate"]._cron_ask_for_rates
        job()
        job()
        activities = self.env["mail.activity"].search(
            [
                ("res_model", "=", "crm.invoices.reference.rate"),
                ("user_id", "=", manager.id),
            ]
        )
        self.assertEqual(len(activities), 1)
        self.assertIn("2026 H2", activities.summary)
        # the rate entered: the to-do is done, the interest computed
        self.env["crm.invoices.reference.rate"].with_user(manager).create(
            {"year": 2026, "half": "2", "rate": 6.5}
        )
        self.assertFalse(activities.exists())
        invoice.invalidate_recordset()
        self.assertTrue(invoice.crm_late_interest_amount)
        self.assertFalse(invoice.crm_late_interest_missing)
        self.assertFalse(self.env["crm.invoices.reference.rate"].crm_rates_notice())

    @freeze_time("2026-12-20")
    def test_the_next_half_years_rate_is_asked_for_before_it_begins(self):
        self.env.company.crm_late_interest = True
        rates = self.env["crm.invoices.reference.rate"].sudo()
        rates.search([("year", ">=", 2026)]).unlink()
        rates.create(
            [
                {"year": 2026, "half": "1", "rate": 6.5},
                {"year": 2026, "half": "2", "rate": 6.5},
            ]
        )
        notice = self.env["crm.invoices.reference.rate"].crm_rates_notice()
        self.assertIn("2027 H1", notice)
        self.assertNotIn("2026", notice)

    def test_no_company_charging_interest_asks_nothing(self):
        self.env["res.company"].search([]).crm_late_interest = False
        self.assertFalse(self.env["crm.invoices.reference.rate"].crm_rates_notice())
        self.env["crm.invoices.reference.rate"]._cron_ask_for_rates()
        self.assertFalse(
            self.env["mail.activity"].search(
                [("res_model", "=", "crm.invoices.reference.rate")]
            )
        )

    def test_reports_of_companies_in_two_currencies_add_no_lei_to_dollars(self):
        """The AR metrics and the trend of two companies of different
        currencies, both open: amounts in the current company's currency at
        today's rate (as Odoo's invoice analysis), never lei added to
        dollars."""
        ron = self.setup_other_currency("RON", rates=[("2000-01-01", 5.0)])
        company_b = self.setup_other_company(
            name="Filiala Lei SRL", currency_id=ron.id
        )["company"]
        self.env.user.company_ids |= company_b
        self.make_invoice(100.0)  # dollars, the current company
        self.make_invoice(500.0, company=company_b)  # lei, 100 dollars today
        both = self.env.company | company_b
        report = self.env["crm.invoices.ar.report"].with_context(
            allowed_company_ids=both.ids
        )
        [row] = report.read_group(
            [("company_id", "in", both.ids)], ["amount_residual:sum"], [], lazy=False
        )
        self.assertAlmostEqual(row["amount_residual"], 200.0)
        trend = self.env["crm.invoices.ar.trend"].with_context(
            allowed_company_ids=both.ids
        )
        month = fields.Date.context_today(trend).replace(day=1)
        rows = trend.read_group(
            [("company_id", "in", both.ids), ("month", "=", month)],
            ["receivable:sum"],
            [],
            lazy=False,
        )
        self.assertAlmostEqual(rows[0]["receivable"], 200.0)
        self.assertEqual(
            trend.search([("company_id", "in", both.ids)], limit=1).currency_id,
            self.env.company.currency_id,
        )
