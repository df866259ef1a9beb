from odoo.tests import tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import PayLinkCommon


@tagged("post_install", "-at_install")
class TestPayFlows(PayLinkCommon):
    def test_full_payment_is_posted_and_reconciled(self):
        invoice = self.open_invoice(amount=500.0)
        token, link = self.token_of(invoice)
        processing = self.start_payment(token)
        tx = self.transaction(processing["reference"])
        self.assertEqual((tx.amount, tx.invoice_ids), (500.0, invoice))
        self.assertEqual(link.attempt_count, 1)
        self.simulate(tx.reference, "done")
        status = self.page(token, "/status")  # the landing page post-processes
        self.assertIn("your payment was received", status.text)
        self.assertEqual(invoice.payment_state, invoice._get_invoice_in_payment_state())
        self.assertEqual(invoice.crm_status, "paid")
        self.assertTrue(invoice.crm_paid_online)
        self.assertEqual(link.state, "paid")
        self.assertTrue(tx.payment_id.is_reconciled or tx.payment_id.state == "paid")
        chatter = " ".join(invoice.message_ids.mapped("body"))
        self.assertIn(tx.reference, chatter)
        self.assertIn("already paid", self.page(token).text)
        # the AR trend counts the money as collected by pay link
        self.env.flush_all()
        [trend] = self.env["crm.invoices.ar.trend"].read_group(
            [("partner_id", "=", invoice.commercial_partner_id.id)],
            ["collected:sum", "collected_pay_link:sum", "collected_manual:sum"],
            [],
        )
        self.assertEqual(
            (trend["collected"], trend["collected_pay_link"]), (500.0, 500.0)
        )
        self.assertEqual(trend["collected_manual"], 0.0)

    def test_partial_payment_leaves_the_rest(self):
        self.env.company.write(
            {"crm_paylink_partial": True, "crm_paylink_min_amount": 50.0}
        )
        invoice = self.open_invoice(amount=500.0)
        token, _link = self.token_of(invoice)
        page = self.page(token)
        chosen = self.page(
            token, data={"amount": "1 20,00", "csrf_token": self.csrf_of(page.text)}
        )
        self.assertEqual(chosen.status_code, 200, "120,00 as people type it")
        self.assertIn('data-amount="120.0"', chosen.text)
        processing = self.start_payment(token, amount="120,00")
        tx = self.transaction(processing["reference"])
        self.assertEqual(tx.amount, 120.0)
        self.simulate(tx.reference, "done")
        tx._post_process()
        self.assertEqual(invoice.payment_state, "partial")
        self.assertEqual(invoice.amount_residual, 380.0)
        self.assertEqual(invoice.crm_status, "partial")

    @mute_logger("odoo.http")
    def test_amounts_the_link_refuses(self):
        invoice = self.open_invoice(amount=500.0)
        token, _link = self.token_of(invoice)
        # without part payments, what the client says is ignored: the amount due
        processing = self.start_payment(token, amount="1.00")
        self.assertEqual(self.transaction(processing["reference"]).amount, 500.0)
        self.simulate(processing["reference"], "cancel")  # the link is free again
        self.env.company.write(
            {"crm_paylink_partial": True, "crm_paylink_min_amount": 50.0}
        )
        transactions = self.env["payment.transaction"].sudo().search_count([])
        for amount in ("abc", "0", "-5", "500.01", "10"):
            with self.subTest(amount=amount):
                page = self.page(token)
                refused = self.page(
                    token,
                    data={"amount": amount, "csrf_token": self.csrf_of(page.text)},
                )
                self.assertEqual(refused.status_code, 422)
                with self.assertRaises(JsonRpcException):
                    self.start_payment(token, amount=amount)
        self.assertEqual(
            self.env["payment.transaction"].sudo().search_count([]), transactions
        )

    def test_pending_cancelled_failed_change_nothing(self):
        invoice = self.open_invoice(amount=300.0)
        token, _link = self.token_of(invoice)
        for state, words in (
            ("cancel", "did not go through"),
            ("error", "did not go through"),
            # last: a pending payment holds the link (no second payment)
            ("pending", "being processed"),
        ):
            with self.subTest(state=state):
                processing = self.start_payment(token)
                self.simulate(processing["reference"], state)
                self.assertIn(words, self.page(token, "/status").text)
                self.assertEqual(invoice.payment_state, "not_paid")
                self.assertEqual(invoice.amount_residual, 300.0)
                self.assertFalse(self.transaction(processing["reference"]).payment_id)

    def test_replayed_notification_makes_one_payment(self):
        invoice = self.open_invoice(amount=200.0)
        token, _link = self.token_of(invoice)
        reference = self.start_payment(token)["reference"]
        for _replay in range(3):
            self.simulate(reference, "done")
            self.transaction(reference)._post_process()
            self.page(token, "/status")
        payments = self.env["account.payment"].search(
            [("payment_transaction_id.reference", "=", reference)]
        )
        self.assertEqual(len(payments), 1)
        self.assertEqual(invoice.amount_residual, 0.0)

    @mute_logger("odoo.http")
    def test_saved_cards_and_tampered_tokens_are_refused(self):
        invoice = self.open_invoice(amount=200.0)
        token, _link = self.token_of(invoice)
        transactions = self.env["payment.transaction"].sudo().search_count([])
        with self.assertRaises(JsonRpcException):
            self.start_payment(token, flow="token", token_id=1)
        with self.assertRaises(JsonRpcException):
            self.start_payment("A" * 43)
        self.assertEqual(
            self.env["payment.transaction"].sudo().search_count([]), transactions
        )

    def test_a_link_of_company_b_shows_and_pays_company_b_only(self):
        company_b = self.setup_other_company(name="Filiala B SRL")["company"]
        provider_b = self.prepare_provider(company_b)
        invoice_b = self.open_invoice(amount=70.0, company=company_b)
        token, _link = self.token_of(invoice_b)
        html = self.page(token).text
        self.assertIn("Filiala B SRL", html)
        self.assertNotIn(self.env.company.name, html)
        processing = self.start_payment(token, provider_id=provider_b.id)
        tx = self.transaction(processing["reference"])
        self.assertEqual((tx.company_id, tx.invoice_ids), (company_b, invoice_b))

    def test_another_companys_or_a_disabled_provider_is_refused(self):
        company_b = self.setup_other_company(name="Filiala C SRL")["company"]
        own = self.prepare_provider(company_b)
        invoice_b = self.open_invoice(amount=70.0, company=company_b)
        token, _link = self.token_of(invoice_b)
        transactions = self.env["payment.transaction"].sudo().search_count([])
        with self.assertRaises(JsonRpcException):
            self.start_payment(token, provider_id=self.provider.id)  # company A's
        own.state = "disabled"
        with self.assertRaises(JsonRpcException):
            self.start_payment(token, provider_id=own.id)
        self.assertEqual(
            self.env["payment.transaction"].sudo().search_count([]), transactions
        )
