from collections import defaultdict

from odoo import api, models
from odoo.exceptions import UserError


class CrmInvoicesBulkMixin(models.AbstractModel):
    """The plumbing of the bulk actions: do what is allowed, say what was not.

    A bulk action splits the selection by the first reason that refuses each
    record, runs the operation on the rest in one batch (one by one only when
    Odoo refuses the batch), and answers with one notification.
    """

    _name = "crm.invoices.bulk.mixin"
    _description = "Bulk actions that report what they skipped"

    def _crm_partition(self, rules):
        """Split ``self`` by the first rule that refuses each record.

        :param rules: ``{reason: predicate}``, checked in order; a record for
            which a predicate is true is skipped for that reason.
        :return: ``{None: allowed records, reason: skipped records, ...}``
        """
        groups = defaultdict(lambda: self.browse())
        groups[None] = self.browse()
        for record in self:
            reason = next((r for r, refuse in rules.items() if refuse(record)), None)
            groups[reason] |= record
        return groups

    def _crm_try_in_batch(self, operation):
        """Run ``operation`` on ``self`` at once; on a ``UserError`` find who fails.

        The fast path is one batched call.  Only when Odoo refuses the batch is
        each record retried alone, inside a savepoint, to keep what is allowed.
        :return: (records done, {error message: records that failed})
        """
        if not self:
            return self, {}
        try:
            with self.env.cr.savepoint():
                operation(self)
        except UserError:
            return self._crm_try_one_by_one(operation)
        return self, {}

    def _crm_try_one_by_one(self, operation):
        done = self.browse()
        failed = defaultdict(lambda: self.browse())
        for record in self:
            try:
                with self.env.cr.savepoint():
                    operation(record)
                done |= record
            except UserError as error:
                failed[str(error)] |= record
        return done, failed

    @api.model
    def _crm_merge_failures(self, groups, failures):
        for reason, records in failures.items():
            groups[reason] |= records

    @api.model
    def _crm_bulk_result(self, done_message, done, skipped, next_action=None):
        """A notification saying what was done and what was skipped, and why.

        ``done`` may hold deleted records: only its length is used.
        """
        lines = [done_message % {"count": len(done)}]
        for reason, records in skipped.items():
            if not records:
                continue
            names = ", ".join(records[:10].mapped("display_name"))
            if len(records) > 10:
                names += self.env._(" and %(count)s more", count=len(records) - 10)
            lines.append(
                self.env._(
                    "%(count)s skipped (%(reason)s): %(names)s",
                    count=len(records),
                    reason=reason,
                    names=names,
                )
            )
        skipped_any = any(skipped.values())
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Invoices"),
                "message": "\n".join(lines),
                "type": "warning" if skipped_any else "success",
                "sticky": skipped_any,
                "next": next_action or {"type": "ir.actions.act_window_close"},
            },
        }
