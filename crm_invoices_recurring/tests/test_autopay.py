from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import tagged

from .common import Command, Recurrence, RecurringCommon


@tagged("post_install", "-at_install")
class TestAutopay(RecurringCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.crm_recurring_autopay = True
        cls.provider.allow_tokenization = True

    def next_invoice(self, invoice, months=1):
        made = self.run_job(fields.Date.today() + relativedelta(months=months))
        return made.filtered(
            lambda move: move.crm_recurring_contract_id == invoice.crm_schedule_id
        )

    def test_the_pay_page_offers_to_save_the_card_only_for_a_schedule(self):
        repeating = self.repeating()
        plain = self.make_invoice(
            invoice_date=fields.Date.today(),
            due_date=fields.Date.today() + timedelta(days=30),
        )
        token, _link = self.token_of(repeating)
        self.assertIn("o_payment_tokenize_checkbox", self.page(token).text)
        plain_token, _link = self.token_of(plain)
        self.assertNotIn("o_payment_tokenize_checkbox", self.page(plain_token).text)
        # consent asked for where it is not offered is not taken
        self.start_payment(plain_token, tokenization_requested=True)
        self.assertFalse(plain.transaction_ids.tokenize)
        self.start_payment(token, tokenization_requested=True)
        transaction = repeating.transaction_ids
        self.assertTrue(transaction.tokenize)
        # the provider made the card a token and confirmed the payment
        transaction.token_id = self.saved_card()
        transaction._set_done()
        transaction._post_process()
        self.assertEqual(
            repeating.crm_schedule_id.crm_payment_token_id, transaction.token_id
        )

    def test_later_invoices_are_charged_once(self):
        invoice = self.repeating()
        card = self.saved_card()
        invoice.crm_schedule_id.sudo().crm_payment_token_id = card
        with self.provider_answers("done") as asked:
            made = self.next_invoice(invoice)
            self.assertEqual(len(asked), 1)
            self.assertIn(made.payment_state, ("paid", "in_payment"))
            self.assertEqual(made.crm_autopay_state, "charged")
            # a retry, a second run: never a second charge
            self.assertIsNone(made._crm_autopay_charge())
            self.assertFalse(self.next_invoice(invoice))
            self.assertEqual(len(asked), 1)
            self.assertEqual(len(made.transaction_ids), 1)

    def test_a_refused_card_leaves_the_pay_link_and_reminders(self):
        invoice = self.repeating()
        invoice.crm_schedule_id.sudo().crm_payment_token_id = self.saved_card()
        with self.provider_answers("error") as asked:
            made = self.next_invoice(invoice)
        self.assertEqual(len(asked), 1)
        self.assertEqual(made.payment_state, "not_paid")
        self.assertEqual(made.crm_autopay_state, "failed")
        self.assertTrue(made.sudo().crm_pay_link_id)
        self.assertFalse(made.crm_no_reminders)
        self.assertIn(
            "refused",
            made.message_ids[:3].mapped("body")[0]
            + "".join(made.message_ids.mapped("body")),
        )
        with self.provider_answers("done") as again:
            self.assertIsNone(made._crm_autopay_charge())
        self.assertFalse(again, "a refused charge is not retried by itself")

    def test_never_charged_for_an_invoice_paid_another_way(self):
        invoice = self.repeating()
        invoice.crm_schedule_id.sudo().crm_payment_token_id = self.saved_card()
        self.env.company.crm_recurring_invoice_state = "draft"
        made = self.next_invoice(invoice)
        made.action_post()
        self.pay(made)
        with self.provider_answers("done") as asked:
            self.assertIsNone(made._crm_autopay_charge())
        self.assertFalse(asked)

    def test_never_while_another_payment_is_in_progress(self):
        invoice = self.repeating()
        invoice.crm_schedule_id.sudo().crm_payment_token_id = self.saved_card()
        self.env.company.crm_recurring_invoice_state = "draft"
        made = self.next_invoice(invoice)
        made.action_post()
        token, _link = self.token_of(made)
        self.start_payment(token)
        self.simulate(made.transaction_ids.reference, "pending")
        with self.provider_answers("done") as asked:
            self.assertIsNone(made._crm_autopay_charge())
        self.assertFalse(asked)
        self.assertEqual(len(made.transaction_ids), 1)

    def test_a_removed_or_foreign_card_is_not_charged(self):
        for case in ("removed", "foreign", "no consent"):
            invoice = self.repeating()
            schedule = invoice.crm_schedule_id
            card = self.saved_card(
                partner=self.other_customer if case == "foreign" else None
            )
            schedule.sudo().crm_payment_token_id = card
            if case == "removed":
                card.action_archive()  # the portal's "delete"
            if case == "no consent":
                schedule.crm_autopay = False
            with self.provider_answers("done") as asked:
                made = self.next_invoice(invoice)
            self.assertFalse(asked, case)
            self.assertEqual(made.payment_state, "not_paid", case)

    def test_the_job_charges_after_the_invoices_are_made(self):
        invoice = self.repeating(Recurrence(1, "week", custom=True))
        invoice.crm_schedule_id.sudo().crm_payment_token_id = self.saved_card()
        with self.provider_answers("done") as asked:
            made = self.run_job(fields.Date.today() + timedelta(weeks=2))
        self.assertEqual(len(made), 2)
        self.assertEqual(len(asked), 2)
        self.assertEqual(set(made.mapped("crm_autopay_state")), {"charged"})

    def test_the_pay_page_asks_consent_in_a_browser(self):
        token, _link = self.token_of(self.repeating(amount=80.0))
        self.start_tour(f"/pay/{token}", "crm_invoices_recurring_pay_tour", login=None)

    def test_the_customer_removes_the_card_from_the_portal(self):
        invoice = self.repeating()
        card = self.saved_card()
        invoice.crm_schedule_id.sudo().crm_payment_token_id = card
        self.env["res.users"].create(
            {
                "name": "Portal Customer",
                "login": "recurring_portal",
                "password": "recurring_portal",
                "partner_id": self.customer.id,
                "groups_id": [Command.set(self.env.ref("base.group_portal").ids)],
            }
        )
        self.authenticate("recurring_portal", "recurring_portal")
        page = self.url_open("/my/payment_method")
        self.assertEqual(page.status_code, 200)
        self.assertIn("4242", page.text)
        self.jsonrpc("/payment/archive_token", {"token_id": card.id})
        self.assertFalse(card.active)
        with self.provider_answers("done") as asked:
            made = self.next_invoice(invoice)
        self.assertFalse(asked)
        self.assertEqual(made.payment_state, "not_paid")
