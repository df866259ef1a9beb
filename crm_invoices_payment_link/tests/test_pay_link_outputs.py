import io
from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import PayLinkCommon


@tagged("post_install", "-at_install")
class TestPayLinkOutputs(PayLinkCommon):
    def test_reminder_email_carries_the_link(self):

        invoice = self.open_invoice(
            invoice_date=date(2026, 1, 1), due_date=date(2026, 2, 1)
        )
        token, _link = self.token_of(invoice)
        with freeze_time("2026-02-09"):
            self.env["crm.invoices.reminder.engine"]._cron_send_reminders()
        reminder = invoice.crm_reminder_ids
        self.assertTrue(reminder)
        self.assertIn(f"/pay/{token}", reminder.mail_message_id.body)

    def test_invoice_email_of_the_send_wizard_carries_the_link(self):
        self.env.user.signature = "<p>--<br/>Ana Popescu, Accounts Receivable</p>"
        invoice = self.open_invoice()
        invoice.invoice_user_id = self.env.user
        token, _link = self.token_of(invoice)
        body = self.env["account.move.send"]._get_default_mail_body(
            invoice,
            self.env.ref("account.email_template_edi_invoice"),
            "en_US",
        )
        self.assertIn(f"/pay/{token}", body)
        # the button above the signature, never under it
        self.assertLess(body.index("Pay now"), body.index("Ana Popescu"))
        invoice.invoice_user_id.signature = False
        body = self.env["account.move.send"]._get_default_mail_body(
            invoice,
            self.env.ref("account.email_template_edi_invoice"),
            "en_US",
        )
        self.assertLess(body.index("Pay now"), body.rindex("</p>"))

    def test_api_answers_payment_link(self):
        user = self.make_ar_user("api_pay_link")
        value = (
            self.env["crm.invoices.api.token"]
            .create({"name": "links", "user_id": user.id, "scope_read": True})
            .action_generate()["context"]["default_token"]
        )
        invoice = self.open_invoice()
        token, _link = self.token_of(invoice)
        answer = self.url_open(
            f"/api/invoices/{invoice.id}", headers={"authtoken": value}
        ).json()
        self.assertTrue(answer["payment_link"].endswith(f"/pay/{token}"))
        self.assertIn(f"/my/invoices/{invoice.id}", answer["portal_url"])
        paged = self.url_open(
            "/api/invoices?per_page=100", headers={"authtoken": value}
        ).json()
        row = next(row for row in paged["data"] if row["id"] == invoice.id)
        self.assertEqual(row["payment_link"], answer["payment_link"])
        document = self.url_open("/api/openapi.json").json()
        self.assertIn(
            "payment_link",
            document["components"]["schemas"]["PerfexInvoice"]["properties"],
        )

    def test_qr_code_on_the_pdf_decodes_to_the_link(self):
        import pypdfium2
        import zxingcpp

        invoice = self.open_invoice()
        _token, link = self.token_of(invoice)
        pdf, _type = (
            self.env["ir.actions.report"]
            .sudo()
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("account.account_invoices", invoice.ids)
        )
        document = pypdfium2.PdfDocument(io.BytesIO(pdf))
        image = document[0].render(scale=3).to_pil()
        payloads = [result.text for result in zxingcpp.read_barcodes(image)]
        self.assertIn(link.url, payloads)

    def test_paid_online_in_the_ar_metrics_and_the_list(self):
        online = self.open_invoice(amount=100.0)
        token, _link = self.token_of(online)
        reference = self.start_payment(token)["reference"]
        self.simulate(reference, "done")
        self.transaction(reference)._post_process()
        other = self.open_invoice(amount=100.0)
        self.pay(other)
        moves = online | other
        self.assertEqual(
            self.env["account.move"].search(
                [("id", "in", moves.ids), ("crm_paid_online", "=", True)]
            ),
            online,
        )
        self.env.flush_all()
        report = self.env["crm.invoices.ar.report"]
        [row] = report.read_group(
            [("move_id", "in", moves.ids)],
            ["online_rate:sum", "paid_count:sum", "paid_online_count:sum"],
            [],
        )
        self.assertEqual((row["paid_count"], row["paid_online_count"]), (2, 1))
        self.assertAlmostEqual(row["online_rate"], 50.0)
