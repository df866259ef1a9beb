import io

from odoo.tests import HttpCase, tagged

from .common import CrmInvoicesCommon


@tagged("post_install", "-at_install")
class TestInvoicePdf(CrmInvoicesCommon, HttpCase):
    """The printed invoice names its issuer and can be read as text, with the
    machine's wkhtmltopdf (Debian's is not the patched-Qt build).

    An HttpCase: wkhtmltopdf fetches the report's assets from the test server,
    which must answer within the test's transaction."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write(
            {
                "name": "Fabrica de Lapte Someș SRL",
                "vat": "RO18547290",
                "street": "Strada Fabricii 17",
                "city": "Dej",
            }
        )
        # the footer Odoo's document layout proposes (phone, email, website,
        # VAT), with the bank account accountants add
        layout = cls.env["base.document.layout"].with_company(cls.env.company)
        cls.env.company.report_footer = (
            f"{layout._default_report_footer()} IBAN RO49AAAA1B31007593840000"
        )
        cls.invoice = cls.make_invoice(amount=810.0)

    def pdf_text(self, mode):
        import pypdfium2

        self.env["ir.config_parameter"].sudo().set_param(
            "crm_invoices.report_inline_header", mode
        )
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("account.account_invoices", self.invoice.ids)
        )
        self.assertEqual(kind, "pdf")
        document = pypdfium2.PdfDocument(io.BytesIO(pdf))
        return "\n".join(
            document[index].get_textpage().get_text_range()
            for index in range(len(document))
        )

    def assert_complete(self, text):
        for expected in (
            "Fabrica de Lapte Someș SRL",
            "RO18547290",
            "Strada Fabricii 17",
            self.invoice.name,
            "RO49AAAA1B31007593840000",
        ):
            self.assertIn(expected, text)

    def test_the_invoice_pdf_has_its_header_footer_and_text_on_this_machine(self):
        self.assert_complete(self.pdf_text("auto"))

    def test_header_and_footer_printed_in_the_page(self):
        self.assert_complete(self.pdf_text("always"))

    def test_wkhtmltopdf_switches_an_unpatched_build_ignores_are_not_passed(self):
        reports = self.env["ir.actions.report"]
        paperformat = self.env.company.paperformat_id or self.env.ref(
            "base.paperformat_euro"
        )
        paperformat.header_spacing = 30
        self.env["ir.config_parameter"].sudo().set_param(
            "crm_invoices.report_inline_header", "always"
        )
        inline = reports._build_wkhtmltopdf_args(paperformat, False)
        self.assertNotIn("--header-spacing", inline)
        self.assertIn("--margin-left", inline)
        self.env["ir.config_parameter"].sudo().set_param(
            "crm_invoices.report_inline_header", "never"
        )
        self.assertIn(
            "--header-spacing", reports._build_wkhtmltopdf_args(paperformat, False)
        )
