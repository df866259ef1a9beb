from odoo.tests import tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import PayLinkCommon


@tagged("post_install", "-at_install")
class TestPayLinkSecurity(PayLinkCommon):
    """A link takes payments only while its invoice is posted with money due,
    never twice at once, and a link that does not shows nothing of it."""

    def assert_shows_nothing_of(self, response, invoice):
        self.assertEqual(response.status_code, 410)
        for secret in (invoice.name, "810.00", "invoice.pdf"):
            self.assertNotIn(secret, response.text)

    def transactions_of(self, invoice):
        return (
            self.env["payment.transaction"]
            .sudo()
            .search([("invoice_ids", "in", invoice.ids)])
        )

    @mute_logger("odoo.http")
    def test_a_draft_is_not_payable_and_reposting_reopens_the_same_link(self):
        invoice = self.open_invoice(amount=810.0)
        token, link = self.token_of(invoice)
        invoice.button_draft()
        invoice.invoice_line_ids.price_unit = 900.0
        self.assertEqual(link.state, "closed")
        self.assert_shows_nothing_of(self.page(token), invoice)
        self.assert_shows_nothing_of(self.page(token, "/status"), invoice)
        self.assertEqual(self.page(token, "/invoice.pdf").status_code, 404)
        with self.assertRaises(JsonRpcException):
            self.start_payment(token)
        self.assertFalse(self.transactions_of(invoice))
        self.assertFalse(invoice.crm_pay_link_url)
        # posted again: the same link, for the new amount (the server's)
        invoice.action_post()
        self.assertEqual(self.token_of(invoice)[1], link)
        self.assertEqual(link.state, "active")
        processing = self.start_payment(token)
        self.assertEqual(self.transaction(processing["reference"]).amount, 900.0)

    @mute_logger("odoo.http")
    def test_validation_transactions_are_refused(self):
        invoice = self.open_invoice(amount=810.0)
        token, _link = self.token_of(invoice)
        with self.assertRaises(JsonRpcException):
            self.start_payment(token, is_validation=True)
        self.assertFalse(self.transactions_of(invoice))

    def test_revoked_expired_and_cancelled_links_show_nothing(self):
        revoked, expired, cancelled = (
            self.open_invoice(amount=810.0) for _i in range(3)
        )
        tokens = {
            move: self.token_of(move)[0] for move in (revoked, expired, cancelled)
        }
        revoked.crm_pay_link_id.sudo().action_revoke()
        expired.sudo().crm_pay_link_id.expiry_date = "2020-01-01 00:00:00"
        cancelled.button_cancel()
        for invoice, token in tokens.items():
            with self.subTest(invoice=invoice.name):
                self.assert_shows_nothing_of(self.page(token), invoice)
                self.assert_shows_nothing_of(self.page(token, "/status"), invoice)
                self.assertEqual(self.page(token, "/invoice.pdf").status_code, 404)

    def test_no_payment_link_outside_posted_invoices_with_money_due(self):
        cancelled, draft, open_invoice = (self.open_invoice() for _i in range(3))
        cancelled.button_cancel()
        draft.button_draft()
        api = self.env["crm.invoices.api"]
        rows = {
            int(row["odoo_id"]): row["payment_link"]
            for row in api._serialize(cancelled | draft | open_invoice)
        }
        self.assertEqual(
            rows,
            {
                cancelled.id: None,
                draft.id: None,
                open_invoice.id: open_invoice.crm_pay_link_url,
            },
        )
        self.assertTrue(open_invoice.crm_pay_link_url)
        self.assertFalse(cancelled.crm_pay_link_url or draft.crm_pay_link_url)
        self.assertFalse(cancelled.crm_pay_link_qr or draft.crm_pay_link_qr)

    @mute_logger("odoo.http")
    def test_a_second_payment_waits_for_the_first(self):
        invoice = self.open_invoice(amount=810.0)
        token, _link = self.token_of(invoice)
        first = self.start_payment(token)["reference"]
        with self.assertRaises(JsonRpcException):
            self.start_payment(token)  # the first one may still charge
        self.simulate(first, "pending")
        with self.assertRaises(JsonRpcException):
            self.start_payment(token)
        self.assertEqual(len(self.transactions_of(invoice)), 1)
        self.simulate(first, "done")
        self.transaction(first)._post_process()
        self.assertEqual(invoice.payment_state in ("paid", "in_payment"), True)
        with self.assertRaises(JsonRpcException):
            self.start_payment(token)  # paid: nothing to charge
        self.assertEqual(len(self.transactions_of(invoice)), 1)

    @mute_logger("odoo.http")
    def test_an_abandoned_or_failed_payment_frees_the_link(self):
        invoice = self.open_invoice(amount=810.0)
        token, _link = self.token_of(invoice)
        first = self.start_payment(token)["reference"]
        self.simulate(first, "error")
        second = self.start_payment(token)["reference"]
        # abandoned on the provider's page long ago: no longer holds the link
        self.env.cr.execute(
            "UPDATE payment_transaction SET create_date = now() - interval '1 hour' "
            "WHERE reference = %s",
            [second],
        )
        self.transaction(second).invalidate_recordset()
        third = self.start_payment(token)["reference"]
        self.assertEqual(len({first, second, third}), 3)
