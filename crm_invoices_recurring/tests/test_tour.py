from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, tagged

from odoo.addons.crm_invoices.lib.perfex_recurrence import Recurrence


@tagged("post_install", "-at_install")
class TestRecurringTour(HttpCase):
    def test_a_collector_makes_an_invoice_repeat(self):
        company = self.env.ref("base.main_company")
        customer = self.env["res.partner"].create({"name": "Recurring Tour Customer"})
        today = fields.Date.today()
        invoice = (
            self.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": customer.id,
                    "invoice_date": today,
                    "invoice_date_due": today + timedelta(days=30),
                    "invoice_line_ids": [
                        Command.create(
                            {"name": "Retainer", "quantity": 1, "price_unit": 400.0}
                        )
                    ],
                }
            )
        )
        invoice.action_post()
        self.start_tour(
            f"/odoo/action-crm_invoices.account_move_action/{invoice.id}",
            "crm_invoices_recurring_tour",
            login="admin",
        )
        schedule = invoice.crm_schedule_id
        self.assertEqual(schedule._crm_recurrence(), Recurrence(2, "week", 6, True))
        self.assertEqual(schedule.recurring_next_date, today + timedelta(weeks=2))
        self.assertEqual(schedule.date_end, today + timedelta(weeks=14, days=-1))
