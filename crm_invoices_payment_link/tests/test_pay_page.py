from odoo.tests import tagged

from .common import PayLinkCommon


@tagged("post_install", "-at_install")
class TestPayPage(PayLinkCommon):
    def test_page_shows_the_invoice_and_the_providers_without_login(self):
        invoice = self.open_invoice(amount=1234.5)
        token, link = self.token_of(invoice)
        response = self.page(token)
        self.assertEqual(response.status_code, 200)
        html = response.text
        self.assertIn(invoice.name, html)
        self.assertIn(self.env.company.name, html)
        self.assertIn("1,234.50", html)
        self.assertIn('id="o_payment_form"', html)
        self.assertIn(f"/pay/{token}/invoice.pdf", html)
        self.assertNotIn("web.assets_backend", html)
        self.assertTrue(link.last_opened, "a view writes the last opened stamp")
        pdf = self.page(token, "/invoice.pdf")
        self.assertEqual(pdf.headers["Content-Type"], "application/pdf")

    def test_unknown_malformed_revoked_tokens_reveal_nothing(self):
        invoice = self.open_invoice()
        token, link = self.token_of(invoice)
        for bad in ("nope", "x" * 43, token[:-1] + ("A" if token[-1] != "A" else "B")):
            with self.subTest(token=bad):
                response = self.page(bad)
                self.assertEqual(response.status_code, 404)
                self.assertNotIn(invoice.name, response.text)
                self.assertNotIn("Traceback", response.text)
        link.action_revoke()
        response = self.page(token)
        self.assertEqual(response.status_code, 410)
        self.assertNotIn("o_payment_form", response.text)

    def test_expired_link_offers_a_fresh_one_by_email_once(self):
        invoice = self.open_invoice()
        token, link = self.token_of(invoice)
        link.write({"expiry_date": "2020-01-01 00:00:00"})
        response = self.page(token)
        self.assertEqual(response.status_code, 410)
        csrf = self.csrf_of(response.text)
        mails = self.env["mail.mail"].sudo().search_count([])
        renewed = self.page(token, "/renew", data={"csrf_token": csrf})
        self.assertEqual(renewed.status_code, 200)
        self.assertIn("new payment link was sent", renewed.text)
        self.assertEqual(self.env["mail.mail"].sudo().search_count([]), mails + 1)
        new_token, new = self.token_of(invoice)
        self.assertNotEqual(new_token, token)
        self.assertEqual(new.state, "active")
        # the old link is now revoked: asking again sends nothing
        self.assertEqual(
            self.page(token, "/renew", data={"csrf_token": csrf}).status_code, 404
        )
        self.assertEqual(self.env["mail.mail"].sudo().search_count([]), mails + 1)

    def test_expired_link_of_a_customer_without_email_says_whom_to_contact(self):
        invoice = self.open_invoice()
        token, link = self.token_of(invoice)
        link.write({"expiry_date": "2020-01-01 00:00:00"})
        invoice.partner_id.email = False
        csrf = self.csrf_of(self.page(token).text)
        answer = self.page(token, "/renew", data={"csrf_token": csrf})
        self.assertEqual(answer.status_code, 200)
        self.assertIn("could not be sent", answer.text)
        self.assertEqual(link.state, "expired", "nothing revoked, nothing issued")
        self.assertEqual(len(invoice.crm_pay_link_ids), 1)

    def test_paid_and_cancelled_invoices(self):
        paid = self.open_invoice()
        token, _link = self.token_of(paid)
        self.pay(paid)
        response = self.page(token)
        self.assertEqual(response.status_code, 200)
        self.assertIn("already paid", response.text)
        self.assertNotIn("o_payment_form", response.text)
        cancelled = self.open_invoice()
        token, _link = self.token_of(cancelled)
        cancelled.button_cancel()
        response = self.page(token)
        self.assertEqual(response.status_code, 410)
        self.assertIn("no longer payable", response.text)

    def test_romanian_for_a_romanian_customer(self):
        self.env["res.lang"]._activate_lang("ro_RO")
        self.env["ir.module.module"]._load_module_terms(
            ["crm_invoices_payment_link"], ["ro_RO"]
        )
        self.customer.lang = "ro_RO"
        token, _link = self.token_of(self.open_invoice())
        self.assertIn("Descărcați factura", self.page(token).text)
        self.customer.lang = "en_US"
        response = self.page(token, headers={"Accept-Language": "ro-RO,ro;q=0.9"})
        self.assertIn("Download the invoice", response.text)

    def test_page_renders_in_a_bounded_number_of_queries(self):
        token, _link = self.token_of(self.open_invoice())
        self.page(token)  # warm the caches (templates, assets, routing)
        # 27 on Odoo 18.0-20250506: 6 for the public session, 4 for the link,
        # its invoice and the "last opened" stamp, 1 for a confirmed payment not
        # recorded yet (through any door), the rest is Odoo's payment form
        with self.assertQueryCount(27):
            self.assertEqual(self.page(token).status_code, 200)

    def test_a_view_writes_only_the_last_opened_stamp(self):
        invoice = self.open_invoice()
        token, link = self.token_of(invoice)
        self.env.flush_all()
        before = (invoice.write_date, link.write_date, link.attempt_count)
        messages = self.env["mail.message"].search_count([])
        transactions = self.env["payment.transaction"].sudo().search_count([])
        self.assertFalse(link.last_opened)
        self.page(token)
        self.env.invalidate_all()
        self.assertTrue(link.last_opened)
        self.assertEqual(
            (invoice.write_date, link.write_date, link.attempt_count), before
        )
        self.assertEqual(self.env["mail.message"].search_count([]), messages)
        self.assertEqual(
            self.env["payment.transaction"].sudo().search_count([]), transactions
        )
