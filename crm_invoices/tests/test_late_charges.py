from datetime import date
from decimal import Decimal
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import CrmInvoicesCommon


@tagged("post_install", "-at_install")
class TestLateCharges(CrmInvoicesCommon):
    """Interest invoices: once a month is over, one invoice per customer for
    that month's interest on its late invoices, never twice for a day
    (2025: reference rate 6.50 %, penalty rate 14.50 %)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write(
            {
                "crm_late_interest": True,
                "crm_late_interest_invoicing": "draft",
                "crm_late_interest_since": date(2025, 4, 1),
            }
        )
        cls.invoice = cls.make_invoice(
            10_000, invoice_date=date(2025, 3, 1), due_date=date(2025, 3, 31)
        )
        cls.charges = cls.env["crm.invoices.late.charge"]

    def run_job(self, day):
        with freeze_time(day):
            return self.charges._cron_invoice_late_charges()

    def test_each_month_invoiced_once_and_the_months_add_up(self):
        april = self.run_job("2025-05-03")
        self.assertEqual(len(april), 1)
        self.assertEqual(april.state, "draft", "for review")
        self.assertEqual(april.partner_id, self.customer)
        self.assertTrue(april.crm_late_charge_invoice)
        # 30 days x 10,000 x 14.50 % / 365
        self.assertEqual(april.amount_total, 119.18)
        self.assertIn(self.invoice.name, april.invoice_line_ids.name)
        self.assertIn("2025-04-01 to 2025-04-30", april.invoice_line_ids.name)
        self.assertFalse(april.invoice_line_ids.tax_ids)
        # the same day again, or later in the month: nothing more
        self.assertFalse(self.run_job("2025-05-03"))
        self.assertFalse(self.run_job("2025-05-31"))
        may = self.run_job("2025-06-02")
        # through 31 May: 61 days = 242.33, less April's 119.18
        self.assertEqual(may.amount_total, 123.15)
        self.pay(self.invoice, 10_000, date(2025, 6, 10))
        june = self.run_job("2025-07-05")
        # through 10 June (the day of payment): 71 days = 282.05, less 242.33
        self.assertEqual(june.amount_total, 39.72)
        self.assertFalse(self.run_job("2025-08-04"), "paid: no more interest")
        ledger = self.invoice.crm_late_charge_ids
        self.assertEqual(len(ledger), 3)
        self.assertEqual(
            sorted((c.date_from, c.date_to) for c in ledger),
            [
                (date(2025, 4, 1), date(2025, 4, 30)),
                (date(2025, 5, 1), date(2025, 5, 31)),
                (date(2025, 6, 1), date(2025, 6, 30)),
            ],
        )
        # the charges add up to the interest of the whole delay, to the cent
        whole = self.invoice._crm_late_interest(date(2025, 6, 30))[self.invoice.id]
        self.assertEqual(
            Decimal(str(round(sum(ledger.mapped("amount")), 2))), whole.total
        )
        self.assertEqual(self.invoice._crm_late_interest_unbilled(date(2025, 7, 5)), {})

    def test_posted_one_invoice_per_customer_compensation_once(self):
        self.euro_at(4.9771, date(2025, 1, 1))
        self.env.company.write(
            {"crm_late_interest_invoicing": "posted", "crm_late_compensation": True}
        )
        second = self.make_invoice(
            5_000, invoice_date=date(2025, 3, 1), due_date=date(2025, 4, 15)
        )
        other = self.make_invoice(
            1_000,
            invoice_date=date(2025, 3, 1),
            due_date=date(2025, 3, 31),
            partner=self.other_customer,
        )
        made = self.run_job("2025-05-02")
        self.assertEqual(len(made), 2, "one per customer")
        self.assertEqual(set(made.mapped("state")), {"posted"})
        mine = made.filtered(lambda move: move.partner_id == self.customer)
        kinds = mine.invoice_line_ids.mapped("name")
        self.assertEqual(len(kinds), 4, "two interests, two compensations")
        # 30 days on 10,000 = 119.18; 15 days on 5,000 = 29.79; 2 x 199.08
        self.assertAlmostEqual(mine.amount_total, 119.18 + 29.79 + 2 * 199.08)
        self.assertEqual(
            len(
                (self.invoice | second).crm_late_charge_ids.filtered(
                    lambda charge: charge.kind == "compensation"
                )
            ),
            2,
        )
        self.assertTrue(other.crm_late_charge_ids)
        may = self.run_job("2025-06-02")
        mine = may.filtered(lambda move: move.partner_id == self.customer)
        self.assertEqual(len(mine.invoice_line_ids), 2, "no second compensation")

    def test_the_lines_go_to_the_interest_income_account_when_set(self):
        journal_default = self.run_job("2025-05-03").invoice_line_ids.account_id
        penalties = self.env["account.account"].create(
            {"code": "758199", "name": "Penalties", "account_type": "income_other"}
        )
        self.env.company.crm_late_interest_account_id = penalties
        may = self.run_job("2025-06-02")
        self.assertEqual(may.invoice_line_ids.account_id, penalties)
        self.assertNotEqual(journal_default, penalties)

    def test_the_first_run_starts_the_invoicing_month(self):
        self.env.company.crm_late_interest_since = False
        self.assertFalse(self.run_job("2025-05-03"))
        self.assertEqual(self.env.company.crm_late_interest_since, date(2025, 5, 1))
        # May's interest only: 31 days on 10,000
        self.assertEqual(self.run_job("2025-06-01").amount_total, 123.15)

    def test_off_or_shown_only_invoices_nothing(self):
        self.env.company.crm_late_interest_invoicing = "none"
        self.assertFalse(self.run_job("2025-05-03"))
        self.env.company.write(
            {"crm_late_interest_invoicing": "draft", "crm_late_interest": False}
        )
        self.assertFalse(self.run_job("2025-05-03"))
        self.assertFalse(self.invoice.crm_late_charge_ids)

    def test_a_deleted_draft_waives_its_interest(self):
        april = self.run_job("2025-05-03")
        april.unlink()
        [charge] = self.invoice.crm_late_charge_ids
        self.assertFalse(charge.charge_move_id)
        may = self.run_job("2025-06-02")
        self.assertEqual(may.amount_total, 123.15, "May only: April was waived")

    def test_an_invoice_in_dispute_bears_no_interest_until_settled(self):
        self.invoice.action_toggle_block_payment()
        self.assertFalse(self.run_job("2025-05-03"), "in dispute: nothing invoiced")
        self.assertFalse(self.invoice._crm_late_invoices())
        self.invoice.action_toggle_block_payment()
        april = self.run_job("2025-05-03")
        self.assertEqual(april.amount_total, 119.18, "settled: the days it was late")

    def test_interest_invoices_bear_no_interest(self):
        self.env.company.crm_late_interest_invoicing = "posted"
        april = self.run_job("2025-05-03")
        self.assertEqual(april.invoice_date_due, date(2025, 5, 3))
        with freeze_time("2025-07-01"):
            self.assertEqual(april.crm_late_interest_amount, 0.0)
        june = self.run_job("2025-07-01")
        self.assertNotIn(april.name, " ".join(june.invoice_line_ids.mapped("name")))

    @mute_logger("odoo.addons.crm_invoices.models.crm_invoices_late_charge")
    def test_two_runs_at_the_same_moment_invoice_once(self):
        """Both runs read "not charged yet" before either records: the
        unique index stops the second, whose invoice is rolled back."""
        with freeze_time("2025-05-03"):
            end = date(2025, 4, 30)
            charges = self.charges.sudo()
            [group] = charges._due_groups(self.env.company, end)
            made_by_b = charges._cron_invoice_late_charges()
            with (
                patch.object(type(charges), "_not_charged", lambda _self, g: g),
                mute_logger("odoo.sql_db"),
            ):
                made_by_a = charges._invoice_group(self.env.company, group, end)
        self.assertEqual(len(made_by_b), 1)
        self.assertFalse(made_by_a)
        self.assertEqual(
            self.env["account.move"].search_count(
                [("crm_late_charge_invoice", "=", True)]
            ),
            1,
        )

    @mute_logger("odoo.addons.crm_invoices.models.crm_invoices_late_charge")
    def test_two_overlapping_runs_invoice_once(self):
        with freeze_time("2025-05-03"):
            end = date(2025, 4, 30)
            # run A has computed what is due when run B does all the work
            charges = self.charges.sudo()
            [group] = charges._due_groups(self.env.company, end)
            made_by_b = charges._cron_invoice_late_charges()
            made_by_a = charges._invoice_group(self.env.company, group, end)
        self.assertEqual(len(made_by_b), 1)
        self.assertFalse(made_by_a)
        self.assertEqual(len(self.invoice.crm_late_charge_ids), 1)
        self.assertEqual(
            self.env["account.move"].search_count(
                [("crm_late_charge_invoice", "=", True)]
            ),
            1,
        )

    def test_the_reminder_and_the_statement_show_the_interest(self):
        with freeze_time("2025-04-07"):
            # 1-7 April: 7 days x 10,000 x 14.50 % / 365 = 27.81
            self.assertEqual(self.invoice.crm_late_interest_amount, 27.81)
            self.env["crm.invoices.reminder.engine"]._cron_send_reminders()
        body = self.invoice.crm_reminder_ids.mail_message_id.body
        self.assertIn("Late-payment interest", body)
        self.assertIn("27.81", body)
        self.env.company.crm_reminder_grouping = "customer"
        second = self.make_invoice(
            1_000, invoice_date=date(2025, 3, 1), due_date=date(2025, 3, 31)
        )
        with freeze_time("2025-04-07"):
            self.env["crm.invoices.reminder.engine"]._cron_send_reminders()
        statement = second.crm_reminder_ids.mail_message_id
        self.assertEqual(statement.model, "crm.invoices.statement")
        # 1,000 for 7 days: 2.78
        self.assertIn("2.78", statement.body)
        self.assertIn("Late interest", statement.body)

    def test_the_interest_speaks_the_customers_language(self):
        customer = self.romanian_customer()
        invoice = self.make_invoice(
            10_000,
            invoice_date=date(2025, 3, 1),
            due_date=date(2025, 3, 31),
            partner=customer,
        )
        with freeze_time("2025-04-07"):
            self.env["crm.invoices.reminder.engine"]._cron_send_reminders()
        body = invoice.crm_reminder_ids.mail_message_id.body
        self.assertIn("Dobânda penalizatoare", body)
        self.assertIn("27,81", body)
        april = self.run_job("2025-05-03").filtered(
            lambda move: move.partner_id == customer
        )
        self.assertIn("Dobândă penalizatoare pentru", april.invoice_line_ids.name)

    @mute_logger("odoo.addons.crm_invoices.models.crm_invoices_late_charge")
    def test_a_customer_that_fails_stops_no_other_and_is_tried_again(self):
        other = self.make_invoice(
            1_000,
            invoice_date=date(2025, 3, 1),
            due_date=date(2025, 3, 31),
            partner=self.other_customer,
        )
        moves = type(self.env["account.move"])
        create = moves.create

        def refuse_one(records, vals_list):
            vals = vals_list[0] if isinstance(vals_list, list) else vals_list
            if vals.get("partner_id") == self.customer.id and vals.get(
                "crm_late_charge_invoice"
            ):
                raise RuntimeError("no sale journal")
            return create(records, vals_list)

        with patch.object(moves, "create", refuse_one):
            made = self.run_job("2025-05-03")
        self.assertEqual(made.partner_id, self.other_customer)
        self.assertTrue(other.crm_late_charge_ids)
        self.assertFalse(self.invoice.crm_late_charge_ids, "nothing half done")
        self.assertEqual(self.run_job("2025-05-04").partner_id, self.customer)

    @mute_logger("odoo.addons.crm_invoices.models.crm_invoices_late_charge")
    def test_a_missing_half_year_skips_that_invoice_only(self):
        self.euro_at(4.9771, date(2025, 1, 1))
        self.env.company.crm_late_compensation = True
        self.pay(self.invoice, 10_000, date(2025, 4, 30))
        late = self.make_invoice(
            1_000, invoice_date=date(2026, 5, 20), due_date=date(2026, 6, 20)
        )
        # July 2026 has no reference rate shipped: that invoice waits for it
        made = self.run_job("2026-08-03")
        self.assertEqual(made.partner_id, self.customer)
        self.assertNotIn(late.name, " ".join(made.invoice_line_ids.mapped("name")))
        self.assertFalse(late.crm_late_charge_ids)
        self.assertEqual(
            sorted(self.invoice.crm_late_charge_ids.mapped("kind")),
            ["compensation", "interest"],
        )
