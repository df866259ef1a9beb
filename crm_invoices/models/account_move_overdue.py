from odoo import api, fields, models
from odoo.tools import split_every

from ..lib import invoice_status as status_rules
from ..lib.batch_job import may_commit


class AccountMove(models.Model):
    """The daily job that moves invoices past their due date to overdue."""

    _inherit = "account.move"

    @api.model
    def _cron_crm_mark_overdue(self):
        """Daily job: :meth:`_crm_mark_overdue`, committing after each batch."""
        return self._crm_mark_overdue(commit=may_commit())

    @api.model
    def _crm_mark_overdue(self, batch_size=1000, commit=False):
        """Move every open customer invoice past its due date to overdue.

        The invoices are selected with the status rule's own domain and their
        status recomputed by the ORM in batches: the rule is applied once,
        ``write_date``/``write_uid`` are set and the change is tracked in the
        chatter like any other.  The other statuses are kept current by the
        ORM as they happen (a payment, a due date change...).
        :return: the invoices moved to overdue
        """
        today = fields.Date.context_today(self)
        late = self.search(
            status_rules.overdue_domain(today)
            + [("crm_status", "!=", status_rules.OVERDUE)],
            order="id",
        )
        field = self._fields["crm_status"]
        done = 0
        for batch in split_every(batch_size, late.ids, self.browse):
            self.env.add_to_compute(field, batch)
            batch.flush_recordset(["crm_status"])
            done += len(batch)
            if commit:
                self.env["ir.cron"]._notify_progress(
                    done=done, remaining=len(late) - done
                )
                self.env.cr.commit()  # pylint: disable=invalid-commit
        return late
