from odoo import api, fields, models


class CrmInvoicesBulkConfirm(models.TransientModel):
    """Say what a bulk action of the Actions menu will do before it does it:
    how many invoices it changes, which it skips and why -- and nothing to
    confirm when it would change none."""

    _name = "crm.invoices.bulk.confirm"
    _description = "Confirm a Bulk Action on Invoices"

    move_ids = fields.Many2many("account.move", string="Invoices", required=True)
    operation = fields.Selection(
        [
            ("mark_sent", "Mark as Sent"),
            ("cancel", "Cancel"),
            ("draft", "Reset to Draft"),
            ("delete", "Delete"),
        ],
        required=True,
    )
    summary = fields.Text(compute="_compute_plan")
    can_confirm = fields.Boolean(compute="_compute_plan")

    @api.model
    def _crm_operations(self):
        """``{operation: (the invoices' bulk action, what the dialog says it
        will do)}``; an addon adds its own with ``super()`` (and
        ``selection_add`` on ``operation``, and its rules in
        ``account.move._crm_bulk_rules``)."""
        _ = self.env._
        return {
            "mark_sent": (
                "action_crm_bulk_mark_sent",
                _("%(count)s invoice(s) will be marked as sent."),
            ),
            "cancel": (
                "action_crm_bulk_cancel",
                _("%(count)s invoice(s) will be cancelled."),
            ),
            "draft": (
                "action_crm_bulk_reset_to_draft",
                _("%(count)s invoice(s) will be reset to draft."),
            ),
            "delete": (
                "action_crm_bulk_delete",
                _("%(count)s draft invoice(s) will be deleted, for good."),
            ),
        }

    @api.depends("move_ids", "operation")
    def _compute_plan(self):
        operations = self._crm_operations()
        for wizard in self:
            moves = wizard.move_ids._origin
            if not moves or not wizard.operation:
                wizard.summary, wizard.can_confirm = False, False
                continue
            groups = moves._crm_partition(moves._crm_bulk_rules(wizard.operation))
            done = groups.pop(None)
            lines = [operations[wizard.operation][1] % {"count": len(done)}]
            lines += [
                self.env._(
                    "%(count)s skipped: %(reason)s", count=len(skipped), reason=reason
                )
                for reason, skipped in groups.items()
                if skipped
            ]
            wizard.summary = "\n".join(lines)
            wizard.can_confirm = bool(done)

    @api.model
    def _crm_open(self, moves, operation):
        """The dialog of ``operation`` on ``moves`` (the Actions menu)."""
        wizard = self.create(
            {"move_ids": [fields.Command.set(moves.ids)], "operation": operation}
        )
        return {
            "type": "ir.actions.act_window",
            "name": dict(self._fields["operation"]._description_selection(self.env))[
                operation
            ],
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_confirm(self):
        self.ensure_one()
        method = self._crm_operations()[self.operation][0]
        return getattr(self.move_ids, method)()
