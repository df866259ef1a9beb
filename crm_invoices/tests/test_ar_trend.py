from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from ..lib import ar_trend
from .common import CrmInvoicesCommon

TREND_MEASURES = [
    "receivable:sum",
    "credit_sales_window:sum",
    "dso:sum",
    "due_count:sum",
    "paid_on_time_count:sum",
    "on_time_rate:sum",
    "overdue:sum",
    "overdue_1_30:sum",
    "overdue_31_60:sum",
    "overdue_61_90:sum",
    "overdue_90_plus:sum",
    "collected:sum",
    "collected_manual:sum",
]


@tagged("post_install", "-at_install")
@freeze_time("2026-06-30")
class TestArTrend(CrmInvoicesCommon):
    """Two years of invoices, today being 2026-06-30 (the trend: 2024-07 to
    2026-06).  The books were written as time went: what was known on
    2025-03-31 first (the AR metrics of that day are kept), the rest later.

    =====  ====  ==========  ==========  =====  ==================================
    move   cust  date        due         total  settled
    =====  ====  ==========  ==========  =====  ==================================
    I1     A     2024-08-05  2024-09-04   1000  paid 2024-09-01
    I2     A     2025-01-10  2025-02-09   2000  1500 paid 2025-02-20, 500 2025-04-05
    I3     B     2025-01-20  2025-02-19   3000  paid 2025-02-19
    CN1    B     2025-02-10               -300  set against I4 (dated 2025-03-01)
    I4     B     2025-03-01  2025-03-31   1200  300 by CN1, 900 paid 2025-05-15
    I5     A     2026-05-01  2026-05-31    800  open
    I6     A     2026-06-10  2026-07-10    400  open
    =====  ====  ==========  ==========  =====  ==================================

    By hand, at the end of
    February 2025: receivable I2 500 + CN1 -300 = 200; credit sales of
      2024-12-01..2025-02-28: 2000 + 3000 - 300 = 4700; DSO 200 / 4700 x 90;
      overdue 1-30 days: I2's 500 (19 days); due in the month: I2 (late), I3
      (on its due date): 1 of 2; collected 1500 + 3000 = 4500, by hand.
    March 2025: receivable I2 500 + I4 900 = 1400 (CN1 applied); credit sales
      of 2025-01-01..03-31: 2000 + 3000 - 300 + 1200 = 5900; DSO 1400 / 5900
      x 90; overdue 31-60 days: I2's 500 (50 days; I4 is due that day); due:
      I4, late: 0 of 1; collected: nothing (a credit note is not money).
    June 2026 (today): receivable 800 + 400 = 1200; credit sales 1200; DSO 90;
      overdue 1-30 days: I5's 800 (30 days); nothing due in the month.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller_a = cls.make_ar_user("trend_seller_a")
        cls.seller_b = cls.make_ar_user("trend_seller_b")
        a, b = cls.customer, cls.other_customer

        invoice = cls.invoice_of
        with freeze_time("2025-03-31"):
            i1 = invoice(a, cls.seller_a, date(2024, 8, 5), date(2024, 9, 4), 1000)
            cls.pay(i1, payment_date=date(2024, 9, 1))
            cls.i2 = invoice(a, cls.seller_a, date(2025, 1, 10), date(2025, 2, 9), 2000)
            cls.pay(cls.i2, 1500, payment_date=date(2025, 2, 20))
            cls.i3 = invoice(
                b, cls.seller_b, date(2025, 1, 20), date(2025, 2, 19), 3000
            )
            cls.pay(cls.i3, payment_date=date(2025, 2, 19))
            cn1 = invoice(
                b,
                cls.seller_b,
                date(2025, 2, 10),
                date(2025, 2, 10),
                300,
                move_type="out_refund",
            )
            cls.i4 = invoice(b, cls.seller_b, date(2025, 3, 1), date(2025, 3, 31), 1200)
            (cn1 + cls.i4).line_ids.filtered(
                lambda line: line.account_type == "asset_receivable"
            ).reconcile()
            cls.mine = [("partner_id", "in", (a + b).ids)]
            [cls.metrics_2025_03_31] = cls.env["crm.invoices.ar.report"].read_group(
                cls.mine,
                ["amount_residual:sum", "credit_sales_window:sum", "dso:sum"],
                [],
                lazy=False,
            )
        with freeze_time("2026-06-30"):
            cls.pay(cls.i2, 500, payment_date=date(2025, 4, 5))
            cls.pay(cls.i4, payment_date=date(2025, 5, 15))
            invoice(a, cls.seller_a, date(2026, 5, 1), date(2026, 5, 31), 800)
            cls.i6 = invoice(a, cls.seller_a, date(2026, 6, 10), date(2026, 7, 10), 400)

    def _month(self, first_day, domain=()):
        trend = self.env["crm.invoices.ar.trend"]
        [row] = trend.read_group(
            self.mine + [("month", "=", first_day), *domain],
            TREND_MEASURES,
            [],
            lazy=False,
        )
        return row

    def assertFigures(self, row, expected):
        for measure, value in expected.items():
            if value is None:
                self.assertFalse(row[measure], measure)
            else:
                self.assertAlmostEqual(row[measure], value, 2, measure)

    def test_three_months_by_hand(self):
        self.assertFigures(
            self._month(date(2025, 2, 1)),
            {
                "receivable": 200.0,
                "credit_sales_window": 4700.0,
                "dso": 200.0 / 4700.0 * 90,
                "overdue": 500.0,
                "overdue_1_30": 500.0,
                "overdue_31_60": 0.0,
                "due_count": 2,
                "paid_on_time_count": 1,
                "on_time_rate": 50.0,
                "collected": 4500.0,
                "collected_manual": 4500.0,
            },
        )
        self.assertFigures(
            self._month(date(2025, 3, 1)),
            {
                "receivable": 1400.0,
                "credit_sales_window": 5900.0,
                "dso": 1400.0 / 5900.0 * 90,
                "overdue": 500.0,
                "overdue_1_30": 0.0,
                "overdue_31_60": 500.0,
                "due_count": 1,
                "paid_on_time_count": 0,
                "on_time_rate": 0.0,
                "collected": 0.0,
            },
        )
        self.assertFigures(
            self._month(date(2026, 6, 1)),
            {
                "receivable": 1200.0,
                "credit_sales_window": 1200.0,
                "dso": 90.0,
                "overdue": 800.0,
                "overdue_1_30": 800.0,
                "due_count": 0,
                "on_time_rate": None,
                "collected": 0.0,
            },
        )

    def test_month_end_equals_the_ar_metrics_of_that_day(self):
        march = self._month(date(2025, 3, 1))
        then = self.metrics_2025_03_31
        self.assertAlmostEqual(march["receivable"], then["amount_residual"], 2)
        self.assertAlmostEqual(
            march["credit_sales_window"], then["credit_sales_window"], 2
        )
        self.assertAlmostEqual(march["dso"], then["dso"], 2)
        # and today's month is today's AR metrics
        [now] = self.env["crm.invoices.ar.report"].read_group(
            self.mine, ["amount_residual:sum", "dso:sum"], [], lazy=False
        )
        june = self._month(date(2026, 6, 1))
        self.assertAlmostEqual(june["receivable"], now["amount_residual"], 2)
        self.assertAlmostEqual(june["dso"], now["dso"], 2)

    def test_a_payment_undone_rewrites_the_history(self):
        self.i3.line_ids.remove_move_reconcile()
        self.assertFigures(
            self._month(date(2025, 2, 1)),
            {
                "receivable": 3200.0,
                "overdue": 3500.0,
                "overdue_1_30": 3500.0,
                "paid_on_time_count": 0,
                "on_time_rate": 0.0,
                "collected": 1500.0,
            },
        )

    @freeze_time("2026-06-20")
    def test_a_payment_dated_after_today_leaves_the_invoice_owed_today(self):
        """On 20 June, I6 paid by a payment dated 25 June: still owed at
        today's end (the current month is measured today), and no money
        collected yet."""
        self.pay(self.i6, payment_date=date(2026, 6, 25))
        self.assertFalse(self.i6.amount_residual)
        self.assertFigures(
            self._month(date(2026, 6, 1)),
            {"receivable": 1200.0, "overdue": 800.0, "collected": 0.0},
        )

    def test_per_customer_and_salesperson(self):
        customer_a = self._month(
            date(2025, 3, 1), [("partner_id", "=", self.customer.id)]
        )
        seller_b = self._month(
            date(2025, 3, 1), [("invoice_user_id", "=", self.seller_b.id)]
        )
        self.assertAlmostEqual(customer_a["receivable"], 500.0, 2)
        self.assertAlmostEqual(customer_a["dso"], 500.0 / 2000.0 * 90, 2)
        self.assertAlmostEqual(seller_b["receivable"], 900.0, 2)
        self.assertAlmostEqual(seller_b["dso"], 900.0 / 3900.0 * 90, 2)

    def test_twenty_four_months_each_measured_at_its_end(self):
        trend = self.env["crm.invoices.ar.trend"]
        groups = trend.read_group(self.mine, ["receivable:sum"], ["month:day"])
        months = ar_trend.months(date(2026, 6, 30))
        self.assertEqual(len(months), 24)
        self.assertEqual(months[0], (date(2024, 7, 1), date(2024, 7, 31)))
        self.assertEqual(months[-1], (date(2026, 6, 1), date(2026, 6, 30)))
        firsts = {first for first, _end in months}
        self.assertTrue(groups)
        for group in groups:
            day = group["__range"]["month:day"]["from"]
            self.assertIn(date.fromisoformat(day), firsts)

    def test_the_month_reminders_began_is_marked(self):
        level = self.env["crm.invoices.reminder.level"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        ) or self.env["crm.invoices.reminder.level"].create(
            {"name": "First", "delay_days": 7, "company_id": self.env.company.id}
        )
        reminders = self.env["crm.invoices.reminder"]
        for invoice, day in (
            (self.i2, "2025-02-17 09:00:00"),
            (self.i4, "2025-04-10 09:00:00"),
        ):
            reminders.create({"move_id": invoice.id, "level_id": level.id, "date": day})
        trend = self.env["crm.invoices.ar.trend"]
        marked = trend.search([("reminders_started", "=", 1)])
        self.assertEqual(set(marked.mapped("month")), {date(2025, 2, 1)})
        [february] = trend.read_group(
            [("month", "=", date(2025, 2, 1))], ["reminders_started:max"], []
        )
        self.assertEqual(february["reminders_started"], 1)

    def test_the_statement_agrees_with_the_rules_every_month(self):
        """Each month's receivable and invoices paid on time, from the
        rules of lib/ar_trend applied to the same books in Python."""
        customer_moves = [
            ("move_type", "in", ("out_invoice", "out_refund")),
            ("state", "=", "posted"),
        ]
        moves = self.env["account.move"].search(self.mine + customer_moves)

        def settlements(move):
            lines = move.line_ids.filtered(
                lambda line: line.account_type == "asset_receivable"
            )
            return [(p.max_date, p.amount) for p in lines.matched_credit_ids] + [
                (p.max_date, -p.amount) for p in lines.matched_debit_ids
            ]

        for first, end in ar_trend.months(date(2026, 6, 30)):
            expected_receivable = sum(
                ar_trend.left_at(move.amount_total_signed, settlements(move), end)
                for move in moves
                if move.invoice_date <= end
            )
            due = moves.filtered(
                lambda move, first=first, end=end: (
                    move.move_type == "out_invoice"
                    and first <= move.invoice_date_due <= end
                )
            )
            on_time = sum(
                ar_trend.paid_by_due_date(
                    move.invoice_date_due,
                    ar_trend.settled_on(move.amount_residual_signed, settlements(move)),
                )
                for move in due
            )
            rows = self.env["crm.invoices.ar.trend"].read_group(
                self.mine + [("month", "=", first)],
                ["receivable:sum", "due_count:sum", "paid_on_time_count:sum"],
                [],
            )
            row = rows[0] if rows and rows[0]["__count"] else {}
            self.assertAlmostEqual(row.get("receivable") or 0.0, expected_receivable, 2)
            self.assertEqual(row.get("due_count") or 0, len(due), first)
            self.assertEqual(row.get("paid_on_time_count") or 0, on_time, first)

    def test_balances_are_never_summed_over_months(self):
        """A month's end is a balance: the pivot's total over months shows
        none (no sum of month ends), a month shows its own, and a group
        within a month (a customer) the sum of its rows; flows (money
        collected) add up over months as before."""
        trend = self.env["crm.invoices.ar.trend"]
        [total] = trend.read_group(self.mine, TREND_MEASURES, [], lazy=False)
        for balance in ("receivable", "overdue", "overdue_1_30", "dso"):
            self.assertFalse(total[balance], balance)
        self.assertAlmostEqual(total["collected"], 1000 + 1500 + 3000 + 500 + 900)
        by_month = {
            row["month:month"]: row
            for row in trend.read_group(
                self.mine, TREND_MEASURES, ["month:month"], lazy=False
            )
        }
        self.assertTrue(all(row["receivable"] is not None for row in by_month.values()))
        customers = trend.read_group(
            [*self.mine, ("month", "=", date(2025, 3, 1))],
            ["receivable:sum"],
            ["partner_id"],
            lazy=False,
        )
        self.assertAlmostEqual(sum(row["receivable"] for row in customers), 1400.0)
        by_year = trend.read_group(
            self.mine, ["receivable:sum"], ["month:year"], lazy=False
        )
        self.assertFalse([row for row in by_year if row["receivable"]])
