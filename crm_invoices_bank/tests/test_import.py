import csv
import io
from datetime import date, datetime

import xlsxwriter

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DATA, BankCommon


def csv_as_xlsx(name, dates=(0, 1), numbers=(4, 5, 6)):
    """The sample CSV ``name`` as the bank's XLSX export: dates and amounts in
    typed cells, the rest as text."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet()
    date_format = workbook.add_format({"num_format": "dd.mm.yyyy"})
    rows = list(csv.reader((DATA / name).read_text().splitlines()))
    header = next(n for n, row in enumerate(rows) if len(row) > 3)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if r > header and value and c in dates:
                sheet.write_datetime(
                    r, c, datetime.strptime(value, "%d-%m-%Y"), date_format
                )
            elif r > header and value and c in numbers:
                sheet.write_number(r, c, float(value.replace(",", "")))
            else:
                sheet.write_string(r, c, value)
    workbook.close()
    return buffer.getvalue()


@tagged("post_install", "-at_install")
class TestBankImport(BankCommon):
    """Statement files in, invoices closed: CAMT.053 and the Romanian banks'
    CSV layouts."""

    def assert_bank_file_closes_invoices(self, bank):
        invoices = self.sample_invoices()
        lines = self.import_file(f"{bank}.csv", bank)
        self.assertEqual(
            len(lines),
            len(lines.filtered(lambda line: line.journal_id == self.journals[bank])),
        )
        received = lines.filtered(lambda line: line.amount > 0)
        paid = lines.filtered(lambda line: line.amount < 0)
        self.assertTrue(paid, "the bank's fee is a negative amount")
        self.assertEqual(invoices[1].payment_state, "paid", bank)
        self.assertEqual(invoices[2].payment_state, "paid", bank)
        self.assertEqual(invoices[1].crm_status, "paid")
        self.assertTrue(invoices[1].crm_paid_by_bank)
        self.assertEqual(
            received.filtered("is_reconciled").crm_match_move_ids,
            invoices[1] | invoices[2],
        )
        self.assertFalse(paid.is_reconciled)
        for other in (3, 4, 5, 6):
            self.assertEqual(invoices[other].payment_state, "not_paid")
        return lines

    def test_banca_transilvania(self):
        lines = self.assert_bank_file_closes_invoices("bt")
        interest = lines.filtered(lambda line: line.amount == 0.37)
        self.assertEqual(interest.crm_match_kind, "none")

    def test_banca_transilvania_xlsx(self):
        invoices = self.sample_invoices()
        lines = self.import_file("extras_bt.xlsx", "bt", data=csv_as_xlsx("bt.csv"))
        self.assertEqual(len(lines), 4)
        self.assertEqual(invoices[1].payment_state, "paid")
        self.assertEqual(invoices[2].payment_state, "paid")
        self.assertEqual(sorted(lines.mapped("amount")), [-15.0, 0.37, 500.0, 1190.0])
        self.assertEqual(
            set(lines.mapped("date")), {date(2026, 11, d) for d in (20, 21, 22, 23)}
        )

    def test_bcr(self):
        self.assert_bank_file_closes_invoices("bcr")

    def test_brd(self):
        self.assert_bank_file_closes_invoices("brd")

    def test_ing(self):
        self.assert_bank_file_closes_invoices("ing")

    def test_raiffeisen(self):
        lines = self.assert_bank_file_closes_invoices("raiffeisen")
        self.assertIn("Plată", " ".join(lines.mapped("payment_ref")))  # Latin-2 read

    def test_camt053_with_two_accounts_and_currencies(self):
        invoices = self.sample_invoices()
        lines = self.import_file("camt053_two_accounts.xml")
        self.assertEqual(
            sorted(line.journal_id.code for line in lines),
            ["BCR", "BCR", "BCR", "BCREU"],
        )
        self.assertEqual(invoices[3].payment_state, "paid")  # structured reference
        self.assertEqual(invoices[4].payment_state, "paid")  # "c/v fact INV 2026 4"
        self.assertEqual(invoices[6].payment_state, "paid")  # EUR account, EUR invoice
        advance = lines.filtered(lambda line: "avans" in (line.payment_ref or ""))
        self.assertFalse(advance.is_reconciled)
        self.assertEqual(advance.crm_match_kind, "suggestion")
        self.assertIn("iban", advance.crm_match_reasons)

    def test_the_same_file_twice_creates_nothing(self):
        self.sample_invoices()
        first = self.import_file("brd.csv", "brd")
        self.assertTrue(first)
        with self.assertRaisesRegex(UserError, "already imported"):
            self.import_file("brd.csv", "brd")
        self.assertEqual(
            self.env["account.bank.statement.line"].search_count(
                [("journal_id", "=", self.journals["brd"].id)]
            ),
            len(first),
        )

    def test_a_malformed_file_changes_nothing(self):
        invoices = self.sample_invoices()
        lines_before = self.env["account.bank.statement.line"].search_count([])
        with self.assertRaisesRegex(UserError, r"Line 3 .*31/13/2026") as caught:
            self.import_file("malformed.csv", "brd")
        self.assertIn("Nothing was imported", str(caught.exception))
        self.assertEqual(
            self.env["account.bank.statement.line"].search_count([]), lines_before
        )
        self.assertEqual(invoices[1].payment_state, "not_paid")
