from odoo import models
from odoo.exceptions import UserError

from ..lib import sheet_guard, statement_ids


class AccountStatementImport(models.TransientModel):
    _inherit = "account.statement.import"

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
        statement_ids.assign(
            [line for vals in stmts_vals for line in vals.get("transactions", [])]
        )
        return super()._complete_stmts_vals(stmts_vals, journal, account_number)

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
