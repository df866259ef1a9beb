from datetime import date, timedelta
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.service.model import _as_validation_error
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import CrmInvoicesCommon

DUE = date(2026, 3, 2)


def day(offset):
    """``offset`` days after the due date, as a freeze_time argument."""
    return (DUE + timedelta(days=offset)).isoformat()


@tagged("post_install", "-at_install")
class TestReminders(CrmInvoicesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.levels = cls.env["crm.invoices.reminder.level"].search(
            [("company_id", "=", cls.env.company.id)], order="delay_days"
        )
        cls.level_1, cls.level_2, cls.level_3 = cls.levels
        cls.engine = cls.env["crm.invoices.reminder.engine"]
        cls.job = cls.engine._cron_send_reminders

    def _invoice(self, **kwargs):
        with freeze_time("2026-02-01"):
            kwargs.setdefault("invoice_date", date(2026, 2, 1))
            return self.make_invoice(due_date=DUE, **kwargs)

    def _run_days(self, first, last):
        for offset in range(first, last + 1):
            with freeze_time(day(offset)):
                self.job()

    def _sent(self, invoice):
        return [
            (r.level_id, (r.date.date() - DUE).days)
            for r in invoice.crm_reminder_ids.sorted("id")
        ]

    def test_shipped_ladder(self):
        self.assertEqual(self.levels.mapped("delay_days"), [7, 14, 30])
        self.assertEqual(len(self.levels.mail_template_id), 3)

    def test_ladder_over_forty_days(self):
        invoice = self._invoice()
        self._run_days(1, 40)
        self.assertEqual(
            self._sent(invoice),
            [(self.level_1, 7), (self.level_2, 14), (self.level_3, 30)],
        )
        self.assertEqual(invoice.crm_last_reminder_level_id, self.level_3)
        self.assertEqual(set(invoice.crm_reminder_ids.mapped("sent_by")), {"job"})

    def test_payment_stops_the_ladder(self):
        invoice = self._invoice()
        self._run_days(1, 10)
        with freeze_time(day(10)):
            self.pay(invoice, payment_date=date.fromisoformat(day(10)))
        self._run_days(11, 40)
        self.assertEqual(self._sent(invoice), [(self.level_1, 7)])

    def test_catch_up_after_a_gap_sends_one(self):
        invoice = self._invoice()
        self._run_days(3, 3)
        with freeze_time(day(13)):
            self.job()
        self.assertEqual(self._sent(invoice), [(self.level_1, 13)])
        with freeze_time(day(31)):
            self.job()
        self.assertEqual(self._sent(invoice)[-1], (self.level_3, 31))
        self.assertEqual(
            len(invoice.crm_reminder_ids), 2, "level 2 was skipped, not sent late"
        )

    def test_opt_outs(self):
        no_reminders = self._invoice()
        no_reminders.crm_no_reminders = True
        opted_out = self.env["res.partner"].create(
            {"name": "Quiet SA", "is_company": True, "crm_no_payment_reminders": True}
        )
        contact = self.env["res.partner"].create(
            {"name": "Ana", "parent_id": opted_out.id, "email": "ana@quiet.example.com"}
        )
        self.assertTrue(
            contact.crm_no_payment_reminders, "contacts follow their company"
        )
        for_contact = self._invoice(partner=contact)
        no_email = self._invoice(
            partner=self.env["res.partner"].create({"name": "Nomail"})
        )
        self._run_days(1, 40)
        self.assertFalse((no_reminders + for_contact + no_email).crm_reminder_ids)

    def test_no_reminder_for_paid_cancelled_draft_or_credit_notes(self):
        paid = self._invoice()
        self.pay(paid)
        cancelled = self._invoice()
        cancelled.button_cancel()
        draft = self._invoice(post=False)
        refund = self._invoice(move_type="out_refund")
        with freeze_time(day(40)):
            self.job()
        self.assertFalse((paid + cancelled + draft + refund).crm_reminder_ids)

    def test_partially_paid_invoice_is_reminded_of_the_rest(self):
        invoice = self._invoice(amount=1000.0)
        self.pay(invoice, 400.0, date(2026, 2, 10))
        with freeze_time(day(8)):
            self.job()
        reminder = invoice.crm_reminder_ids
        self.assertEqual(reminder.amount_due, 600.0)
        self.assertIn("600.00", reminder.mail_message_id.body)
        self.assertIn("8 days overdue", reminder.mail_message_id.body)

    def test_email_lands_in_the_queue_in_the_customers_language(self):
        romanian = self.romanian_customer()
        ro_invoice = self._invoice(partner=romanian, amount=1234.5)
        en_invoice = self._invoice()
        with freeze_time(day(7)):
            self.job()
        mails = self.env["mail.mail"].search(
            [
                ("model", "=", "account.move"),
                ("res_id", "in", (ro_invoice + en_invoice).ids),
            ]
        )
        self.assertEqual(
            set(mails.mapped("state")), {"outgoing"}, "queued, not sent inline"
        )
        ro_mail = mails.filtered(lambda m: m.res_id == ro_invoice.id)
        en_mail = mails.filtered(lambda m: m.res_id == en_invoice.id)
        self.assertEqual(ro_mail.recipient_ids, romanian)
        self.assertIn("Memento", ro_mail.subject)
        self.assertIn(ro_invoice.name, ro_mail.subject)
        self.assertIn("restantă", ro_mail.body_html)
        self.assertIn("1.234,50", ro_mail.body_html, "amounts in Romanian format")
        self.assertIn("Friendly reminder", en_mail.subject)
        self.assertEqual(ro_invoice.crm_reminder_ids.email_to, romanian.email_formatted)

    def test_editing_levels(self):
        invoice = self._invoice()
        level_21 = self.env["crm.invoices.reminder.level"].create(
            {
                "name": "Phone call first",
                "delay_days": 21,
                "mail_template_id": self.level_2.mail_template_id.id,
            }
        )
        self.level_2.active = False
        self._run_days(1, 40)
        self.assertEqual(
            self._sent(invoice),
            [(self.level_1, 7), (level_21, 21), (self.level_3, 30)],
        )
        for make_twin in (
            lambda: self.env["crm.invoices.reminder.level"].create(
                {
                    "name": "Twin",
                    "delay_days": 21,
                    "mail_template_id": self.level_1.mail_template_id.id,
                }
            ),
            lambda: level_21.write({"delay_days": 7}),
        ):
            with (
                mute_logger("odoo.sql_db"),
                self.assertRaises(IntegrityError) as caught,
                self.cr.savepoint(),
            ):
                make_twin()
                self.env.flush_all()
            # What the web client shows for it:
            shown = str(_as_validation_error(self.env, caught.exception))
            self.assertIn("cannot go out the same number of days", shown)
        self.assertEqual(level_21.delay_days, 21)

    def test_overlapping_runs_send_once(self):
        invoice = self._invoice()
        with freeze_time(day(7)):
            selected_by_a = self.engine._due(date.fromisoformat(day(7)))
            self.assertIn((invoice.id, self.level_1.id, 7), selected_by_a)
            self.job()  # run B goes through while run A is between select and send
            sent_by_a, _retry, _failed = self.engine._send(selected_by_a, "job")
        self.assertFalse(sent_by_a)
        self.assertEqual(len(invoice.crm_reminder_ids), 1)
        self.assertEqual(
            len(invoice.message_ids.filtered(lambda m: m.message_type == "comment")), 1
        )
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.cr.savepoint(),
        ):
            self.env["crm.invoices.reminder"].create(
                {"move_id": invoice.id, "level_id": self.level_1.id}
            ).flush_recordset()

    def test_locked_invoice_is_left_to_its_holder_then_retried(self):
        invoice = self._invoice()
        engine = self.env.registry["crm.invoices.reminder.engine"]
        with freeze_time(day(7)):
            due = self.engine._due(date.fromisoformat(day(7)))
            with patch.object(engine, "_lock", lambda self, moves: moves.browse()):
                sent, retry, failed = self.engine._send(due, "job")
        self.assertFalse(sent)
        self.assertEqual(retry, {invoice.id})
        self.assertFalse(failed)
        self.assertFalse(invoice.crm_reminder_ids)

        # The job looks again at what another run held, in a later pass, and
        # asks to run again soon when it is still held at the end.
        cron = self.env.ref("crm_invoices.ir_cron_crm_send_reminders")
        held = {"calls": 0}

        def lock_on_second_pass(self, moves):
            held["calls"] += 1
            return moves.browse() if held["calls"] == 1 else moves

        with freeze_time(day(7)), patch.object(engine, "_lock", lock_on_second_pass):
            self.assertEqual(self.job(), 1)
        self.assertEqual(invoice.crm_reminder_ids.level_id, self.level_1)
        other = self._invoice()
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        with (
            freeze_time(day(7)),
            patch.object(engine, "_lock", lambda self, moves: moves.browse()),
        ):
            self.assertEqual(self.job(), 0)
        self.assertFalse(other.crm_reminder_ids)
        self.assertTrue(
            self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]) - triggers
        )

    def test_reminder_email_does_not_write_the_customer(self):
        """Two runs reminding invoices of one customer must not both write it
        (the signup invitation of the email's link used to)."""
        self.env["ir.config_parameter"].sudo().set_param(
            "auth_signup.invitation_scope", "b2c"
        )
        invoice = self._invoice()
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE res_partner SET write_date = '2026-01-01' WHERE id = %s",
            self.customer.ids,
        )
        self.customer.invalidate_recordset()
        with freeze_time(day(7)):
            self.job()
            self.env.flush_all()
        self.assertEqual(invoice.crm_reminder_ids.level_id, self.level_1)
        self.customer.invalidate_recordset()
        self.assertEqual(str(self.customer.write_date), "2026-01-01 00:00:00")
        self.assertFalse(self.customer.signup_type)

    def test_eligibility_rule_and_its_domain_agree(self):
        """The job selects with the rule's domain; a user is told the first
        condition an invoice fails: both come from one rule."""
        opted_out = self._invoice()
        opted_out.crm_no_reminders = True
        no_email = self._invoice(partner=self.customer.copy({"email": False}))
        quiet = self.customer.copy({"crm_no_payment_reminders": True})
        customer_opted_out = self._invoice(partner=quiet)
        paid = self._invoice()
        self.pay(paid)
        in_dispute = self._invoice()
        in_dispute.action_toggle_block_payment()
        moves = (
            self._invoice()
            + opted_out
            + no_email
            + customer_opted_out
            + paid
            + in_dispute
            + self._invoice(post=False)
            + self._invoice(move_type="out_refund")
        )
        with freeze_time(day(8)):
            today = date.fromisoformat(day(8))
            candidates = {row[0] for row in self.engine._candidates(today, moves)}
            refusals = {move.id: self.engine._refusal(move) for move in moves}
        self.assertEqual(candidates, set(moves[:1].ids))
        self.assertEqual(
            [refusals[move.id] for move in moves[1:]],
            [
                "the invoice is marked 'no reminders'",
                "the customer has no email address",
                "the customer is marked 'no payment reminders'",
                "nothing left to pay",
                "the invoice is in dispute (blocked)",
                "nothing left to pay",
                "not a customer invoice",
            ],
        )

    def test_send_now_from_the_invoice(self):
        due_level_1 = self._invoice()
        not_yet_due = self._invoice()
        draft = self._invoice(post=False)
        with freeze_time(day(9)):
            not_yet_due.invoice_date_due = date.fromisoformat(day(6))  # 3 days late
            action = (due_level_1 + not_yet_due + draft).action_crm_send_reminder()
            wizard = Form(
                self.env[action["res_model"]].with_context(action["context"])
            ).save()
            self.assertIn("1 reminder(s) will be sent.", wizard.summary)
            result = wizard.action_send()
        self.assertEqual(due_level_1.crm_reminder_ids.level_id, self.level_1)
        self.assertEqual(due_level_1.crm_reminder_ids.sent_by, "user")
        self.assertEqual(due_level_1.crm_reminder_ids.user_id, self.env.user)
        message = result["params"]["message"]
        self.assertIn("1 reminder(s) sent.", message)
        self.assertIn("no level due yet: choose one to send it anyway", message)
        self.assertIn("nothing left to pay", message)

        with freeze_time(day(9)):
            chosen = self.env["crm.invoices.reminder.send"].create(
                {
                    "move_ids": [(6, 0, (due_level_1 + not_yet_due).ids)],
                    "level_id": self.level_3.id,
                }
            )
            chosen.action_send()
            again = (
                self.env["crm.invoices.reminder.send"]
                .create(
                    {"move_ids": [(6, 0, not_yet_due.ids)], "level_id": self.level_3.id}
                )
                .action_send()
            )
        self.assertEqual(not_yet_due.crm_reminder_ids.level_id, self.level_3)
        self.assertEqual(len(due_level_1.crm_reminder_ids), 2)
        with freeze_time(day(9)):
            form = Form(
                self.env["crm.invoices.reminder.send"].with_context(
                    default_move_ids=due_level_1.ids
                )
            )
            self.assertIn("the level due was already sent", form.summary)
        self.assertIn("this level was already sent", again["params"]["message"])
        self.assertEqual(len(not_yet_due.crm_reminder_ids), 1)

    def test_selection_query_count_does_not_grow_with_invoices(self):
        def queries():
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            due = self.engine._due(date.fromisoformat(day(8)))
            return self.cr.sql_log_count - start, len(due)

        for _i in range(2):
            self._invoice()
        queries()
        few_queries, few = queries()
        for _i in range(20):
            self._invoice(partner=self.customer.copy({"email": "x@example.com"}))
        many_queries, many = queries()
        self.assertEqual(many - few, 20)
        self.assertEqual(many_queries, few_queries)

    def test_statistics_per_level(self):
        paid_soon = self._invoice()
        never_paid = self._invoice()
        with freeze_time(day(7)):
            self.job()
        with freeze_time(day(10)):
            self.pay(paid_soon, payment_date=date.fromisoformat(day(10)))
        report = self.env["crm.invoices.reminder.report"]
        mine = [("move_id", "in", (paid_soon + never_paid).ids)]
        [row] = report.read_group(
            mine,
            ["reminder_count:sum", "paid_within_count:sum", "paid_within_rate:sum"],
            ["level_id"],
        )
        self.assertEqual(row["level_id"][0], self.level_1.id)
        self.assertEqual((row["reminder_count"], row["paid_within_count"]), (2, 1))
        self.assertAlmostEqual(row["paid_within_rate"], 50.0)

    def test_list_shows_and_filters_last_reminder(self):
        invoice = self._invoice()
        other = self._invoice()
        other.crm_no_reminders = True
        with freeze_time(day(15)):
            self.job()
        self.assertEqual(invoice.crm_last_reminder_level_id, self.level_2)
        self.assertEqual(
            invoice.crm_last_reminder_date.date(), date.fromisoformat(day(15))
        )
        found = self.env["account.move"].search(
            [
                ("id", "in", (invoice + other).ids),
                ("crm_last_reminder_level_id", "!=", False),
            ]
        )
        self.assertEqual(found, invoice)

    def test_new_company_gets_the_shipped_ladder(self):
        company = self.env["res.company"].create({"name": "Filiala Cluj SRL"})
        levels = self.env["crm.invoices.reminder.level"].search(
            [("company_id", "=", company.id)]
        )
        self.assertEqual(levels.mapped("delay_days"), [7, 14, 30])
        self.assertEqual(levels.mail_template_id, self.levels.mail_template_id)
