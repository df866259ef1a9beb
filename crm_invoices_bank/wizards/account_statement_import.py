from odoo import api, fields, models
from odoo.exceptions import UserError

from ..lib import sheet_guard, statement_ids


class AccountStatementImport(models.TransientModel):
    _inherit = "account.statement.import"

    crm_journal_id = fields.Many2one(
        "account.journal",
        string="Bank Account",
        domain="[('type', '=', 'bank'), ('company_id', 'in', allowed_company_ids)]",
        default=lambda self: self._crm_default_journal(),
        help="The account the statement is of: its file layout (for a CSV or "
        "an XLSX export) is chosen with it. A CAMT.053 file names its account "
        "itself.",
    )

    @api.model
    def _crm_default_journal(self):
        """The bank account of the import: the one it is started from, else
        the company's only bank journal, else the one imported into last."""
        journals = self.env["account.journal"]
        if self.env.context.get("journal_id"):
            return journals.browse(self.env.context["journal_id"])
        banks = journals.search(
            [("type", "=", "bank"), ("company_id", "=", self.env.company.id)]
        )
        if len(banks) == 1:
            return banks
        last = self.env["account.bank.statement"].search(
            [("journal_id", "in", banks.ids)], order="create_date desc", limit=1
        )
        return last.journal_id

    @api.onchange("crm_journal_id")
    def _onchange_crm_journal_id(self):
        if self.crm_journal_id.default_sheet_mapping_id:
            self.sheet_mapping_id = self.crm_journal_id.default_sheet_mapping_id

    def import_file_button(self):
        """EXTENDS account_statement_import_file: a CSV or XLSX export (read
        with a layout) goes into the bank account chosen; a CAMT.053 file
        names its accounts itself (a file of several goes into each)."""
        if (
            self.crm_journal_id
            and self.sheet_mapping_id
            and not self.env.context.get("journal_id")
        ):
            return super(
                AccountStatementImport,
                self.with_context(journal_id=self.crm_journal_id.id),
            ).import_file_button()
        return super().import_file_button()

    def _parse_file(self, data_file):
        """EXTENDS account_statement_import_file: a ZIP (a ZIP of statements,
        an XLSX) that would expand past a statement's size is refused before
        any parser opens it (OCA's CAMT parser reads every file of a ZIP)."""
        try:
            sheet_guard.check_zip(data_file)
        except sheet_guard.SheetRefused as error:
            raise UserError(
                self.env._("The file cannot be imported: %(reason)s", reason=error)
            ) from None
        return super()._parse_file(data_file)

    def _complete_stmts_vals(self, stmts_vals, journal, account_number):
        """EXTENDS account_statement_import_file: every transaction has an
        import identity (:mod:`statement_ids`), so that the same file twice,
        in any format, creates nothing the second time."""
        transactions = [
            line for vals in stmts_vals for line in vals.get("transactions", [])
        ]
        # what a transaction that now has the bank's reference as identity
        # was called when it was imported before the references were read
        earlier = {
            id(transaction): made
            for transaction, made in zip(
                transactions,
                statement_ids.content_identities(transactions),
                strict=True,
            )
            if (transaction.get("unique_import_id") or "").startswith(
                statement_ids.BANK_REF
            )
        }
        statement_ids.assign(transactions)
        result = super()._complete_stmts_vals(stmts_vals, journal, account_number)
        if earlier:
            self._crm_keep_earlier_identities(
                transactions, earlier, journal, account_number
            )
        return result

    def _crm_keep_earlier_identities(self, transactions, earlier, journal, account):
        """A transaction imported before its identity was the bank's
        reference keeps the identity it was imported under: importing that
        file again creates nothing (one query)."""
        named = {}
        for transaction in transactions:
            made = earlier.get(id(transaction))
            if made:
                values = {"unique_import_id": made}
                journal._statement_line_import_update_unique_import_id(values, account)
                named[values["unique_import_id"]] = transaction
        if not named:
            return
        found = (
            self.env["account.bank.statement.line"]
            .sudo()
            .search_read(
                [("unique_import_id", "in", list(named))], ["unique_import_id"]
            )
        )
        for row in found:
            named[row["unique_import_id"]]["unique_import_id"] = row["unique_import_id"]

    def _create_bank_statements(self, stmts_vals, result):
        """EXTENDS account_statement_import_file: past the number of lines
        created while the user waits, the statements are created at once
        and their lines in the background
        (:class:`crm.invoices.bank.import.chunk`): no import dies at the
        request's time limit."""
        chunks = self.env["crm.invoices.bank.import.chunk"]
        count = sum(len(st_vals["transactions"]) for st_vals in stmts_vals)
        if count <= chunks._create_now_limit():
            return super()._create_bank_statements(stmts_vals, result)
        return chunks._queue_statements(stmts_vals, result)

    def _import_file(self):
        """EXTENDS account_statement_import_file: the imported lines are
        matched against the open invoices in one batch, and the certain
        matches reconciled, in the import's transaction (a file that fails
        leaves nothing behind)."""
        result = super(
            AccountStatementImport, self.with_context(crm_bank_defer_matching=True)
        )._import_file()
        statements = self.env["account.bank.statement"].browse(result["statement_ids"])
        lines = statements.line_ids
        if not lines:  # all in the background: the job matches them
            return result
        matcher = self.env["crm.invoices.bank.matcher"]
        reconciled, queued = matcher._match_and_reconcile(
            lines, now_limit=matcher._now_limit()
        )
        if queued:
            result["notifications"].append(
                self.env._(
                    "%(queued)s of %(total)s line(s) pay their invoices for certain: "
                    "they are being reconciled in the background (Invoices > Bank > "
                    "To Review, filter Being Reconciled); you will get a message "
                    "when it is done.",
                    queued=len(queued),
                    total=len(lines),
                )
            )
            return result
        result["notifications"].append(
            self.env._(
                "%(done)s of %(total)s line(s) reconciled with their invoices; "
                "%(review)s to review in Invoices > Bank > To Review.",
                done=len(reconciled),
                total=len(lines),
                review=len(lines) - len(reconciled),
            )
        )
        return result
