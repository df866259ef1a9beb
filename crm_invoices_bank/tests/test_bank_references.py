from datetime import date

from odoo.exceptions import UserError
from odoo.tests import tagged

from ..lib import statement_ids
from . import camt
from .common import BANKS, DATA, BankCommon

DAY = date(2026, 11, 22)


@tagged("post_install", "-at_install")
class TestBankReferences(BankCommon):
    """The bank's own reference of a transaction is its import identity
    where the file has one: the same file twice creates nothing, and two
    equal fees of one day in two files stay two lines."""

    def fee(self, bank_ref=None):
        entry = {"date": DAY, "amount": -15.0, "text": "Comision OP"}
        if bank_ref:
            entry["bank_ref"] = bank_ref
        return entry

    def lines_of(self, bank):
        return self.env["account.bank.statement.line"].search(
            [("journal_id", "=", self.journals[bank].id)]
        )

    def test_equal_fees_of_one_day_in_two_camt_files_stay_two(self):
        first = camt.statement([self.fee("BCR-7001")], BANKS["bcr"], name="S-1")
        second = camt.statement(
            [self.fee("BCR-7002"), {**self.fee("BCR-7003"), "amount": -2.5}],
            BANKS["bcr"],
            name="S-2",
        )
        self.assertEqual(len(self.import_file("s1.xml", data=first)), 1)
        self.assertEqual(len(self.import_file("s2.xml", data=second)), 2)
        for data in (first, second):
            with self.assertRaisesRegex(UserError, "already imported"):
                self.import_file("again.xml", data=data)
        lines = self.lines_of("bcr")
        self.assertEqual(sorted(lines.mapped("amount")), [-15.0, -15.0, -2.5])
        self.assertTrue(
            all("crm-ref-BCR-" in line.unique_import_id for line in lines),
            lines.mapped("unique_import_id"),
        )

    def test_an_entry_of_several_transactions(self):
        """A batch booking: one entry, its transactions with references of
        their own, or only the entry's."""
        data = (DATA / "camt053_two_accounts.xml").read_bytes()
        lines = self.import_file("two.xml", data=data)
        identities = lines.mapped("unique_import_id")
        self.assertEqual(len(set(identities)), len(lines))
        self.assertTrue(all("crm-ref-" in identity for identity in identities))
        with self.assertRaisesRegex(UserError, "already imported"):
            self.import_file("two.xml", data=data)

    def test_files_imported_before_the_references_were_read(self):
        """Lines imported when a CAMT file's identity was what the
        transaction is (this addon before 18.0.1.4.0): the same file again
        creates nothing."""
        data = camt.statement(
            [self.fee("BCR-8001"), self.fee("BCR-8002")], BANKS["bcr"], name="OLD"
        )
        lines = self.import_file("old.xml", data=data)
        self.assertEqual(len(lines), 2)
        # as the earlier version named them
        earlier = statement_ids.content_identities(
            [
                {"date": str(DAY), "amount": -15.0, "payment_ref": "Comision OP"},
                {"date": str(DAY), "amount": -15.0, "payment_ref": "Comision OP"},
            ]
        )
        for line, made in zip(lines, earlier, strict=True):
            prefix = line.unique_import_id.split("crm-ref-")[0]
            self.env.cr.execute(
                "UPDATE account_bank_statement_line SET unique_import_id = %s "
                "WHERE id = %s",
                [prefix + made, line.id],
            )
        self.env.invalidate_all()
        with self.assertRaisesRegex(UserError, "already imported"):
            self.import_file("old.xml", data=data)
        self.assertEqual(len(self.lines_of("bcr")), 2)

    def test_csv_files_use_the_banks_reference_column(self):
        """The CSV layouts of banks that print a reference (BRD's
        "Referinta") tell two equal fees apart the same way."""
        header = (
            "Data operatiunii,Data valutei,Detalii operatiune,Suma debit,"
            "Suma credit,Sold,Referinta,Cont partener,Nume partener\n"
        )
        first = header + "22/11/2026,22/11/2026,Comision OP,15.00,,100.00,BRD9001,,\n"
        second = header + "22/11/2026,22/11/2026,Comision OP,15.00,,85.00,BRD9002,,\n"
        self.import_file("a.csv", "brd", data=first.encode())
        self.import_file("b.csv", "brd", data=second.encode())
        with self.assertRaisesRegex(UserError, "already imported"):
            self.import_file("b.csv", "brd", data=second.encode())
        self.assertEqual(self.lines_of("brd").mapped("amount"), [-15.0, -15.0])

    def test_the_import_starts_from_a_bank_account(self):
        """The wizard proposes the bank account imported into last, and its
        file layout: a CSV export needs no layout picked by hand."""
        self.import_file("brd.csv", "brd")
        wizard = self.env["account.statement.import"].new({})
        self.assertEqual(wizard.crm_journal_id, self.journals["brd"])
        wizard._onchange_crm_journal_id()
        self.assertEqual(
            wizard.sheet_mapping_id,
            self.env.ref("crm_invoices_bank.sheet_mapping_brd"),
        )
