from odoo import fields, models


class AccountBankStatement(models.Model):
    _inherit = "account.bank.statement"

    crm_lines_to_create = fields.Integer(
        string="Lines Being Created",
        compute="_compute_crm_lines_to_create",
        help="Lines of a large statement the background job has yet to create.",
    )

    def _compute_crm_lines_to_create(self):
        waiting = dict.fromkeys(self.ids, 0)
        groups = (
            self.env["crm.invoices.bank.import.chunk"]
            .sudo()
            ._read_group(
                [("statement_id", "in", self.ids)],
                ["statement_id"],
                ["line_count:sum"],
            )
        )
        for statement, count in groups:
            waiting[statement.id] = count
        for statement in self:
            statement.crm_lines_to_create = waiting.get(statement.id, 0)
