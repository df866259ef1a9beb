import os
import re
from datetime import date
from pathlib import Path

from lxml import etree

from odoo import Command

from odoo.addons.crm_invoices.tests.common import CrmInvoicesCommon

from ..lib import validation
from .anaf_stub import AnafStub

GOLDEN = Path(__file__).parent / "golden"
#: Set to rewrite the golden files from what the builder makes now.
UPDATE_GOLDEN = os.environ.get("CRM_EFACTURA_UPDATE_GOLDEN") == "1"
NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}


def artifacts_folder():
    """ANAF's official files: CRM_EFACTURA_ARTIFACTS (bin/test sets it), else
    ``../shared/efactura`` next to the repository."""
    folder = os.environ.get("CRM_EFACTURA_ARTIFACTS")
    if folder:
        return folder
    return str(Path(__file__).resolve().parents[2].parent / "shared" / "efactura")


class EfacturaCommon(CrmInvoicesCommon):
    """A Romanian company on Odoo's Romanian chart, its taxes, customers of
    every kind, and ANAF's validation files."""

    @classmethod
    @CrmInvoicesCommon.setup_country("ro")
    def setUpClass(cls):
        super().setUpClass()
        cls.folder = artifacts_folder()
        missing = validation.missing_artifacts(cls.folder)
        assert not missing, (
            f"ANAF's validation files are missing under {cls.folder!r}: {missing} "
            "(set CRM_EFACTURA_ARTIFACTS)"
        )
        cls.env["ir.config_parameter"].sudo().set_param(
            "crm_invoices_efactura.artifacts_path", cls.folder
        )
        cls.company = cls.env.company
        cls.company.write(
            {
                "name": "Hudson Construct SRL",
                "street": "Strada Lunga 3",
                "city": "Sector 1",
                "zip": "010101",
                "state_id": cls.env.ref("base.RO_B").id,
                "country_id": cls.env.ref("base.ro").id,
                "vat": "RO18547290",
                "phone": "021 123 4567",
                "email": "facturi@hudson.example.com",
                "crm_efactura_auto_send": False,
            }
        )
        cls.env["res.partner.bank"].create(
            {
                "partner_id": cls.company.partner_id.id,
                "acc_number": "RO49AAAA1B31007593840000",
            }
        )
        cls.env.ref("base.EUR").active = True
        cls.ro_customer = cls.make_partner()
        cls.product = cls.env["product.product"].create(
            {"name": "Consultanta", "type": "service", "default_code": "CONS"}
        )

    @classmethod
    def make_partner(cls, **values):
        return cls.env["res.partner"].create(
            {
                "name": "Carpati Distributie SRL",
                "is_company": True,
                "street": "Str. Memorandumului 28",
                "city": "Cluj-Napoca",
                "zip": "400114",
                "state_id": cls.env.ref("base.RO_CJ").id,
                "country_id": cls.env.ref("base.ro").id,
                "vat": "RO14399840",
                "email": "contabilitate@carpati.example.com",
                **values,
            }
        )

    @classmethod
    def tax(cls, xmlid):
        return cls.env.ref(f"account.{cls.company.id}_{xmlid}")

    @classmethod
    def ro_invoice(
        cls, lines=None, partner=None, move_type="out_invoice", post=True, **values
    ):
        lines = lines or [{"quantity": 1, "price_unit": 100.0, "tax": "tvac_19"}]
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": (partner or cls.ro_customer).id,
                "invoice_date": date(2026, 11, 20),
                "invoice_date_due": date(2026, 12, 20),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": line.get("product", cls.product).id,
                            "name": line.get("name", "Consultanta"),
                            "quantity": line.get("quantity", 1),
                            "price_unit": line["price_unit"],
                            "discount": line.get("discount", 0.0),
                            "tax_ids": [Command.set(cls.taxes_of(line))],
                        }
                    )
                    for line in lines
                ],
                **values,
            }
        )
        if post:
            move.action_post()
        return move

    @staticmethod
    def reported(move, state):
        """``move`` as the exchange leaves it at ``state``: what ANAF has is
        l10n_ro_edi's document (sent, accepted), the rest the exchange's
        step."""
        move = move.sudo()
        move._l10n_ro_edi_get_sent_and_failed_documents().unlink()
        if state == "sent":
            move._l10n_ro_edi_create_document_invoice_sent(
                {"key_loading": "1000", "attachment_raw": b"<Invoice/>"}
            )
        elif state == "accepted":
            move._l10n_ro_edi_create_document_invoice_validated(
                {
                    "key_loading": "1000",
                    "key_signature": "signature",
                    "key_certificate": "certificate",
                    "attachment_raw": b"<Invoice/>",
                }
            )
        move.crm_efactura_step = False if state in ("sent", "accepted") else state
        return move

    @classmethod
    def taxes_of(cls, line):
        tax = line.get("tax", "tvac_19")
        if isinstance(tax, str):
            return cls.tax(tax).ids
        return tax.ids

    # ------------------------------------------------------------------ XML

    def build(self, move, builder="crm.invoices.efactura.xml"):
        xml, errors = self.env[builder]._export_invoice(move)
        return xml, sorted(error for error in errors if error)

    def verdict(self, xml):
        """ANAF's errors (rule ids) and the CEN warnings about ``xml``."""
        findings = validation.validator_for(self.folder).validate(xml)
        return (
            sorted({f.rule for f in findings if f.is_error}),
            sorted({f.rule for f in findings if not f.is_error}),
        )

    def xpath(self, xml, path):
        return [
            node.text if isinstance(node, etree._Element) else str(node)
            for node in etree.fromstring(xml).xpath(path, namespaces=NS)
        ]

    @staticmethod
    def normalized(xml):
        """The XML without what changes from one run to another (record ids,
        embedded PDFs), indented."""
        root = etree.fromstring(xml)
        for node in root.xpath("//cac:Contact/cbc:ID", namespaces=NS):
            node.getparent().remove(node)
        for node in root.xpath("//cbc:EmbeddedDocumentBinaryObject", namespaces=NS):
            node.text = "..."
        etree.indent(root, space="  ")
        text = etree.tostring(root, xml_declaration=True, encoding="UTF-8").decode()
        # the root's namespace declarations in a fixed order (QWeb's varies)
        start = text.index("<", text.index("?>"))
        end = text.index(">", start)
        tag = text[start:end]
        name = re.match(r"<[\w:]+", tag)[0]
        declarations = sorted(re.findall(r'xmlns(?::\w+)?="[^"]*"', tag))
        others = re.sub(r'\s+xmlns(?::\w+)?="[^"]*"', "", tag[len(name) :])
        root_tag = name + "".join(f" {d}" for d in declarations) + others
        return text[:start] + root_tag + text[end:] + "\n"

    def assert_golden(self, name, xml):
        """``xml`` is the golden file ``name`` and passes ANAF's rules."""
        errors, _warnings = self.verdict(xml)
        self.assertEqual(errors, [], f"{name}: ANAF would refuse it")
        path = GOLDEN / f"{name}.xml"
        text = self.normalized(xml)
        if UPDATE_GOLDEN:
            path.parent.mkdir(exist_ok=True)
            path.write_text(text)
        self.assertTrue(path.exists(), f"no golden file {path}")
        golden = path.read_text()
        self.assertEqual(
            self.verdict(golden.encode())[0], [], f"golden {name} is invalid"
        )
        self.assertEqual(text, golden, f"{name} differs from its golden file")


class EfacturaStubCommon(EfacturaCommon):
    """The above, with a stand-in for ANAF on 127.0.0.1 and a token."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stub = AnafStub(page_size=2).start()
        cls.addClassCleanup(cls.stub.stop)
        cls.env["ir.config_parameter"].sudo().set_param(
            "crm_invoices_efactura.anaf_url", cls.stub.rest_url
        )
        cls.company.l10n_ro_edi_access_token = "good-token"
        cls.exchange = cls.env[
            "crm.invoices.efactura.exchange"
        ].sudo()  # as the job runs

    def setUp(self):
        super().setUp()
        self.stub.reset()
