from odoo.tests import tagged

from .. import queries
from ..lib import bank_match
from .common import IBAN_CARPATI, BankCommon


@tagged("post_install", "-at_install")
class TestQueries(BankCommon):
    """Each query of :mod:`..queries` does what its name says (the import
    and matching tests, and ``tests/e2e/test_bank_parallel.py``, run them
    for real)."""

    def test_bank_account_owners_and_partner_names(self):
        contact = self.env["res.partner"].create(
            {"name": "Ana Pop", "parent_id": self.carpati.id}
        )
        self.env.flush_all()
        owners = dict(queries.bank_account_owners(self.env, self.company))
        self.assertEqual(owners.get(IBAN_CARPATI), self.carpati.id)
        names = {
            row[0]: row[1:] for row in queries.partner_names(self.env, self.company)
        }
        self.assertEqual(names[contact.id], ("Ana Pop", self.carpati.id))
        self.assertEqual(names[self.carpati.id][0], self.carpati.name)

    def test_store_matches(self):
        sample = self.sample_invoices()
        invoices = sample[1] | sample[2] | sample[3]
        lines = self.statement_line(100.0, "x") | self.statement_line(200.0, "y")
        results = {
            lines[0].id: bank_match.Match("suggestion", invoices[:2].ids, 60, ["iban"]),
            lines[1].id: bank_match.Match("none"),
        }
        queries.store_matches(self.env, lines, results)
        self.assertEqual(
            (lines[0].crm_match_kind, lines[0].crm_match_confidence), ("suggestion", 60)
        )
        self.assertEqual(lines[0].crm_match_move_ids, invoices[:2])
        self.assertEqual(lines[0].crm_match_reasons, "iban")
        self.assertEqual(lines[1].crm_match_kind, "none")
        self.assertFalse(lines[1].crm_match_move_ids)
        results[lines[0].id] = bank_match.Match("suggestion", invoices[2:3].ids, 40)
        queries.store_matches(self.env, lines, results)
        self.assertEqual(lines[0].crm_match_move_ids, invoices[2:3], "replaced")

    def test_lock_for_reconciliation(self):
        invoice = self.sample_invoices()[1]
        line = self.statement_line(100.0, "x")
        receivables = invoice.line_ids._crm_receivable()
        queries.lock_for_reconciliation(self.env, line, receivables)
        # a SELECT ... FOR UPDATE holds its table in ROW SHARE mode
        self.env.cr.execute(
            "SELECT relation::regclass::text FROM pg_locks"
            " WHERE pid = pg_backend_pid() AND mode = 'RowShareLock'"
        )
        locked = {row[0] for row in self.env.cr.fetchall()}
        self.assertLessEqual(
            {"account_bank_statement_line", "account_move_line"}, locked
        )

    def test_the_chunks_identities_and_the_next_one(self):
        chunks = self.env["crm.invoices.bank.import.chunk"].sudo()
        statement = self.env["account.bank.statement"].create({"name": "big"})
        values = {
            "statement_id": statement.id,
            "journal_id": self.journals["bt"].id,
            "user_id": self.env.uid,
        }
        second = chunks.create(
            {**values, "sequence": 2, "transactions": [{"unique_import_id": "b"}]}
        )
        first = chunks.create(
            {**values, "sequence": 1, "transactions": [{"unique_import_id": "a"}]}
        )
        failed = chunks.create(
            {**values, "sequence": 0, "error": "no", "transactions": [{}]}
        )
        self.env.flush_all()
        identities = {row[0] for row in queries.pending_import_identities(self.env)}
        self.assertLessEqual({"a", "b"}, identities)
        mine = chunks.search([("statement_id", "=", statement.id)])
        self.assertEqual(mine, first | second | failed)
        # in order (the failed one is left to a person), one at a time
        self.assertEqual(queries.take_next_chunk(chunks), first)
