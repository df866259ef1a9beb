from odoo import api, fields, models

from ..lib import reminder_schedule


class CrmInvoicesReminderSend(models.TransientModel):
    """Send now the payment reminder due on some invoices, or a chosen level."""

    _name = "crm.invoices.reminder.send"
    _description = "Send Payment Reminders Now"

    move_ids = fields.Many2many("account.move", string="Invoices", required=True)
    company_id = fields.Many2one("res.company", compute="_compute_company_id")
    level_id = fields.Many2one(
        "crm.invoices.reminder.level",
        string="Level",
        domain="[('company_id', '=', company_id)]",
        help="Leave empty to send each invoice the level due by the schedule.",
    )
    summary = fields.Text(compute="_compute_summary")
    can_send = fields.Boolean(compute="_compute_summary")

    @api.depends("move_ids")
    def _compute_company_id(self):
        for wizard in self:
            wizard.company_id = wizard.move_ids.company_id[:1]

    @api.depends("move_ids", "level_id")
    def _compute_summary(self):
        for wizard in self:
            todo, skipped = wizard._plan()
            lines = [self.env._("%(count)s reminder(s) will be sent.", count=len(todo))]
            lines += [
                self.env._(
                    "%(count)s skipped: %(reason)s", count=len(moves), reason=reason
                )
                for reason, moves in skipped.items()
            ]
            wizard.summary = "\n".join(lines)
            wizard.can_send = bool(todo)

    def _plan(self):
        """``([(move_id, level_id, days_late)], {reason: invoices skipped})``."""
        self.ensure_one()
        moves = self.move_ids._origin  # real ids, also while the form is being edited
        engine = self.env["crm.invoices.reminder.engine"]
        today = fields.Date.context_today(self)
        candidates = (
            {row[0]: row for row in engine._candidates(today, moves)} if moves else {}
        )
        ladders = engine._ladders(moves.company_id)
        todo, skipped = [], {}

        def skip(reason, move):
            skipped.setdefault(reason, moves.browse())
            skipped[reason] |= move

        for move in moves:
            row = candidates.get(move.id)
            if row is None:
                skip(engine._refusal(move), move)
                continue
            _move_id, _company, days_late, sent = row
            if self.level_id:
                if self.level_id.company_id != move.company_id:
                    skip(self.env._("the level belongs to another company"), move)
                elif any(level.id == self.level_id.id for level in sent):
                    skip(self.env._("this level was already sent"), move)
                else:
                    todo.append((move.id, self.level_id.id, days_late))
                continue
            due = reminder_schedule.level_due(
                ladders.get(move.company_id.id, ()), days_late, sent
            )
            if due:
                todo.append((move.id, due.id, days_late))
            elif sent:
                skip(self.env._("the level due was already sent: choose another"), move)
            else:
                skip(self.env._("no level due yet: choose one to send it anyway"), move)
        return todo, skipped

    def action_send(self):
        self.ensure_one()
        todo, skipped = self._plan()
        reminders, _retry, _failed = self.env["crm.invoices.reminder.engine"]._send(
            todo, sent_by="user"
        )
        return self.env["account.move"]._crm_bulk_result(
            self.env._("%(count)s reminder(s) sent."), reminders, skipped
        )
