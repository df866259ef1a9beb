from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.crm_invoices.tests.test_api import ApiCommon

from .common import RecurringCommon


@tagged("post_install", "-at_install")
class TestApiRecurrence(RecurringCommon, ApiCommon):
    def post(self, **changes):
        return self.api(
            "POST", "/api/invoices", token=self.full, json=self.body(**changes)
        )

    def get(self, invoice):
        response = self.api("GET", f"/api/invoices/{invoice.id}", token=self.reader)
        self.assertEqual(response.status_code, 200, response.text)
        return response.json()

    def test_a_perfex_client_makes_an_invoice_repeat(self):
        response = self.post(
            recurring="custom",
            repeat_every_custom="7",
            repeat_type_custom="day",
            cycles="3",
        )
        self.assertEqual(response.status_code, 200, response.text)
        invoice = self.env["account.move"].browse(response.json()["id"])
        answer = response.json()["invoice"]
        self.assertEqual(
            {key: answer[key] for key in ("recurring", "recurring_type", "cycles")},
            {"recurring": "7", "recurring_type": "day", "cycles": "3"},
        )
        self.assertEqual(answer["custom_recurring"], "1")
        self.assertEqual(answer["total_cycles"], "0")
        # issued 32 days ago: the first invoice is the first period from today
        # on (5 weeks after the invoice), none before the schedule existed
        schedule = invoice.crm_schedule_id
        first = invoice.invoice_date + timedelta(weeks=5)
        self.assertEqual(schedule.recurring_next_date, first)
        self.assertFalse(self.run_job(fields.Date.today()))
        # the server off for a month: its 3 invoices caught up once each
        made = self.run_job(fields.Date.today() + timedelta(days=30))
        self.assertEqual(len(made), 3)
        self.assertFalse(self.run_job(fields.Date.today() + timedelta(days=30)))
        source = self.get(invoice)
        self.assertEqual(source["total_cycles"], "3")
        self.assertEqual(
            source["last_recurring_date"], (first + timedelta(days=14)).isoformat()
        )
        child = self.get(made[0])
        self.assertEqual(child["is_recurring_from"], str(invoice.id))
        self.assertEqual(child["recurring"], "0")

    def test_months_then_stop_with_a_put(self):
        response = self.post(recurring="3", cycles="0")
        invoice = self.env["account.move"].browse(response.json()["id"])
        self.assertEqual(invoice.crm_schedule_id.recurring_rule_type, "monthly")
        self.assertEqual(invoice.crm_schedule_id.recurring_interval, 3)
        answer = self.get(invoice)
        self.assertEqual((answer["recurring"], answer["recurring_type"]), ("3", None))
        # what the client read, sent back: nothing changes
        back = {key: answer[key] for key in ("recurring", "recurring_type", "cycles")}
        put = self.api("PUT", f"/api/invoices/{invoice.id}", token=self.full, json=back)
        self.assertEqual(put.json()["action"], "unchanged", put.text)
        put = self.api(
            "PUT", f"/api/invoices/{invoice.id}", token=self.full, json={"recurring": 0}
        )
        self.assertEqual(put.status_code, 200, put.text)
        self.assertEqual(put.json()["action"], "updated")
        self.assertFalse(invoice.crm_schedule_id)
        self.assertEqual(self.get(invoice)["recurring"], "0")

    def test_a_wrong_recurrence_writes_nothing(self):
        count = self.env["account.move"].search_count([])
        for fields_sent, field in (
            ({"recurring": "13"}, "recurring"),
            ({"recurring": "custom", "repeat_every_custom": "2"}, "repeat_type_custom"),
            ({"recurring": "1", "cycles": "-1"}, "cycles"),
        ):
            self.assertApiError(self.post(**fields_sent), 422, field)
        self.assertEqual(self.env["account.move"].search_count([]), count)
        self.assertFalse(self.env["contract.contract"].search_count([]))
