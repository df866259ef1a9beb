import base64
from datetime import date
from pathlib import Path

from odoo.addons.crm_invoices.tests.common import CrmInvoicesCommon

DATA = Path(__file__).parent / "data"

#: The accounts of the sample files.
BANKS = {
    "bt": "RO16BTRLRONCRT0123456701",
    "bcr": "RO91RNCB0082044214460001",
    "brd": "RO32BRDE445SV12345674450",
    "ing": "RO21INGB0000999901234567",
    "raiffeisen": "RO54RZBR0000060012345678",
}
BCR_EUR = "RO14RNCB0082044214460999"
IBAN_CARPATI = "RO60BTRLRONCRT0999999901"
IBAN_DUNAREA = "RO06BRDE445SV98765434450"


class BankCommon(CrmInvoicesCommon):
    """A Romanian company (RON) with an account at each sample bank, three
    customers, and the invoices the sample files pay:

    ===================  ==========  ==========  =========
    invoice              customer    amount      currency
    ===================  ==========  ==========  =========
    INV/2026/00001       Carpati     1,190.00    RON
    INV/2026/00002       Dunarea       500.00    RON
    INV/2026/00003       Mures         300.00    RON
    INV/2026/00004       Mures         200.00    RON
    INV/2026/00005       Carpati     1,000.00    RON
    INV/2026/00006       Kunde         200.00    EUR
    ===================  ==========  ==========  =========
    """

    @classmethod
    @CrmInvoicesCommon.setup_country("ro")
    @CrmInvoicesCommon.setup_chart_template("generic_coa")
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.ron = cls.company.currency_id
        cls.eur = cls.env.ref("base.EUR")
        cls.eur.active = True
        cls.env["res.currency.rate"].create(
            {
                "currency_id": cls.eur.id,
                "name": "2026-01-01",
                "rate": 1 / 4.97,
                "company_id": cls.company.id,
            }
        )
        cls.journals = {
            bank: cls.bank_journal(bank.upper(), iban) for bank, iban in BANKS.items()
        }
        cls.journals["bcr_eur"] = cls.bank_journal("BCREUR", BCR_EUR, cls.eur)
        mappings = {
            bank: cls.env.ref(f"crm_invoices_bank.sheet_mapping_{bank}")
            for bank in BANKS
        }
        for bank, journal in cls.journals.items():
            if bank in mappings:
                journal.default_sheet_mapping_id = mappings[bank]
        cls.carpati = cls.env["res.partner"].create(
            {
                "name": "Carpati Distributie SRL",
                "is_company": True,
                "bank_ids": [(0, 0, {"acc_number": IBAN_CARPATI})],
            }
        )
        cls.dunarea = cls.env["res.partner"].create(
            {
                "name": "Dunarea Logistic SA",
                "is_company": True,
                "bank_ids": [(0, 0, {"acc_number": IBAN_DUNAREA})],
            }
        )
        cls.mures = cls.env["res.partner"].create(
            {"name": "Mures Trade SRL", "is_company": True}
        )
        cls.kunde = cls.env["res.partner"].create(
            {"name": "Kunde GmbH", "is_company": True}
        )
        cls.env.company._crm_bank_reconcile_models()

    @classmethod
    def bank_journal(cls, code, iban, currency=None):
        account = cls.env["res.partner.bank"].create(
            {"acc_number": iban, "partner_id": cls.company.partner_id.id}
        )
        return cls.env["account.journal"].create(
            {
                "name": f"Bank {code}",
                "code": code[:5],
                "type": "bank",
                "bank_account_id": account.id,
                "currency_id": currency.id
                if currency and currency != cls.company.currency_id
                else False,
            }
        )

    def sample_invoices(self):
        day, due = date(2026, 11, 10), date(2026, 12, 10)
        return {
            1: self.make_invoice(1190.0, day, due, partner=self.carpati),
            2: self.make_invoice(500.0, day, due, partner=self.dunarea),
            3: self.make_invoice(300.0, day, due, partner=self.mures),
            4: self.make_invoice(200.0, day, due, partner=self.mures),
            5: self.make_invoice(1000.0, day, due, partner=self.carpati),
            6: self.make_invoice(
                200.0, day, due, partner=self.kunde, currency=self.eur
            ),
        }

    def import_file(self, name, bank=None, data=None):
        """Import the sample ``name`` (or ``data`` under that name) as a user
        does (the wizard); the statement lines created."""
        data = data if data is not None else (DATA / name).read_bytes()
        journal = self.journals[bank] if bank else self.env["account.journal"]
        wizard = (
            self.env["account.statement.import"]
            .with_context(journal_id=journal.id)
            .create(
                {"statement_file": base64.b64encode(data), "statement_filename": name}
            )
        )
        before = self.env["account.bank.statement.line"].search([]).ids
        wizard.import_file_button()
        return self.env["account.bank.statement.line"].search(
            [("id", "not in", before)], order="id"
        )

    def statement_line(
        self, amount, text, journal=None, iban=None, day=date(2026, 11, 20), **values
    ):
        journal = journal or self.journals["bt"]
        statement = self.env["account.bank.statement"].create(
            {
                "journal_id": journal.id,
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "date": day,
                            "payment_ref": text,
                            "amount": amount,
                            "account_number": iban,
                            **values,
                        },
                    )
                ],
            }
        )
        return statement.line_ids
