from odoo import models


class AccountStatementImport(models.TransientModel):
    _inherit = "account.statement.import"

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
        reconciled = lines._crm_match_and_reconcile()
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
