from odoo import api, models
from odoo.exceptions import CacheMiss

from .. import queries
from ..lib import invoice_status as status_rules

#: The fields whose change is an event of its own (status, paid, sent,
#: cancelled...): their values before the transaction are kept, compared
#: with those at its end.
WATCHED = ("state", "payment_state", "crm_status", "is_move_sent")
#: The fields whose change is ``invoice.updated`` (what the invoice says).
UPDATED_BY = frozenset(
    {
        "partner_id",
        "partner_shipping_id",
        "invoice_date",
        "invoice_date_due",
        "invoice_payment_term_id",
        "invoice_line_ids",
        "line_ids",
        "currency_id",
        "ref",
        "payment_reference",
        "narration",
        "invoice_user_id",
        "name",
        "crm_client_number",
        "crm_no_reminders",
    }
)
#: Where a transaction keeps the watched values as they were.
BEFORE = "crm_invoices.webhook.before"
KINDS = {"out_invoice": "invoice", "out_refund": "credit_note"}


class AccountMove(models.Model):
    """The webhook events of customer invoices and credit notes: created,
    updated, deleted as they happen; status changed, paid, overdue, sent,
    cancelled, credits applied and refunded from what changed by the end of
    the transaction (payments and reconciliations change an invoice without
    writing it)."""

    _inherit = "account.move"

    def _crm_webhook_groups(self):
        """``{kind: moves}`` of the customer documents of ``self``."""
        groups = {}
        for move in self.sudo():
            kind = KINDS.get(move.move_type)
            if kind:
                groups.setdefault(kind, self.browse())
                groups[kind] |= self.browse(move.id)
        return groups

    def _crm_webhook_emit(self, action, snapshot=None):
        events = self.env["crm.invoices.webhook.event"]
        for kind, moves in self._crm_webhook_groups().items():
            events._crm_emit(f"{kind}.{action}", moves, snapshot)

    @api.model_create_multi
    def create(self, vals_list):
        moves = super().create(vals_list)
        moves._crm_webhook_emit("created")
        return moves

    def write(self, vals):
        self._crm_webhook_watch()
        result = super().write(vals)
        if UPDATED_BY & set(vals):
            self._crm_webhook_emit("updated")
        return result

    def unlink(self):
        self._crm_webhook_emit(
            "deleted",
            lambda move: {
                "number": move.name if move.name and move.name != "/" else None,
                "clientid": str(move.commercial_partner_id.id),
            },
        )
        return super().unlink()

    def _compute_field_value(self, field):
        if field.name in WATCHED:
            self._crm_webhook_watch()
        return super()._compute_field_value(field)

    # ------------------------------------------------------------------
    # what changed by the end of the transaction
    # ------------------------------------------------------------------

    def _crm_webhook_watch(self):
        """Keep the watched values of ``self`` as they are before the first
        change of the transaction (nothing when no webhook listens): from
        the cache, which keeps a stored field's value until it is
        recomputed, or else from the database, never recomputing anything
        (this runs before a write or inside a recomputation)."""
        events = self.env["crm.invoices.webhook.event"]
        if not events._crm_subscriptions():
            return
        before = self.env.cr.precommit.data.setdefault(BEFORE, {})
        first = not before
        names = ("move_type", *WATCHED)
        fields = [self._fields[name] for name in names]
        cache = self.env.cache
        seen, missing = {}, []
        for move in self:
            if not move.id or move.id in before:
                continue
            try:
                seen[move.id] = {field.name: cache.get(move, field) for field in fields}
            except CacheMiss:
                missing.append(move.id)
        if missing:
            seen.update(queries.stored_move_values(self.env, missing, names))
        for move_id, values in seen.items():
            if values.pop("move_type") in KINDS:
                before[move_id] = values
        if first and before:
            self.env.cr.precommit.add(self._crm_webhook_changes)

    def _crm_webhook_changes(self):
        """Precommit: the events of what changed since
        :meth:`_crm_webhook_watch` (a status changed, paid, overdue...)."""
        before = self.env.cr.precommit.data.pop(BEFORE, None)
        if not before:
            return
        moves = self.browse(list(before)).sudo().exists()
        happened = {}
        for move in moves:
            old = before[move.id]
            kind = KINDS.get(move.move_type)
            for action, snapshot in move._crm_webhook_actions(kind, old):
                happened.setdefault((kind, action), []).append((move, snapshot))
        events = self.env["crm.invoices.webhook.event"]
        for (kind, action), items in happened.items():
            snapshots = {move.id: snapshot for move, snapshot in items}
            events._crm_emit(
                f"{kind}.{action}",
                self.browse([move.id for move, _snapshot in items]),
                lambda move, snapshots=snapshots: snapshots[move.id],
            )

    def _crm_webhook_actions(self, kind, old):
        """``[(action, snapshot)]`` of what happened to this move since its
        values were ``old``."""
        self.ensure_one()
        actions = []
        # no status before: created in this transaction (its own event)
        if old["crm_status"] and self.crm_status != old["crm_status"]:
            actions.append(
                ("status_changed", {"from": old["crm_status"], "to": self.crm_status})
            )
        if kind == "invoice":
            paid = status_rules.PAID_PAYMENT_STATES
            if self.payment_state in paid and old["payment_state"] not in paid:
                actions.append(("paid", None))
            if self.crm_status == "overdue" and old["crm_status"] != "overdue":
                actions.append(("overdue", None))
            if self.is_move_sent and not old["is_move_sent"]:
                actions.append(("sent", None))
            if self.state == "cancel" and old["state"] != "cancel":
                actions.append(("cancelled", None))
        elif old["payment_state"] != self.payment_state and self.payment_state in (
            status_rules.SETTLED_IN_PART_STATES
        ):
            counterparts = self._crm_settled_by()
            if counterparts.filtered(lambda move: move.move_type == "out_invoice"):
                actions.append(("credits_applied", None))
            if counterparts.filtered("origin_payment_id"):
                actions.append(("refund_created", None))
        return actions

    def _crm_settled_by(self):
        """The moves reconciled with this one's receivable."""
        lines = self.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        partials = lines.matched_debit_ids | lines.matched_credit_ids
        return (partials.debit_move_id | partials.credit_move_id).move_id - self
