from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import PayLinkCommon, Refused


@tagged("post_install", "-at_install")
class TestChargedOnce(PayLinkCommon):
    """One charge per invoice whatever door takes it -- the invoice's pay
    link, a statement link, Odoo's portal, a transaction created over RPC --
    in any order: a payment the provider confirmed and Odoo has not recorded
    yet counts, and the next page a customer opens records it first."""

    def confirmed_not_recorded(self, processing):
        """The transaction of ``processing`` confirmed by the provider, as
        its notification leaves it: done, not post-processed."""
        tx = self.transaction(processing["reference"])
        self.simulate(tx.reference, "done")
        self.assertEqual(tx.state, "done")
        self.assertFalse(tx.is_post_processed)
        return tx

    def payments_of(self, invoices):
        return self.env["account.payment"].search(
            [("payment_transaction_id.invoice_ids", "in", invoices.ids)]
        )

    def assert_refused(self, start, *args, **kwargs):
        """The message a customer reads when ``start`` is refused."""
        with self.assertRaises(Refused) as refused, mute_logger("odoo.http"):
            start(*args, **kwargs)
        self.assertEqual(refused.exception.name, "odoo.exceptions.ValidationError")
        return refused.exception.message

    def test_invoice_link_confirmed_then_the_statement_link(self):
        invoices = self.overdue(2, amount=611.11)  # 611.11 and 612.11
        statement_token, statement = self.issue(invoices)
        invoice_token, _link = self.token_of(invoices[0])
        first = self.confirmed_not_recorded(self.start_payment(invoice_token))
        self.assertEqual(invoices[0].payment_state, "not_paid", "not recorded yet")
        # the statement link would have charged the same invoice again
        refusal = self.assert_refused(self.start_statement_payment, statement_token)
        self.assertIn("already in progress or has just been confirmed", refusal)
        self.assertIn(invoices[0].name, refusal)
        self.assertEqual(self.paying(invoices), 1)
        # the statement page records the confirmed payment first: it then
        # lists and charges only what is left
        page = self.page(f"statement/{statement_token}")
        self.assertTrue(first.is_post_processed)
        self.assertIn(invoices[0].payment_state, ("paid", "in_payment"))
        self.assertNotIn(invoices[0].name, page.text)
        self.assertIn(invoices[1].name, page.text)
        self.assertIn('data-amount="612.11"', page.text)
        second = self.transaction(
            self.start_statement_payment(statement_token)["reference"]
        )
        self.assertEqual(second.invoice_ids, invoices[1])
        self.assertEqual(second.amount, 612.11)
        self.simulate(second.reference, "done")
        self.page(f"statement/{statement_token}", "/status")
        # two invoices, two payments, nothing paid twice, no credit left over
        self.assertEqual(len(self.payments_of(invoices)), 2)
        self.assertEqual(invoices.mapped("amount_residual"), [0.0, 0.0])
        self.assertEqual(self.customer.credit, 0.0)

    def test_statement_link_confirmed_then_the_invoice_link(self):
        invoices = self.overdue(2)
        statement_token, statement = self.issue(invoices)
        tx = self.confirmed_not_recorded(self.start_statement_payment(statement_token))
        invoice_token, _link = self.token_of(invoices[1])
        refusal = self.assert_refused(self.start_payment, invoice_token)
        self.assertIn(invoices[1].name, refusal)
        # the invoice's page records the statement's payment, then says paid
        page = self.page(invoice_token)
        self.assertTrue(tx.is_post_processed)
        self.assertIn("This invoice is already paid", page.text)
        self.assertEqual(len(self.payments_of(invoices)), 1)
        self.assertEqual(statement.state, "paid")

    def test_one_link_twice(self):
        invoice = self.open_invoice(300.0)
        token, link = self.token_of(invoice)
        self.confirmed_not_recorded(self.start_payment(token))
        self.assert_refused(self.start_payment, token)
        self.assertEqual(len(link.transaction_ids), 1)

    def test_odoo_portal_is_one_more_door(self):
        invoice = self.open_invoice(250.0)
        token, _link = self.token_of(invoice)
        tx = self.confirmed_not_recorded(self.start_payment(token))
        self.assertFalse(invoice._has_to_be_paid(), "the portal offers no payment")
        self.assertIn("already in progress", invoice._get_online_payment_error())
        refusal = self.assert_refused(self.start_portal_payment, invoice)
        self.assertIn(invoice.name, refusal)
        # the portal page records the payment before it is drawn
        portal = self.url_open(
            f"/my/invoices/{invoice.id}?access_token={invoice._portal_ensure_token()}"
        )
        self.assertEqual(portal.status_code, 200)
        self.assertTrue(tx.is_post_processed)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        # and the other way round: a portal payment under way holds the links
        other = self.open_invoice(260.0)
        self.start_portal_payment(other)
        self.assert_refused(self.start_payment, self.token_of(other)[0])
        self.assertEqual(self.paying(other), 1)

    def test_the_status_page_records_every_confirmed_payment_of_its_link(self):
        invoice = self.open_invoice(400.0)
        token, link = self.token_of(invoice)
        abandoned = self.transaction(self.start_payment(token)["reference"])
        # left at the provider for longer than a payment holds the invoice
        self.env.cr.execute(
            "UPDATE payment_transaction SET create_date = %s WHERE id = %s",
            [fields.Datetime.now() - timedelta(minutes=11), abandoned.id],
        )
        abandoned.invalidate_recordset(["create_date"])
        later = self.transaction(self.start_payment(token)["reference"])
        # the customer then completes the first one after all, the second fails
        self.simulate(abandoned.reference, "done")
        self.simulate(later.reference, "cancel")
        self.assertEqual(link.transaction_ids.sorted("id")[-1:], later)
        status = self.page(token, "/status")
        self.assertEqual(status.status_code, 200)
        self.assertTrue(abandoned.is_post_processed)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(len(self.payments_of(invoice)), 1)

    def test_every_transaction_created_is_checked(self):
        """A user who may create and write transactions (an administrator
        with billing rights) over RPC is held to the same rule as the pay
        pages."""
        invoice = self.open_invoice(500.0)
        clerk = self.make_ar_user("charging_clerk")
        clerk.groups_id += self.env.ref("base.group_system")
        transactions = self.env["payment.transaction"].with_user(clerk)
        method = self.payment_method

        def refused(message):
            # the request that asked is rolled back: nothing is created
            return self.assertRaisesRegex(ValidationError, message)

        def charge(amount, reference, **values):
            with self.env.cr.savepoint():
                return transactions.create(
                    {
                        "provider_id": self.provider.id,
                        "payment_method_id": method.id,
                        "reference": reference,
                        "amount": amount,
                        "currency_id": invoice.currency_id.id,
                        "partner_id": invoice.partner_id.id,
                        "invoice_ids": [Command.set(invoice.ids)],
                        **values,
                    }
                )

        def write(values):
            with self.env.cr.savepoint():
                first.with_user(clerk).write(values)

        with refused("more than what is left"):
            charge(500.01, "RPC-1", operation="online_direct")
        first = charge(500.0, "RPC-2")  # no operation: still a charge
        with refused("already in progress"):
            charge(500.0, "RPC-3", operation="online_direct")
        charge(1.0, "RPC-4", operation="validation")  # a card check charges nothing
        self.assertEqual(self.paying(invoice), 2)
        # a charge moved onto another invoice, or raised past what is due
        other = self.open_invoice(500.0)
        charge(500.0, "RPC-5", invoice_ids=[Command.set(other.ids)])
        with refused("already in progress"):
            write({"invoice_ids": [Command.link(other.id)]})
        with refused("more than what is left"):
            write({"amount": 600.0})
        write({"amount": 400.0})
        self.assertEqual(first.invoice_ids, invoice)

    def test_nothing_left_to_pay_is_refused_at_every_door(self):
        invoice = self.open_invoice(100.0)
        token, _link = self.token_of(invoice)
        self.pay(invoice)
        refusal = self.assert_refused(self.start_portal_payment, invoice)
        self.assertIn("Nothing is left to pay", refusal)
        self.assert_refused(self.start_payment, token)
        self.assertEqual(self.paying(invoice), 0)
