from odoo import api, fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    crm_paid_by_bank = fields.Boolean(
        string="Paid by Bank Transfer",
        compute="_compute_crm_paid_by_bank",
        store=True,
        index=True,
        help="A bank statement line is reconciled with this invoice.",
    )

    @api.depends("line_ids.matched_credit_ids", "line_ids.matched_debit_ids")
    def _compute_crm_paid_by_bank(self):
        for move in self:
            receivables = move.line_ids._crm_receivable()
            partials = receivables.matched_credit_ids | receivables.matched_debit_ids
            counterparts = partials.credit_move_id | partials.debit_move_id
            move.crm_paid_by_bank = bool(counterparts.move_id.statement_line_id)
