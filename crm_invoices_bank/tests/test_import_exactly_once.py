from datetime import date

from odoo.exceptions import UserError
from odoo.tests import tagged

from . import camt
from .common import BANKS, DATA, IBAN_CARPATI, IBAN_DUNAREA, BankCommon


@tagged("post_install", "-at_install")
class TestImportExactlyOnce(BankCommon):
    """A statement file is imported once, whole or not at all, read strictly,
    and a refusal names the file's own line or entry."""

    def entries(self):
        return [
            {
                "date": date(2026, 11, 21),
                "amount": 300.0,
                "reference": "INV/2026/00003",
                "name": "MURES TRADE SRL",
            },
            {
                "date": date(2026, 11, 22),
                "amount": 500.0,
                "text": "c/v fact INV 2026 2",
                "iban": IBAN_DUNAREA,
            },
            {"date": date(2026, 11, 22), "amount": -15.0, "text": "Comision"},
            {"date": date(2026, 11, 22), "amount": -15.0, "text": "Comision"},
        ]

    def statement_lines(self):
        return self.env["account.bank.statement.line"].search_count(
            [("journal_id", "=", self.journals["bcr"].id)]
        )

    def test_the_same_camt_file_twice_creates_nothing(self):
        invoices = self.sample_invoices()
        data = camt.statement(self.entries(), iban=BANKS["bcr"])
        first = self.import_file("day.xml", data=data)
        self.assertEqual(len(first), 4, "two equal fees of one day stay two")
        self.assertEqual(invoices[3].payment_state, "paid")
        with self.assertRaisesRegex(UserError, "already imported"):
            self.import_file("day.xml", data=data)
        self.assertEqual(self.statement_lines(), 4)

    def test_an_overlapping_statement_creates_only_what_is_new(self):
        self.sample_invoices()
        entries = self.entries()
        self.import_file("day.xml", data=camt.statement(entries[:3], BANKS["bcr"]))
        later = [
            *entries[1:],
            {"date": date(2026, 11, 23), "amount": 200.0, "text": "INV/2026/00004"},
        ]
        lines = self.import_file(
            "days.xml", data=camt.statement(later, BANKS["bcr"], name="STMT-2")
        )
        self.assertEqual(sorted(lines.mapped("amount")), [-15.0, 200.0])
        self.assertEqual(self.statement_lines(), 5)

    def test_an_entry_without_booking_date_is_refused_naming_it(self):
        self.sample_invoices()
        entries = self.entries()
        booked = entries[1]["date"].isoformat().encode()
        data = camt.statement(entries, BANKS["bcr"]).replace(
            b"<BookgDt><Dt>" + booked + b"</Dt></BookgDt>", b"", 1
        )
        with self.assertRaisesRegex(UserError, r"entry 2: no booking date \(BookgDt\)"):
            self.import_file("day.xml", data=data)
        self.assertEqual(self.statement_lines(), 0)

    def test_a_statement_missing_entries_is_refused(self):
        invoices = self.sample_invoices()
        data = camt.statement(self.entries(), BANKS["bcr"])
        start = data.index(b"<Ntry>", data.index(b"<Ntry>") + 1)
        end = data.index(b"</Ntry>", start) + len(b"</Ntry>")
        cut = data[:start] + data[end:]  # well-formed, one entry short
        with self.assertRaisesRegex(UserError, "add up to 270.00.*differ by 770.00"):
            self.import_file("day.xml", data=cut)
        self.assertEqual(self.statement_lines(), 0)
        self.assertEqual(invoices[3].payment_state, "not_paid")

    def test_a_stray_character_in_an_amount_names_the_line(self):
        self.sample_invoices()
        data = (DATA / "bcr.csv").read_bytes().replace(b"1.190,00", b"1.1O0,00")
        with self.assertRaisesRegex(UserError, r"Line 2 .*'1\.1O0,00'") as caught:
            self.import_file("bcr.csv", "bcr", data=data)
        self.assertIn("Nothing was imported", str(caught.exception))
        self.assertFalse(
            self.env["account.bank.statement.line"].search(
                [("journal_id", "=", self.journals["bcr"].id)]
            )
        )

    def test_line_numbers_are_the_files_own_after_a_preamble(self):
        self.sample_invoices()
        for bank, good, bad, line in (
            ("bt", b'"1,190.00"', b'"1,19x.00"', 7),
            ("ing", b"1.190,00", b"1.19x,00", 4),
        ):
            with self.subTest(bank=bank):
                data = (DATA / f"{bank}.csv").read_bytes().replace(good, bad, 1)
                with self.assertRaisesRegex(UserError, rf"\bLine {line} of the file"):
                    self.import_file(f"{bank}.csv", bank, data=data)

    def test_an_iban_in_the_details_before_a_semicolon_is_the_payers(self):
        invoices = self.sample_invoices()
        line = self.statement_line(
            1000.0, f"Incasare OP; CARPATI DISTRIBUTIE SRL; {IBAN_CARPATI}; avans"
        )
        line._crm_match()
        self.assertIn("iban", line.crm_match_reasons)
        self.assertEqual(line.crm_match_move_ids, invoices[5])

    def test_another_customers_name_is_never_reconciled_by_itself(self):
        invoices = self.sample_invoices()
        entries = [
            {
                "date": date(2026, 11, 21),
                "amount": 300.0,
                "text": "plata INV/2026/00003",
                "name": "DUNAREA LOGISTIC S.A.",
            }
        ]
        lines = self.import_file("day.xml", data=camt.statement(entries, BANKS["bcr"]))
        self.assertFalse(lines.is_reconciled)
        self.assertEqual(lines.crm_match_kind, "suggestion")
        self.assertIn("name_conflict", lines.crm_match_reasons)
        self.assertEqual(invoices[3].payment_state, "not_paid")

    def test_the_booking_date_is_no_invoice_year(self):
        self.make_invoice(
            90.0, date(2026, 11, 10), date(2026, 12, 10), partner=self.mures
        )
        entries = [
            {"date": date(2026, 11, 21), "amount": 90.0, "text": "c/v ff 1"},
        ]
        lines = self.import_file("day.xml", data=camt.statement(entries, BANKS["bcr"]))
        self.assertFalse(lines.is_reconciled)
        self.assertNotIn("reference_number_year", lines.crm_match_reasons or "")

    def test_import_queries_do_not_grow_with_the_statement(self):
        """Queries per line of the whole import (parse, create, match,
        reconcile) stay flat from 4 to 16 lines."""
        per_line = []
        for size in (4, 16):
            invoices = [
                self.make_invoice(
                    100.0 + n,
                    date(2026, 11, 10),
                    date(2026, 12, 10),
                    partner=self.mures,
                )
                for n in range(size)
            ]
            entries = [
                {
                    "date": date(2026, 11, 21),
                    "amount": invoice.amount_residual,
                    "text": f"c/v {invoice.name}",
                    "bank_ref": f"Q{size}-{n}",
                }
                for n, invoice in enumerate(invoices)
            ]
            data = camt.statement(entries, BANKS["bcr"], name=f"Q{size}")
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            lines = self.import_file("q.xml", data=data)
            per_line.append((self.env.cr.sql_log_count - before) / size)
            self.assertTrue(all(lines.mapped("is_reconciled")))
        self.assertLess(per_line[1], per_line[0] * 1.2, per_line)

    def test_a_company_created_later_has_the_matching_rule(self):
        company = self.env["res.company"].create(
            {"name": "Later SRL", "country_id": self.env.ref("base.ro").id}
        )
        self.env["account.chart.template"].sudo().try_loading(
            "generic_coa", company=company, install_demo=False
        )
        rule = self.env["account.reconcile.model"].search(
            [("company_id", "=", company.id), ("crm_bank_matching", "=", True)]
        )
        self.assertEqual(len(rule), 1)

    def test_an_invoices_manager_imports_and_reviews(self):
        invoices = self.sample_invoices()
        manager = self.env["res.users"].create(
            {
                "name": "AR Manager",
                "login": "ar_bank_manager",
                "company_id": self.company.id,
                "company_ids": [(6, 0, self.company.ids)],
                "groups_id": [
                    (6, 0, [self.env.ref("crm_invoices.group_crm_invoices_manager").id])
                ],
            }
        )
        self.assertFalse(manager.has_group("account.group_account_user"))
        menu = self.env.ref("crm_invoices_bank.crm_bank_import_menu")
        visible = self.env["ir.ui.menu"].with_user(manager)._visible_menu_ids()
        self.assertIn(menu.id, visible)
        self.env = self.env(user=manager)
        lines = self.import_file("brd.csv", "brd")
        self.env.invalidate_all()
        self.assertEqual(invoices[1].payment_state, "paid")
        paid = lines.filtered("is_reconciled")[:1]
        self.assertTrue(paid)
        paid.action_crm_undo()
        self.assertFalse(paid.is_reconciled)
        self.assertEqual(invoices[1].with_env(self.env).payment_state, "not_paid")

    def test_a_customer_created_just_now_is_known_by_its_iban(self):
        """A customer and its account created in the same transaction (not
        flushed yet) are known to the matcher."""
        newcomer = self.env["res.partner"].create(
            {
                "name": "Olt Agro SRL",
                "is_company": True,
                "bank_ids": [(0, 0, {"acc_number": "RO49AAAA1B31007593840000"})],
            }
        )
        invoice = self.make_invoice(
            1250.0, date(2026, 11, 10), date(2026, 12, 10), partner=newcomer
        )
        line = self.statement_line(
            1250.0, "Plata servicii OP nr. 381; RO49 AAAA 1B31 0075 9384 0000"
        )
        line._crm_match()
        self.assertEqual(line.crm_match_kind, "auto")
        self.assertEqual(line.crm_match_move_ids, invoice)

    def test_a_suggestion_of_an_invoice_paid_in_the_same_import_is_withdrawn(self):
        invoices = self.sample_invoices()
        entries = [
            {
                "date": date(2026, 11, 21),
                "amount": 1190.0,
                "text": "c/v INV/2026/00001",
                "iban": IBAN_CARPATI,
            },
            {"date": date(2026, 11, 22), "amount": 90.0, "text": "INV/2026/00001"},
        ]
        lines = self.import_file("day.xml", data=camt.statement(entries, BANKS["bcr"]))
        self.assertEqual(invoices[1].payment_state, "paid")
        second = lines.filtered(lambda line: line.amount == 90.0)
        self.assertNotIn(invoices[1], second.crm_match_move_ids)
