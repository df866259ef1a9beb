from datetime import date, timedelta
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models import crm_invoices_bank_import_chunk as chunks_module
from . import camt
from .common import BANKS, BankCommon


@tagged("post_install", "-at_install")
class TestLargeImports(BankCommon):
    """Past the lines an import creates while its user waits, it creates
    the statement, checks the whole file, and leaves the lines to the job,
    chunk by chunk, each created once; the user is told when it is done."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(
            "crm_invoices_bank.create_now_limit", "3"
        )
        cls.chunks = cls.env["crm.invoices.bank.import.chunk"]
        cls.job = cls.chunks._cron_create_lines

    def entries(self, invoices, fees=3):
        day = date(2026, 11, 21)
        paid = [
            {
                "date": day,
                "amount": invoice.amount_residual,
                "text": f"c/v {invoice.name}",
                "bank_ref": f"BIG-{number}",
            }
            for number, invoice in enumerate(invoices)
        ]
        return paid + [
            {
                "date": day + timedelta(days=1),
                "amount": -15.0,
                "text": "Comision",
                "bank_ref": f"FEE-{number}",
            }
            for number in range(fees)
        ]

    def lines(self):
        return self.env["account.bank.statement.line"].search(
            [("journal_id", "=", self.journals["bcr"].id)], order="sequence, id"
        )

    def told(self, subject):
        return self.env["mail.message"].search(
            [
                ("partner_ids", "in", self.env.user.partner_id.ids),
                ("subject", "=", subject),
            ]
        )

    def run_job(self):
        """The job as the cron runner calls it: again while it says some
        remain."""
        runs = 0
        while self.chunks.search([("error", "=", False)]):
            self.job()
            runs += 1
            self.assertLess(runs, 50)
        return runs

    @patch.object(chunks_module, "CHUNK", 2)
    def test_lines_created_in_the_background_once(self):
        invoices = self.sample_invoices()
        entries = self.entries([invoices[1], invoices[2], invoices[3]])
        data = camt.statement(entries, BANKS["bcr"], name="BIG-1")
        cron = self.env.ref("crm_invoices_bank.ir_cron_create_statement_lines")
        triggers = self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        created = self.import_file("big.xml", data=data)
        self.assertFalse(created, "no line while the user waits")
        statement = self.env["account.bank.statement"].search([("name", "=", "BIG-1")])
        self.assertEqual(len(statement), 1)
        self.assertEqual(statement.journal_id, self.journals["bcr"])
        self.assertEqual(statement.company_id, self.company)
        self.assertEqual(statement.crm_lines_to_create, 6)
        self.assertEqual(self.chunks.search_count([]), 3, "6 lines, chunks of 2")
        self.assertGreater(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]),
            triggers,
        )
        # the same file again before the job ran: already imported
        with self.assertRaisesRegex(UserError, "already imported"):
            self.import_file("big.xml", data=data)
        self.job()
        self.assertEqual(len(self.lines()), 2)
        self.assertFalse(self.told("Bank statement imported"), "not before the end")
        self.assertEqual(self.run_job(), 2)
        lines = self.lines()
        self.assertEqual(len(lines), 6)
        self.assertEqual(lines.statement_id, statement)
        self.assertEqual(lines.mapped("amount")[3:], [-15.0, -15.0, -15.0])
        self.assertEqual(statement.crm_lines_to_create, 0)
        for number in (1, 2, 3):
            self.assertEqual(invoices[number].payment_state, "paid")
        [message] = self.told("Bank statement imported")
        self.assertIn("3 reconciled", message.body)
        self.assertFalse(self.job(), "nothing left: nothing done")
        self.assertEqual(len(self.lines()), 6)
        with self.assertRaisesRegex(UserError, "already imported"):
            self.import_file("big.xml", data=data)

    @patch.object(chunks_module, "CHUNK", 4)
    def test_a_chunk_run_again_after_a_crash_creates_nothing_twice(self):
        invoices = self.sample_invoices()
        data = camt.statement(
            self.entries([invoices[1], invoices[2]], fees=2), BANKS["bcr"], name="BIG-2"
        )
        self.import_file("big.xml", data=data)
        [chunk] = self.chunks.search([])
        # the job created the chunk's first two lines, then died before the
        # chunk was deleted
        values = [dict(line) for line in chunk.transactions[:2]]
        self.env["account.bank.statement.line"].create(
            [{**line, "statement_id": chunk.statement_id.id} for line in values]
        )
        self.run_job()
        lines = self.lines()
        self.assertEqual(len(lines), 4)
        self.assertEqual(len(set(lines.mapped("unique_import_id"))), 4)

    def test_a_small_file_is_created_while_the_user_waits(self):
        self.sample_invoices()
        lines = self.import_file(
            "small.xml",
            data=camt.statement(self.entries([], fees=3), BANKS["bcr"], name="S"),
        )
        self.assertEqual(len(lines), 3)
        self.assertFalse(self.chunks.search([]))

    def test_a_chunk_that_fails_is_kept_and_said(self):
        self.sample_invoices()
        self.import_file(
            "big.xml",
            data=camt.statement(self.entries([], fees=4), BANKS["bcr"], name="BAD"),
        )
        [chunk] = self.chunks.search([])
        broken = list(chunk.transactions)
        broken[0] = {**broken[0], "amount": "not an amount"}
        chunk.sudo().transactions = broken
        with mute_logger(chunks_module.__name__):
            self.job()
        self.assertTrue(chunk.error)
        self.assertFalse(self.lines(), "the chunk is whole or nothing")
        self.assertTrue(self.told("Bank statement import failed"))
        self.job()  # a failed chunk is not tried over and over
        self.assertFalse(self.lines())
