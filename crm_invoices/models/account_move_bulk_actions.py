from odoo import models
from odoo.exceptions import UserError


class AccountMove(models.Model):
    """The invoices' bulk actions (list view, Action menu): each does what is
    allowed and says what it skipped, with :class:`crm.invoices.bulk.mixin`'s
    plumbing."""

    _name = "account.move"
    _inherit = ["account.move", "crm.invoices.bulk.mixin"]

    def action_crm_mark_sent(self):
        """Mark posted invoices as sent (sent by another channel than Odoo)."""
        not_posted = self.filtered(lambda m: m.state != "posted")
        if not_posted:
            raise UserError(
                self.env._(
                    "Only posted invoices can be marked as sent: %(names)s",
                    names=", ".join(not_posted.mapped("display_name")),
                )
            )
        to_mark = self.filtered(lambda m: not m.is_move_sent)
        to_mark.is_move_sent = True
        return True

    def _crm_bulk_rules(self, operation):
        """``{reason: refuses(invoice)}`` of a bulk ``operation``: what it
        skips, and why -- the one place the action and its confirmation
        dialog (:class:`crm.invoices.bulk.confirm`) read it."""
        _ = self.env._
        if operation == "mark_sent":
            return {
                _("not posted"): lambda m: m.state != "posted",
                _("already sent"): lambda m: m.is_move_sent,
            }
        if operation == "cancel":
            return {
                _("already cancelled"): lambda m: m.state == "cancel",
                _("has payments: unreconcile them or issue a credit note"): lambda m: (
                    m._crm_has_payments()
                ),
                _("waiting for a cancellation request"): lambda m: (
                    m.need_cancel_request
                ),
            }
        if operation == "draft":
            return {
                _("already a draft"): lambda m: m.state == "draft",
                _("has payments: unreconcile them first"): lambda m: (
                    m._crm_has_payments()
                ),
                _("waiting for a cancellation request"): lambda m: (
                    m.need_cancel_request
                ),
            }
        if operation == "delete":
            numbered = self._crm_numbered()
            return {
                _("posted invoices are never deleted: cancel them"): lambda m: (
                    m.state == "posted"
                ),
                _("has a number: cancel it so the numbering has no hole"): lambda m: (
                    m in numbered
                ),
            }
        raise UserError(_("Unknown bulk action: %(operation)s", operation=operation))

    def action_crm_bulk_mark_sent(self):
        groups = self._crm_partition(self._crm_bulk_rules("mark_sent"))
        done = groups.pop(None)
        done.action_crm_mark_sent()
        return self._crm_bulk_result(
            self.env._("%(count)s invoice(s) marked as sent."), done, groups
        )

    def action_crm_bulk_send(self):
        """Open Odoo's send wizard on the posted invoices of the selection."""
        groups = self._crm_partition(
            {
                self.env._("not posted: post it before sending"): lambda m: (
                    m.state != "posted"
                )
            }
        )
        done = groups.pop(None)
        if not done:
            return self._crm_bulk_result(
                self.env._("%(count)s invoice(s) to send."), done, groups
            )
        wizard = done.action_send_and_print()
        if not groups:
            return wizard
        return self._crm_bulk_result(
            self.env._("%(count)s invoice(s) to send."),
            done,
            groups,
            next_action=wizard,
        )

    def action_crm_bulk_cancel(self):
        groups = self._crm_partition(self._crm_bulk_rules("cancel"))
        done = groups.pop(None)
        done, failed = done._crm_try_in_batch(lambda moves: moves.button_cancel())
        self._crm_merge_failures(groups, failed)
        return self._crm_bulk_result(
            self.env._("%(count)s invoice(s) cancelled."), done, groups
        )

    def action_crm_bulk_reset_to_draft(self):
        groups = self._crm_partition(self._crm_bulk_rules("draft"))
        done = groups.pop(None)
        done, failed = done._crm_try_in_batch(lambda moves: moves.button_draft())
        self._crm_merge_failures(groups, failed)
        return self._crm_bulk_result(
            self.env._("%(count)s invoice(s) reset to draft."), done, groups
        )

    def action_crm_bulk_delete(self):
        groups = self._crm_partition(self._crm_bulk_rules("delete"))
        done = groups.pop(None)
        done, failed = done._crm_try_in_batch(lambda moves: moves.unlink())
        self._crm_merge_failures(groups, failed)
        return self._crm_bulk_result(
            self.env._("%(count)s invoice(s) deleted."), done, groups
        )
