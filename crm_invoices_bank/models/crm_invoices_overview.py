from odoo import api, models

#: The bank lines a person reviews (the *To Review* filter's domain).
TO_REVIEW = [
    ("is_reconciled", "=", False),
    ("crm_not_invoice", "=", False),
    ("amount", ">", 0),
]


class CrmInvoicesOverview(models.AbstractModel):
    _inherit = "crm.invoices.overview"

    @api.model
    def _crm_overview_todo(self, company):
        items = super()._crm_overview_todo(company)
        lines = self.env["account.bank.statement.line"]
        if not lines.has_access("read"):
            return items
        domain = [("company_id", "=", company.id), *TO_REVIEW]
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_invoices_bank.account_bank_statement_line_action_review"
        )
        action["domain"] = [("company_id", "=", company.id)]
        items.append(
            {
                "key": "bank_review",
                "label": self.env._("Bank lines to review"),
                "count": lines.search_count(domain),
                "help": self.env._(
                    "Money received that no invoice was closed with for certain: "
                    "accept the suggestion, or reconcile by hand."
                ),
                "action": action,
            }
        )
        return items
