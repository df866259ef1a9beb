import logging
from datetime import timedelta

from psycopg2 import OperationalError

from odoo import api, fields, models
from odoo.service.model import PG_CONCURRENCY_ERRORS_TO_RETRY

from .. import queries
from ..lib import reminder_schedule
from ..lib.batch_job import may_commit

_logger = logging.getLogger(__name__)

#: A run goes over what is still due at most this many times: what another
#: run held the first time is looked at again once that run has committed.
MAX_PASSES = 3
#: When invoices are still held by another run at the end, look again then.
RETRY_DELAY = timedelta(minutes=10)


def _is_concurrency_error(error):
    return (
        isinstance(error, OperationalError)
        and error.pgcode in PG_CONCURRENCY_ERRORS_TO_RETRY
    )


class CrmInvoicesReminderEngine(models.AbstractModel):
    """Which payment reminders are due, and sending them exactly once.

    Eligibility is one rule (:func:`..lib.reminder_schedule.eligible_domain`),
    used both to select candidates in SQL and to tell a user why an invoice
    gets none.  Sending locks the invoices (``FOR UPDATE SKIP LOCKED``),
    re-reads what was sent, and records each reminder (unique per invoice and
    level) before its email: two runs at once never send a level twice, and
    what one run could not take is taken again by a later pass or run.
    """

    _name = "crm.invoices.reminder.engine"
    _description = "Payment Reminder Engine"

    # ------------------------------------------------------------------
    # What is due
    # ------------------------------------------------------------------

    @api.model
    def _candidates(self, today, moves=None):
        """Every invoice that may get a reminder, with the levels it already got.

        One query, whatever the number of invoices, under the record rules of
        the current user.
        :return: rows ``(move_id, company_id, days_late, [Level])``
        """
        domain = reminder_schedule.eligible_domain(today)
        if moves is not None:
            domain = domain + [("id", "in", moves.ids)]
        eligible = self.env["account.move"]._search(domain)
        rows = queries.reminder_candidates(self.env, eligible, today)
        return [
            (
                move_id,
                company_id,
                days_late,
                [reminder_schedule.Level(*pair) for pair in sent],
            )
            for move_id, company_id, days_late, sent in rows
        ]

    @api.model
    def _ladders(self, companies=None):
        """``{company id: [Level]}``: the active reminder levels of each company."""
        domain = [("company_id", "in", companies.ids)] if companies is not None else []
        ladders = {}
        for level in self.env["crm.invoices.reminder.level"].sudo().search(domain):
            ladders.setdefault(level.company_id.id, []).append(
                reminder_schedule.Level(level.id, level.delay_days)
            )
        return ladders

    @api.model
    def _due(self, today):
        """``[(move_id, level_id, days_late)]``: the reminder due now per invoice."""
        ladders = self._ladders()
        due = []
        for move_id, company_id, days_late, sent in self._candidates(today):
            level = reminder_schedule.level_due(
                ladders.get(company_id, ()), days_late, sent
            )
            if level:
                due.append((move_id, level.id, days_late))
        return due

    @api.model
    def _refusal(self, move):
        """Why ``move`` gets no reminder at all (a message for the user)."""
        today = fields.Date.context_today(self)
        domain = reminder_schedule.eligible_domain(today)
        values = {}
        for path, _operator, _value in domain:
            record = move
            *steps, name = path.split(".")
            for step in steps:
                record = record[step]
            values[path] = record[name]
        code = reminder_schedule.refusal(values, today)
        messages = {
            "not_customer_invoice": self.env._("not a customer invoice"),
            "nothing_to_pay": self.env._("nothing left to pay"),
            "in_dispute": self.env._("the invoice is in dispute (blocked)"),
            "not_overdue": self.env._("not overdue"),
            "invoice_opted_out": self.env._("the invoice is marked 'no reminders'"),
            "customer_opted_out": self.env._(
                "the customer is marked 'no payment reminders'"
            ),
            "no_email": self.env._("the customer has no email address"),
        }
        return messages.get(code) or self.env._("no reminder can be sent")

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------

    @api.model
    def _lock(self, moves):
        """Lock the invoices; those another transaction holds are left out.

        Under REPEATABLE READ, locking a row that another run changed since
        this transaction began fails: then nothing is taken now, and a later
        pass (a new transaction) takes them.
        """
        if not moves:
            return moves
        try:
            with self.env.cr.savepoint():
                return queries.lock_free_invoices(self.env, moves)
        except OperationalError as error:
            if not _is_concurrency_error(error):
                raise
            return moves.browse()

    @api.model
    def _send(self, todo, sent_by):
        """Send reminders ``[(move_id, level_id, days_late)]``, each at most once.

        :return: ``(reminders created, ids to retry later, ids that failed)``;
            an invoice held by another transaction or hit by a concurrency
            error is to retry, never dropped.
        """
        reminders = self.env["crm.invoices.reminder"]
        if not todo:
            return reminders, set(), set()
        moves = self.env["account.move"]
        moves._crm_mark_overdue()  # the emails show today's days overdue
        todo_moves = moves.browse([move_id for move_id, _level, _days in todo])
        locked = set(self._lock(todo_moves).ids)
        retry = set(todo_moves.ids) - locked
        sent_now = {
            move_id: sent
            for move_id, _company, _days, sent in self._candidates(
                fields.Date.context_today(self), moves.browse(list(locked))
            )
        }
        levels = self.env["crm.invoices.reminder.level"].browse(
            {level_id for _move, level_id, _days in todo}
        )
        delays = {level.id: level.delay_days for level in levels}
        failed = set()
        still = []
        for move_id, level_id, days_late in todo:
            sent = sent_now.get(move_id)
            if move_id not in locked or sent is None:
                continue  # held by someone else, or no longer eligible
            if any(
                level.id == level_id or level.delay_days >= delays[level_id]
                for level in sent
            ):
                continue  # this level, or a later one, went out meanwhile
            still.append((moves.browse(move_id), levels.browse(level_id), days_late))
        moves.browse([move.id for move, _level, _days in still])._crm_ensure_tokens()
        emails = self._emails(still)
        if sent_by == "job" and len(emails) > 1:
            sent = self._send_together(emails, sent_by)
            reminders |= sent
            done = set(sent.move_id.ids)
            emails = [group for group in emails if group[0][0].id not in done]
        for group in emails:
            group_ids = {move.id for move, _level, _days in group}
            try:
                with self.env.cr.savepoint():
                    if len(group) == 1 and not self._per_customer(group[0][0]):
                        reminders |= self._send_one(*group[0], sent_by)
                    else:
                        reminders |= self._send_statement(group, sent_by)
            except Exception as error:
                if sent_by == "user":
                    raise
                if _is_concurrency_error(error):
                    retry |= group_ids
                    _logger.info(
                        "Payment reminder for invoices %s met a concurrent update: "
                        "retried later",
                        sorted(group_ids),
                    )
                else:
                    failed |= group_ids
                    _logger.exception(
                        "Payment reminder for invoices %s failed", sorted(group_ids)
                    )
        return reminders, retry, failed

    @api.model
    def _per_customer(self, move):
        return move.company_id.crm_reminder_grouping == "customer"

    @api.model
    def _emails(self, todo):
        """``todo`` ``[(move, level, days_late)]`` split into the emails that
        carry them: one per invoice, or, for a company that reminds per
        customer, one per customer (its commercial entity) with all its
        invoices due a reminder."""
        emails = {}
        for item in todo:
            move = item[0]
            key = (
                ("customer", move.company_id.id, move.commercial_partner_id.id)
                if self._per_customer(move)
                else ("invoice", move.id)
            )
            emails.setdefault(key, []).append(item)
        return list(emails.values())

    @api.model
    def _batches(self, todo, size):
        """``todo`` in batches of about ``size`` that never split a customer's
        statement: the invoices of a customer reminded per customer go in one
        batch (one email), however many they are."""
        moves = self.env["account.move"].browse([move_id for move_id, *_ in todo])
        by_id = {move.id: move for move in moves}
        groups = self._emails(
            [(by_id[move_id], level_id, days) for move_id, level_id, days in todo]
        )
        batch = []
        for group in groups:
            if batch and len(batch) + len(group) > size:
                yield batch
                batch = []
            batch += [(move.id, level_id, days) for move, level_id, days in group]
        if batch:
            yield batch

    @api.model
    def _cron_send_reminders(self, batch_size=100):
        """Daily: send every reminder due, in batches that commit their progress.

        A crash loses at most the batch under way, whose emails were only
        queued in the same transaction: nothing is ever sent twice.  What
        another run holds, or what met a concurrent update, is looked at again
        in a later pass (a new transaction), and if still held at the end, by a
        new run of this job shortly after.
        :return: the number of reminders sent
        """
        engine = self.sudo()
        auto_commit = may_commit()
        failed = set()  # failed for another reason than concurrency: not today
        done = 0

        def still_due():
            today = fields.Date.context_today(engine)
            return [item for item in engine._due(today) if item[0] not in failed]

        for _pass in range(MAX_PASSES):
            left = still_due()
            if not left:
                return done
            progress = 0
            for batch in engine._batches(left, batch_size):
                reminders, _retry, broken = engine._send(batch, sent_by="job")
                failed |= broken
                progress += len(reminders)
                done += len(reminders)
                if auto_commit:
                    self.env["ir.cron"]._notify_progress(
                        done=done, remaining=max(len(left) - progress, 0)
                    )
                    self.env.cr.commit()  # pylint: disable=invalid-commit
        if still_due():
            cron = self.env.ref(
                "crm_invoices.ir_cron_crm_send_reminders", raise_if_not_found=False
            )
            if cron:
                cron.sudo()._trigger(at=fields.Datetime.now() + RETRY_DELAY)
        return done
