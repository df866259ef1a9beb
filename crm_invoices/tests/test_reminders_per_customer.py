from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from ..migration import move_statements_off_contacts
from .common import CrmInvoicesCommon
from .test_reminders import DUE, day


@tagged("post_install", "-at_install")
class TestRemindersPerCustomer(CrmInvoicesCommon):
    """A company that reminds per customer: one email a run per customer,
    listing every invoice due a reminder; each invoice's levels recorded as
    when it is reminded alone."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.crm_reminder_grouping = "customer"
        cls.levels = cls.env["crm.invoices.reminder.level"].search(
            [("company_id", "=", cls.env.company.id)], order="delay_days"
        )
        cls.level_1, cls.level_2, cls.level_3 = cls.levels
        cls.job = cls.env["crm.invoices.reminder.engine"]._cron_send_reminders

    def _invoices(self, count, partner=None, amount=100.0, due=DUE):
        with freeze_time("2026-02-01"):
            return self.env["account.move"].concat(
                *(
                    self.make_invoice(
                        amount + index,
                        invoice_date=date(2026, 2, 1),
                        due_date=due,
                        partner=partner,
                    )
                    for index in range(count)
                )
            )

    def _statements(self, customer):
        """The statement emails sent to ``customer``."""
        return self.env["mail.message"].search(
            [
                ("model", "=", "crm.invoices.statement"),
                (
                    "res_id",
                    "in",
                    self.env["crm.invoices.statement"]
                    .search([("partner_id", "=", customer.id)])
                    .ids,
                ),
                ("message_type", "=", "comment"),
            ]
        )

    def test_six_overdue_invoices_one_email_listing_them_all(self):
        invoices = self._invoices(6)
        other = self._invoices(1, partner=self.other_customer)
        with freeze_time(day(7)):
            self.job()
        statements = self._statements(self.customer)
        self.assertEqual(len(statements), 1)
        reminders = invoices.crm_reminder_ids
        self.assertEqual(len(reminders), 6)
        self.assertEqual(reminders.level_id, self.level_1)
        self.assertEqual(reminders.mail_message_id, statements)
        body = statements.body
        for invoice in invoices:
            self.assertIn(invoice.name, body)
        self.assertIn(self.level_1.name, body)
        # the total of the six: 100 + 101 + ... + 105 = 615
        self.assertIn("615.00", body)
        # one link for the six where an addon gives one (the same debt gets
        # the same link), else each invoice's own
        one_link = invoices._crm_statement_pay_url()
        for url in invoices._crm_pay_urls().values():
            (self.assertNotIn if one_link else self.assertIn)(url, body)
        if one_link:
            self.assertIn(one_link, body)
        mail = self.env["mail.mail"].search([("mail_message_id", "=", statements.id)])
        self.assertEqual(mail.recipient_ids, self.customer)
        self.assertEqual(len(self._statements(self.other_customer)), 1)
        self.assertEqual(len(other.crm_reminder_ids), 1)
        # no email on the invoices themselves
        self.assertFalse(
            invoices.message_ids.filtered(lambda m: m.message_type == "comment")
        )

    def test_never_twice_and_the_levels_escalate_per_invoice(self):
        early = self._invoices(2)
        with freeze_time(day(7)):
            self.job()
            self.job()  # a second run the same day sends nothing
        self.assertEqual(len(self._statements(self.customer)), 1)
        late = self._invoices(1, due=date(2026, 3, 9))  # due a week later
        with freeze_time(day(14)):
            self.job()
        statements = self._statements(self.customer)
        self.assertEqual(len(statements), 2)
        # the early invoices reach level 2, the later one its first
        self.assertEqual(early.crm_last_reminder_level_id, self.level_2)
        self.assertEqual(late.crm_last_reminder_level_id, self.level_1)
        newest = statements.sorted("id")[-1]
        in_newest = self.env["crm.invoices.reminder"].search(
            [("mail_message_id", "=", newest.id)]
        )
        self.assertEqual(in_newest.move_id, early + late)

    def test_a_paid_invoice_leaves_the_next_statement(self):
        invoices = self._invoices(3)
        with freeze_time(day(7)):
            self.job()
        with freeze_time(day(10)):
            self.pay(invoices[0], payment_date=date.fromisoformat(day(10)))
        with freeze_time(day(14)):
            self.job()
        newest = self._statements(self.customer).sorted("id")[-1]
        self.assertNotIn(invoices[0].name, newest.body)
        self.assertIn(invoices[1].name, newest.body)
        self.assertEqual(invoices[0].crm_last_reminder_level_id, self.level_1)

    def test_per_invoice_stays_the_default(self):
        self.assertEqual(
            self.env["res.company"].new({}).crm_reminder_grouping, "invoice"
        )

    def test_the_statement_speaks_the_customers_language(self):
        romanian = self.romanian_customer()
        self._invoices(2, partner=romanian, amount=1234.5)
        with freeze_time(day(7)):
            self.job()
        mail = self.env["mail.mail"].search(
            [("mail_message_id", "in", self._statements(romanian).ids)]
        )
        self.assertEqual(mail.subject, "Facturi restante: 2 de plătit")
        self.assertIn("Rest de plată", mail.body_html)
        self.assertIn("2.470,00", mail.body_html, "the total in Romanian format")
        self.assertEqual(mail.state, "outgoing", "queued, not sent inline")

    def test_a_batch_never_splits_a_customers_statement(self):
        invoices = self._invoices(5)
        other = self._invoices(2, partner=self.other_customer)
        with freeze_time(day(7)):
            self.job(batch_size=2)
        self.assertEqual(len(self._statements(self.customer)), 1)
        self.assertEqual(len(self._statements(self.other_customer)), 1)
        self.assertEqual(len((invoices + other).crm_reminder_ids), 7)

    def test_only_those_who_see_the_invoices_read_a_statement(self):
        """The statement (invoice numbers, amounts, the link that pays them)
        is kept on a record of its own, not on the customer's contact that
        every employee reads."""
        invoices = self._invoices(2)
        with freeze_time(day(7)):
            self.job()
        [message] = self._statements(self.customer)
        statement = invoices.crm_reminder_ids.statement_id
        self.assertEqual(len(statement), 1)
        self.assertEqual(statement.move_ids, invoices)
        self.assertEqual(statement.partner_id, self.customer)
        self.assertFalse(
            self.customer.message_ids.filtered(
                lambda m: invoices[0].name in (m.body or "")
            ),
            "nothing of the statement on the customer's contact",
        )
        employee = self.env["res.users"].create(
            {
                "name": "Plain Employee",
                "login": "plain_employee",
                "groups_id": [(6, 0, [self.env.ref("base.group_user").id])],
            }
        )
        as_employee = self.env["mail.message"].with_user(employee)
        self.assertFalse(
            as_employee.search([("body", "ilike", invoices[0].name)]),
            "a plain employee finds no statement",
        )
        with self.assertRaises(AccessError):
            as_employee.browse(message.id).read(["body"])
        with self.assertRaises(AccessError):
            statement.with_user(employee).read(["partner_id"])
        # an AR user of the company reads it, and may note a call on it
        clerk = self.make_ar_user("statement_reader")
        self.assertIn(
            invoices[0].name, as_employee.with_user(clerk).browse(message.id).body
        )
        statement.with_user(clerk).message_post(body="Promised to pay on Friday")
        # another company's AR manager does not
        company_b = self.setup_other_company(name="Filiala Extrase SRL")["company"]
        manager_b = self.make_ar_user("statement_b", manager=True, company=company_b)
        with self.assertRaises(AccessError):
            statement.with_user(manager_b).read(["partner_id"])

    def test_statements_sent_before_move_off_the_contacts(self):
        """A database whose statements were posted on the customers'
        contacts (before 18.0.1.6.0): the migration gives each its record and
        moves its email there, with the customer's reply."""
        invoices = self._invoices(2)
        with freeze_time(day(7)):
            self.job()
        [message] = self._statements(self.customer)
        statement = invoices.crm_reminder_ids.statement_id
        reply = self.env["mail.message"].create(
            {
                "model": "crm.invoices.statement",
                "res_id": statement.id,
                "parent_id": message.id,
                "body": "We paid yesterday",
                "message_type": "email",
            }
        )
        # as the earlier version left it
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE mail_message SET model = 'res.partner', res_id = %s WHERE id IN %s",
            [self.customer.id, (message.id, reply.id)],
        )
        self.env.cr.execute(
            "UPDATE crm_invoices_reminder SET statement_id = NULL WHERE id IN %s",
            [tuple(invoices.crm_reminder_ids.ids)],
        )
        self.env.cr.execute(
            "DELETE FROM crm_invoices_statement WHERE id = %s", [statement.id]
        )
        self.env.invalidate_all()
        self.assertEqual(move_statements_off_contacts(self.env), 1)
        self.assertEqual(move_statements_off_contacts(self.env), 0, "once")
        moved = invoices.crm_reminder_ids.statement_id
        self.assertEqual(len(moved), 1)
        self.assertEqual(moved.partner_id, self.customer)
        self.assertEqual(moved.company_id, self.env.company)
        self.assertEqual(
            (message | reply).mapped("model"), ["crm.invoices.statement"] * 2
        )
        self.assertEqual((message | reply).mapped("res_id"), [moved.id] * 2)
        self.assertFalse(
            self.env["mail.message"].search(
                [
                    ("model", "=", "res.partner"),
                    ("res_id", "=", self.customer.id),
                    ("body", "ilike", invoices[0].name),
                ]
            )
        )
