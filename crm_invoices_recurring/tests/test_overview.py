from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from ..lib import schedule_dates
from .common import Recurrence, RecurringCommon


@tagged("post_install", "-at_install")
class TestOverview(RecurringCommon):
    def test_the_overview_shows_what_schedules_will_invoice(self):
        today = fields.Date.today()
        # every week from 7 days ago: 7 days ago is due (caught up today)
        invoice = self.make_invoice(
            amount=10.0,
            invoice_date=today - timedelta(days=14),
            due_date=today + timedelta(days=16),
        )
        invoice._crm_set_schedule(
            Recurrence(1, "week", custom=True), today - timedelta(days=7)
        )
        self.repeating(Recurrence(1, "year"), amount=1000.0)  # next year: none
        figures = {
            figure["key"]: figure
            for figure in self.env["crm.invoices.overview"].crm_overview()["figures"]
        }
        # 30 days: -7, 0, 7, 14, 21, 28 → 6 invoices; 90 days: up to 84 → 14
        self.assertIn("6 invoice(s)", figures["recurring_30"]["detail"])
        self.assertIn("60.00", figures["recurring_30"]["value"])
        self.assertIn("14 invoice(s)", figures["recurring_90"]["detail"])
        self.assertIn("140.00", figures["recurring_90"]["value"])
        self.assertEqual(
            figures["recurring_30"]["action"]["res_model"], "contract.contract"
        )

    def test_the_forecast_rule(self):
        start = fields.Date.from_string("2001-01-31")
        monthly = schedule_dates.step("month", 1)
        self.assertEqual(
            schedule_dates.dates_until(start, monthly, start + timedelta(days=70)),
            [
                start,
                fields.Date.from_string("2001-02-28"),
                fields.Date.from_string("2001-03-28"),
            ],
        )
