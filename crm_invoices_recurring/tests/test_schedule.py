from datetime import timedelta

from dateutil.relativedelta import relativedelta
from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..lib import schedule_dates
from .common import Command, Recurrence, RecurringCommon


@tagged("post_install", "-at_install")
class TestSchedule(RecurringCommon):
    def test_each_period_is_invoiced_once(self):
        today = fields.Date.today()
        invoice = self.repeating(Recurrence(1, "month"))
        schedule = invoice.crm_schedule_id
        self.assertEqual(schedule.recurring_next_date, today + relativedelta(months=1))
        self.assertFalse(self.run_job(today))
        next_month = today + relativedelta(months=1)
        made = self.run_job(next_month)
        self.assertEqual(len(made), 1)
        self.assertEqual(made.state, "posted")
        self.assertEqual(made.partner_id, invoice.partner_id)
        self.assertEqual(made.amount_total, invoice.amount_total)
        self.assertEqual(made.crm_recurring_period, next_month)
        self.assertEqual(made.invoice_date, next_month)
        # the same day again, and the day after: nothing more
        self.assertFalse(self.run_job(next_month))
        self.assertFalse(self.run_job(next_month + timedelta(days=1)))
        self.assertEqual(self.made(invoice), made)
        self.assertEqual(schedule.crm_total_cycles, 1)
        self.assertEqual(schedule.crm_last_recurring_date, next_month)

    def test_missed_periods_are_caught_up_once_each(self):
        today = fields.Date.today()
        invoice = self.repeating(Recurrence(1, "week", custom=True))
        # the server was off for three weeks and two days
        day = today + timedelta(weeks=3, days=2)
        made = self.run_job(day)
        self.assertEqual(
            made.sorted("crm_recurring_period").mapped("crm_recurring_period"),
            [today + timedelta(weeks=n) for n in (1, 2, 3)],
        )
        self.assertEqual(set(made.mapped("invoice_date")), {day})
        self.assertFalse(self.run_job(day))
        self.assertEqual(len(self.made(invoice)), 3)

    def test_a_new_schedule_never_invoices_the_past(self):
        today = fields.Date.today()
        invoice = self.repeating(
            Recurrence(1, "month"), invoice_date=today - relativedelta(months=14)
        )
        schedule = invoice.crm_schedule_id
        self.assertGreaterEqual(schedule.recurring_next_date, today)
        self.assertLess(schedule.recurring_next_date, today + relativedelta(months=1))
        self.assertFalse(self.run_job(today - timedelta(days=1)))

    def test_cycles_end_the_schedule(self):
        today = fields.Date.today()
        invoice = self.repeating(Recurrence(2, "day", cycles=3, custom=True))
        schedule = invoice.crm_schedule_id
        self.assertEqual(schedule.date_end, today + timedelta(days=2 + 6 - 1))
        made = self.run_job(today + timedelta(days=60))
        self.assertEqual(len(made), 3)
        self.assertFalse(self.run_job(today + timedelta(days=90)))
        self.assertEqual(schedule.crm_total_cycles, 3)

    def test_lines_and_taxes_are_repeated_as_written(self):
        today = fields.Date.today()
        invoice = self.make_invoice(
            amount=100.0,
            invoice_date=today,
            due_date=today + timedelta(days=30),
            post=False,
        )
        invoice.invoice_line_ids.tax_ids = [Command.set(self.tax.ids)]
        invoice.action_post()
        invoice._crm_set_schedule(Recurrence(1, "month"))
        made = self.run_job(today + relativedelta(months=1))
        self.assertEqual(made.invoice_line_ids.tax_ids, self.tax)
        self.assertEqual(made.amount_total, 119.0)

    def test_prices_follow_the_price_list_by_setting(self):
        today = fields.Date.today()
        product = self.env["product.product"].create(
            {"name": "Hosting", "list_price": 50.0, "taxes_id": [Command.clear()]}
        )
        results = {}
        for mode in ("written", "pricelist"):
            self.env.company.crm_recurring_price = mode
            product.list_price = 50.0
            invoice = self.make_invoice(
                invoice_date=today, due_date=today + timedelta(days=30), post=False
            )
            invoice.invoice_line_ids = [
                Command.clear(),
                Command.create(
                    {"product_id": product.id, "price_unit": 50.0, "quantity": 2}
                ),
            ]
            invoice.action_post()
            invoice._crm_set_schedule(Recurrence(1, "month"))
            product.list_price = 60.0
            made = self.run_job(today + relativedelta(months=1)).filtered(
                lambda move, source=invoice: (
                    move.crm_recurring_contract_id == source.crm_schedule_id
                )
            )
            results[mode] = made.invoice_line_ids.price_unit
        self.assertEqual(results, {"written": 50.0, "pricelist": 60.0})

    def test_draft_or_sent_by_setting(self):
        today = fields.Date.today()
        self.env.company.crm_recurring_invoice_state = "draft"
        invoice = self.repeating()
        made = self.run_job(today + relativedelta(months=1))
        self.assertEqual(made.state, "draft")
        self.env.company.crm_recurring_invoice_state = "sent"
        made = self.run_job(today + relativedelta(months=2))
        self.assertEqual(made.state, "posted")
        self.assertTrue(made.sending_data, "queued for Odoo's sending job")
        self.assertEqual(len(self.made(invoice)), 2)

    def test_a_period_has_one_invoice_whatever_writes_it(self):
        invoice = self.repeating()
        made = self.run_job(fields.Date.today() + relativedelta(months=1))
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                made.sudo().copy(
                    {
                        "crm_recurring_contract_id": made.crm_recurring_contract_id.id,
                        "crm_recurring_period": made.crm_recurring_period,
                    }
                )
        self.assertEqual(len(self.made(invoice)), 1)

    def test_stopping_and_changing_the_schedule(self):
        today = fields.Date.today()
        invoice = self.repeating(Recurrence(1, "month"))
        first = invoice.crm_schedule_id
        self.assertFalse(invoice._crm_set_schedule(Recurrence(1, "month")))
        self.assertTrue(invoice._crm_set_schedule(Recurrence(2, "week", custom=True)))
        self.assertFalse(first.active)
        self.assertEqual(invoice.crm_schedule_id._crm_recurrence().unit, "week")
        invoice.action_crm_stop_recurring()
        self.assertFalse(invoice.crm_schedule_id)
        self.assertFalse(self.run_job(today + relativedelta(years=1)))

    def test_the_wizard_makes_it_repeat(self):
        invoice = self.make_invoice(
            invoice_date=fields.Date.today(),
            due_date=fields.Date.today() + timedelta(days=30),
        )
        wizard = (
            self.env["crm.invoices.make.recurring"]
            .with_context(default_move_id=invoice.id)
            .create({"interval": 3, "unit": "month", "cycles": 4})
        )
        wizard.invalidate_recordset()
        self.assertEqual(
            wizard.date_start, invoice.invoice_date + relativedelta(months=3)
        )
        self.assertEqual(
            wizard.date_end,
            invoice.invoice_date + relativedelta(months=15) - timedelta(days=1),
        )
        action = wizard.action_confirm()
        schedule = invoice.crm_schedule_id
        self.assertEqual(action["res_id"], schedule.id)
        self.assertEqual(schedule._crm_recurrence(), Recurrence(3, "month", 4))

    def test_only_who_may_change_the_invoice_makes_it_repeat(self):
        invoice = self.make_invoice(
            invoice_date=fields.Date.today(),
            due_date=fields.Date.today() + timedelta(days=30),
        )
        employee = self.env["res.users"].create(
            {
                "name": "Plain Employee",
                "login": "recurring_employee",
                "groups_id": [Command.set(self.env.ref("base.group_user").ids)],
            }
        )
        with self.assertRaises(AccessError):
            invoice.with_user(employee).action_crm_stop_recurring()
        # an AR user may make it repeat, never pick a card or forge a period
        clerk = self.make_ar_user("recurring_clerk")
        invoice.with_user(clerk)._crm_set_schedule(Recurrence(1, "month"))
        schedule = invoice.crm_schedule_id
        card = self.saved_card()
        with self.assertRaises(AccessError):
            schedule.with_user(clerk).crm_payment_token_id = card
        with self.assertRaises(AccessError):
            invoice.with_user(clerk).crm_recurring_period = fields.Date.today()
        made = (
            self.env["contract.contract"]
            .with_user(clerk)
            .browse(schedule.id)
            ._recurring_create_invoice()
        )
        self.assertEqual(made.crm_recurring_contract_id, schedule)
        self.assertEqual(made.create_uid, clerk)
        self.assertFalse(schedule.crm_payment_token_id)
        # the job itself is the scheduler's: not over RPC, not years ahead
        with self.assertRaises(AccessError):
            self.env["contract.contract"].with_user(
                clerk
            ).cron_recurring_create_invoice(fields.Date.today() + timedelta(days=3650))
        invoice.with_user(clerk).action_crm_stop_recurring()
        with self.assertRaises(AccessError):
            self.env["crm.invoices.make.recurring"].with_user(employee).create(
                {"move_id": invoice.id}
            )
        self.assertFalse(invoice.crm_schedule_id)

    def test_the_steps_are_contracts_own(self):
        contracts = self.env["contract.contract"]
        start = fields.Date.from_string("2001-01-31")
        for unit, rule in schedule_dates.CONTRACT_RULES.items():
            for interval in (1, 2, 5):
                self.assertEqual(
                    start + schedule_dates.step(unit, interval),
                    start + contracts.get_relative_delta(rule, interval),
                    (unit, interval),
                )
