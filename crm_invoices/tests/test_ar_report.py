from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import CrmInvoicesCommon

MEASURES = [
    "amount_residual:sum",
    "credit_sales_window:sum",
    "dso:sum",
    "due_count:sum",
    "paid_on_time_count:sum",
    "on_time_rate:sum",
]


@tagged("post_install", "-at_install")
@freeze_time("2026-06-30")
class TestArReport(CrmInvoicesCommon):
    """A hand-computed fixture, today being 2026-06-30 (window: 2026-04-02 → 06-30).

    ======  ====  ==========  ==========  =======  ===========================
    inv     cust  date        due         amount   what happens
    ======  ====  ==========  ==========  =======  ===========================
    A1      A     2026-06-10  2026-07-10  3000     open, not due
    A2      A     2026-05-01  2026-05-31  2000     paid 05-20 (on time)
    A3      A     2026-04-15  2026-05-15  1000     open, 46 days late
    A4      A     2026-06-20  2026-07-20  2000 EUR open, not due (= 1000 at 2.0)
    B1      B     2026-03-01  2026-03-31  4000     1000 paid 04-10, 91 days late
    B2      B     2026-06-01  2026-06-20  1500     paid 06-25 (late)
    B3      B     2026-05-20  2026-06-19   500     open, 11 days late
    CN      B     2026-06-15  2026-06-15  -200     open credit note
    ======  ====  ==========  ==========  =======  ===========================

    Receivable 3000+1000+1000 (A) + 3000+500-200 (B) = 8300.
    Credit sales in the window: 3000+2000+1000+1000 (A) + 1500+500-200 (B) = 8800.
    DSO = 8300 / 8800 x 90; A: 5000 / 7000 x 90; B: 3300 / 1800 x 90 = 165.
    Due (date passed or paid): A2 A3 B1 B2 B3 = 5, on time: A2 = 1 → 20 %.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eur = cls.setup_other_currency("EUR")  # 2.0 EUR for 1 since 2017
        cls.seller_a = cls.make_ar_user("seller_a")
        cls.seller_b = cls.make_ar_user("seller_b")
        customer_a, customer_b = cls.customer, cls.other_customer

        invoice = cls.invoice_of
        with freeze_time("2026-06-30"):
            cls.a1 = invoice(
                customer_a, cls.seller_a, date(2026, 6, 10), date(2026, 7, 10), 3000
            )
            a2 = invoice(
                customer_a, cls.seller_a, date(2026, 5, 1), date(2026, 5, 31), 2000
            )
            cls.pay(a2, payment_date=date(2026, 5, 20))
            cls.a3 = invoice(
                customer_a, cls.seller_a, date(2026, 4, 15), date(2026, 5, 15), 1000
            )
            invoice(
                customer_a,
                cls.seller_a,
                date(2026, 6, 20),
                date(2026, 7, 20),
                2000,
                currency=cls.eur,
            )
            b1 = invoice(
                customer_b, cls.seller_b, date(2026, 3, 1), date(2026, 3, 31), 4000
            )
            cls.pay(b1, 1000.0, payment_date=date(2026, 4, 10))
            b2 = invoice(
                customer_b, cls.seller_b, date(2026, 6, 1), date(2026, 6, 20), 1500
            )
            cls.pay(b2, payment_date=date(2026, 6, 25))
            invoice(customer_b, cls.seller_b, date(2026, 5, 20), date(2026, 6, 19), 500)
            invoice(
                customer_b,
                cls.seller_b,
                date(2026, 6, 15),
                date(2026, 6, 15),
                200,
                move_type="out_refund",
            )
            cls.make_invoice(
                999, date(2026, 6, 1), date(2026, 6, 2), post=False
            )  # draft
        cls.mine = [("partner_id", "in", (customer_a + customer_b).ids)]

    def _groups(self, groupby, domain=()):
        report = self.env["crm.invoices.ar.report"].with_user(self.seller_a)
        return report.read_group(
            self.mine + list(domain), MEASURES, groupby, lazy=False
        )

    def test_totals(self):
        [total] = self._groups([])
        self.assertEqual(total["__count"], 8, "posted invoices and credit notes only")
        self.assertAlmostEqual(total["amount_residual"], 8300.0)
        self.assertAlmostEqual(total["credit_sales_window"], 8800.0)
        self.assertAlmostEqual(total["dso"], 8300.0 / 8800.0 * 90)
        self.assertEqual((total["due_count"], total["paid_on_time_count"]), (5, 1))
        self.assertAlmostEqual(total["on_time_rate"], 20.0)

    def test_per_customer(self):
        rows = {row["partner_id"][0]: row for row in self._groups(["partner_id"])}
        a, b = rows[self.customer.id], rows[self.other_customer.id]
        self.assertAlmostEqual(a["dso"], 5000.0 / 7000.0 * 90)
        self.assertAlmostEqual(b["dso"], 165.0)
        self.assertAlmostEqual(a["on_time_rate"], 50.0)
        self.assertAlmostEqual(b["on_time_rate"], 0.0)

    def test_per_salesperson_matches_customers(self):
        rows = {
            row["invoice_user_id"][0]: row for row in self._groups(["invoice_user_id"])
        }
        self.assertAlmostEqual(rows[self.seller_a.id]["amount_residual"], 5000.0)
        self.assertAlmostEqual(rows[self.seller_b.id]["amount_residual"], 3300.0)

    def test_aging_buckets(self):
        rows = {
            row["aging_bucket"]: row["amount_residual"]
            for row in self._groups(["aging_bucket"])
        }
        self.assertEqual(
            {bucket: round(amount, 2) for bucket, amount in rows.items()},
            {
                "0_not_due": 4000.0,
                "1_30": 500.0,
                "31_60": 1000.0,
                "90_plus": 3000.0,
                # the open credit note, apart: the company owes it, it is no
                # invoice 15 days late (it was netted into 1-30 days)
                "credit_unapplied": -200.0,
                False: 0.0,
            },
        )

    def test_period_filter_on_due_date(self):
        june = [
            ("invoice_date_due", ">=", "2026-06-01"),
            ("invoice_date_due", "<=", "2026-06-30"),
        ]
        [row] = self._groups([], june)
        self.assertEqual((row["due_count"], row["paid_on_time_count"]), (2, 0))
        self.assertAlmostEqual(row["on_time_rate"], 0.0)

    def test_rates_move_with_today(self):
        with freeze_time("2026-07-11"):
            [row] = self._groups([], [("move_id", "=", self.a1.id)])
        self.assertEqual(row["due_count"], 1, "A1 fell due on 07-10")
        report = self.env["crm.invoices.ar.report"].with_user(self.seller_a)
        rows = report.search([("move_id", "=", self.a3.id)])
        self.assertEqual((rows.aging_bucket, rows.days_overdue), ("31_60", 46))

    def test_customer_smart_button(self):
        action = self.customer.with_user(self.seller_a).action_crm_open_ar_metrics()
        rows = (
            self.env[action["res_model"]]
            .with_user(self.seller_a)
            .search(action["domain"])
        )
        self.assertEqual(len(rows), 4)
        self.assertEqual(set(rows.partner_id.ids), {self.customer.id})
