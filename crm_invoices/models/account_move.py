import logging
import operator
import threading
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, split_every
from odoo.tools.sql import create_index

from ..lib import invoice_status as status_rules
from ..lib import reminder_schedule

_logger = logging.getLogger(__name__)

CUSTOMER_MOVE_TYPES = ("out_invoice", "out_refund")
COMPARATORS = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


class AccountMove(models.Model):
    _inherit = "account.move"

    crm_status = fields.Selection(
        selection=status_rules.SELECTION,
        string="Invoice Status",
        compute="_compute_crm_status",
        store=True,
        index=True,
        copy=False,
        tracking=True,
        help="Draft, unpaid (posted, not sent yet), sent, partially paid, overdue "
        "(amount left after the due date), paid or cancelled.",
    )
    crm_status_code = fields.Integer(
        string="Status Code",
        compute="_compute_crm_status_code",
        help="Perfex CRM numeric status: 1 unpaid, 2 paid, 3 partially paid, "
        "4 overdue, 5 cancelled, 6 draft.",
    )
    crm_days_overdue = fields.Integer(
        string="Days Overdue",
        compute="_compute_crm_days_overdue",
        search="_search_crm_days_overdue",
    )
    crm_date_sent = fields.Datetime(
        string="Sent On",
        compute="_compute_crm_date_sent",
        store=True,
        copy=False,
        readonly=True,
    )
    crm_client_note = fields.Text(
        string="Note to Customer",
        help="Shown to the customer with the invoice (Perfex 'client note').",
    )
    crm_admin_note = fields.Text(
        string="Internal Note", help="For the staff only (Perfex 'admin note')."
    )
    crm_no_reminders = fields.Boolean(
        string="No Reminders",
        copy=False,
        help="Never send payment reminders for this invoice.",
    )
    crm_reminder_ids = fields.One2many(
        "crm.invoices.reminder", "move_id", string="Reminders", readonly=True
    )
    crm_last_reminder_level_id = fields.Many2one(
        "crm.invoices.reminder.level",
        string="Last Reminder",
        compute="_compute_crm_last_reminder",
        store=True,
        index="btree_not_null",
    )
    crm_last_reminder_date = fields.Datetime(
        string="Last Reminder On", compute="_compute_crm_last_reminder", store=True
    )
    crm_date_paid = fields.Date(
        string="Paid On",
        compute="_compute_crm_date_paid",
        store=True,
        copy=False,
        help="Date of the payment that settled the invoice in full.",
    )

    def init(self):
        res = super().init()
        # Lists and counts of customer invoices per company (the Invoices app,
        # the REST API's paging) read this index only.
        create_index(
            self.env.cr,
            "account_move_crm_type_company_idx",
            self._table,
            ["move_type", "company_id"],
        )
        return res

    @api.depends(
        "move_type",
        "state",
        "payment_state",
        "is_move_sent",
        "invoice_date_due",
        "amount_residual",
    )
    def _compute_crm_status(self):
        today = fields.Date.context_today(self)
        for move in self:
            if move.move_type not in CUSTOMER_MOVE_TYPES:
                move.crm_status = False
                continue
            move.crm_status = status_rules.invoice_status(
                state=move.state,
                payment_state=move.payment_state,
                is_sent=move.is_move_sent,
                due_date=move.invoice_date_due or None,
                today=today,
                amount_residual=move.amount_residual,
                is_refund=move.move_type == "out_refund",
            )

    @api.depends("crm_status")
    def _compute_crm_status_code(self):
        for move in self:
            move.crm_status_code = status_rules.perfex_code(move.crm_status) or 0

    @api.depends("crm_status", "invoice_date_due")
    @api.depends_context("tz")
    def _compute_crm_days_overdue(self):
        today = fields.Date.context_today(self)
        for move in self:
            move.crm_days_overdue = status_rules.days_overdue(
                move.crm_status, move.invoice_date_due or None, today
            )

    def _search_crm_days_overdue(self, operator, value):
        """Translate a condition on days overdue into one on status and due date.

        An invoice that is not overdue has 0 days overdue; an overdue one has
        ``today - due date`` days, so "days > n" means "due before today - n".
        """
        if (
            operator not in COMPARATORS
            or isinstance(value, bool)
            or not isinstance(value, int)
        ):
            raise UserError(
                self.env._("Days overdue can only be compared with a whole number.")
            )
        flipped = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "!=": "!="}
        threshold = fields.Date.subtract(fields.Date.context_today(self), days=value)
        late = [
            "&",
            ("crm_status", "=", status_rules.OVERDUE),
            ("invoice_date_due", flipped[operator], threshold),
        ]
        if COMPARATORS[operator](0, value):
            return ["|", ("crm_status", "!=", status_rules.OVERDUE)] + late
        return late

    @api.depends("is_move_sent")
    def _compute_crm_date_sent(self):
        for move in self:
            if not move.is_move_sent:
                move.crm_date_sent = False
            elif not move.crm_date_sent:
                move.crm_date_sent = fields.Datetime.now()

    @api.depends("payment_state")
    def _compute_crm_date_paid(self):
        settled = self.filtered(
            lambda m: (
                m.move_type in CUSTOMER_MOVE_TYPES
                and m.payment_state in status_rules.PAID_PAYMENT_STATES
            )
        )
        (self - settled).crm_date_paid = False
        if not settled:
            return
        last_dates = settled._crm_last_payment_dates()
        today = fields.Date.context_today(self)
        for move in settled:
            move.crm_date_paid = last_dates.get(move.id) or move.crm_date_paid or today

    def _crm_last_payment_dates(self):
        """Last reconciliation date of each invoice's receivable, in one query."""
        if not self.ids:
            return {}
        self.env["account.partial.reconcile"].flush_model()
        self.env["account.move.line"].flush_model(["move_id", "account_id"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT line.move_id, MAX(part.max_date)
                  FROM account_move_line line
                  JOIN account_account account ON account.id = line.account_id
                  JOIN account_partial_reconcile part
                    ON line.id IN (part.debit_move_id, part.credit_move_id)
                 WHERE line.move_id IN %s
                   AND account.account_type = 'asset_receivable'
              GROUP BY line.move_id
                """,
                tuple(self.ids),
            )
        )
        return dict(rows)

    @api.depends("crm_reminder_ids.date", "crm_reminder_ids.level_id")
    def _compute_crm_last_reminder(self):
        for move in self:
            reminders = move.crm_reminder_ids
            last = (
                max(reminders, key=lambda r: (r.date, r.id)) if reminders else reminders
            )
            move.crm_last_reminder_level_id = last.level_id
            move.crm_last_reminder_date = last.date

    def _order_field_to_sql(self, alias, field_name, direction, nulls, query):
        if field_name == "crm_days_overdue":
            today = fields.Date.context_today(self)
            expression = SQL(
                "(CASE WHEN %s = %s THEN %s - %s ELSE 0 END)",
                self._field_to_sql(alias, "crm_status", query),
                status_rules.OVERDUE,
                today,
                self._field_to_sql(alias, "invoice_date_due", query),
            )
            return SQL("%s %s %s", expression, direction, nulls)
        return super()._order_field_to_sql(alias, field_name, direction, nulls, query)

    @api.ondelete(at_uninstall=False)
    def _unlink_crm_except_numbered(self):
        """A customer invoice that consumed a number is never deleted.

        Deleting it would leave a hole in the legal numbering; it is cancelled
        instead.  Odoo lets accounting managers do it anyway: not here.
        """
        if self.env.context.get("force_delete"):
            return
        numbered = self._crm_numbered()
        if numbered:
            raise UserError(
                self.env._(
                    "Invoice %(names)s already has a number and cannot be deleted: "
                    "cancel it instead, so the numbering has no hole.",
                    names=", ".join(numbered.mapped("name")),
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

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

    def action_crm_bulk_mark_sent(self):
        groups = self._crm_partition(
            {
                self.env._("not posted"): lambda m: m.state != "posted",
                self.env._("already sent"): lambda m: m.is_move_sent,
            }
        )
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
        groups = self._crm_partition(
            {
                self.env._("already cancelled"): lambda m: m.state == "cancel",
                self.env._(
                    "has payments: unreconcile them or issue a credit note"
                ): lambda m: m.state == "posted" and m.payment_state != "not_paid",
                self.env._("waiting for a cancellation request"): lambda m: (
                    m.need_cancel_request
                ),
            }
        )
        done = groups.pop(None)
        done, failed = done._crm_try_in_batch(lambda moves: moves.button_cancel())
        self._crm_merge_failures(groups, failed)
        return self._crm_bulk_result(
            self.env._("%(count)s invoice(s) cancelled."), done, groups
        )

    def action_crm_bulk_reset_to_draft(self):
        groups = self._crm_partition(
            {
                self.env._("already a draft"): lambda m: m.state == "draft",
                self.env._("has payments: unreconcile them first"): lambda m: (
                    m.state == "posted" and m.payment_state != "not_paid"
                ),
                self.env._("waiting for a cancellation request"): lambda m: (
                    m.need_cancel_request
                ),
            }
        )
        done = groups.pop(None)
        done, failed = done._crm_try_in_batch(lambda moves: moves.button_draft())
        self._crm_merge_failures(groups, failed)
        return self._crm_bulk_result(
            self.env._("%(count)s invoice(s) reset to draft."), done, groups
        )

    def action_crm_bulk_delete(self):
        numbered = self._crm_numbered()
        groups = self._crm_partition(
            {
                self.env._(
                    "posted invoices are never deleted: cancel them"
                ): lambda m: m.state == "posted",
                self.env._(
                    "has a number: cancel it so the numbering has no hole"
                ): lambda m: m in numbered,
            }
        )
        done = groups.pop(None)
        done, failed = done._crm_try_in_batch(lambda moves: moves.unlink())
        self._crm_merge_failures(groups, failed)
        return self._crm_bulk_result(
            self.env._("%(count)s invoice(s) deleted."), done, groups
        )

    def action_crm_send_reminder(self):
        """Open the wizard that sends the reminder due (or a chosen level) now."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send Payment Reminder"),
            "res_model": "crm.invoices.reminder.send",
            "view_mode": "form",
            "target": "new",
            "context": {"default_move_ids": self.ids},
        }

    def crm_get_pay_url(self):
        """Where the customer pays this invoice online (used by the reminders).

        The customer portal page, which offers Odoo's payment providers;
        ``crm_invoices_payment_link`` returns its hosted pay-now link instead.
        """
        self.ensure_one()
        return self.get_base_url() + self.get_portal_url()

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _crm_numbered(self):
        """Customer invoices of ``self`` whose deletion would leave a hole."""
        candidates = self.filtered(
            lambda m: (
                m.move_type in CUSTOMER_MOVE_TYPES
                and m.posted_before
                and m.name
                and m.name != "/"
            )
        )
        if not candidates or candidates._is_end_of_seq_chain():
            return self.browse()
        return candidates

    def _crm_partition(self, rules):
        """Split ``self`` by the first rule that refuses each record.

        :param rules: ``{reason: predicate}``, checked in order; a record for
            which a predicate is true is skipped for that reason.
        :return: ``{None: allowed records, reason: skipped records, ...}``
        """
        groups = defaultdict(lambda: self.browse())
        groups[None] = self.browse()
        for move in self:
            reason = next((r for r, refuse in rules.items() if refuse(move)), None)
            groups[reason] |= move
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
        for move in self:
            try:
                with self.env.cr.savepoint():
                    operation(move)
                done |= move
            except UserError as error:
                failed[str(error)] |= move
        return done, failed

    @api.model
    def _crm_merge_failures(self, groups, failures):
        for reason, moves in failures.items():
            groups[reason] |= moves

    def _crm_bulk_result(self, done_message, done, skipped, next_action=None):
        """A notification saying what was done and what was skipped, and why.

        ``done`` may hold deleted records: only its length is used.
        """
        lines = [done_message % {"count": len(done)}]
        for reason, moves in skipped.items():
            if not moves:
                continue
            names = ", ".join(moves[:10].mapped("display_name"))
            if len(moves) > 10:
                names += self.env._(" and %(count)s more", count=len(moves) - 10)
            lines.append(
                self.env._(
                    "%(count)s skipped (%(reason)s): %(names)s",
                    count=len(moves),
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

    @api.model
    def _cron_crm_mark_overdue(self):
        """Daily: move every open customer invoice past its due date to overdue.

        One ``UPDATE`` for all companies; the statuses it does not touch are
        kept current by the ORM (a payment, a due date change...).
        """
        today = fields.Date.context_today(self)
        self.flush_model(
            [
                "crm_status",
                "state",
                "payment_state",
                "invoice_date_due",
                "amount_residual",
            ]
        )
        rows = self.env.execute_query(
            SQL(
                """
                UPDATE account_move
                   SET crm_status = %(overdue)s
                 WHERE move_type = 'out_invoice'
                   AND state = 'posted'
                   AND crm_status IN %(open)s
                   AND payment_state IN ('not_paid', 'partial')
                   AND amount_residual > 0
                   AND invoice_date_due < %(today)s
             RETURNING id
                """,
                overdue=status_rules.OVERDUE,
                open=(status_rules.UNPAID, status_rules.SENT, status_rules.PARTIAL),
                today=today,
            )
        )
        moves = self.browse([row[0] for row in rows])
        moves.invalidate_recordset(["crm_status"])
        return moves

    # ------------------------------------------------------------------
    # Payment reminders
    # ------------------------------------------------------------------

    @api.model
    def _crm_reminder_candidates(self, today, move_ids=None):
        """Every invoice that may get a reminder, with the levels it already got.

        One query, whatever the number of invoices: posted customer invoices
        with money left, past their due date, not opted out, whose customer
        has an email.
        :return: rows ``(move_id, company_id, days_late, [(level_id, delay)])``
        """
        self.env["crm.invoices.reminder"].flush_model()
        self.env["res.partner"].flush_model(["email", "crm_no_payment_reminders"])
        self.flush_model(
            [
                "move_type",
                "state",
                "payment_state",
                "amount_residual",
                "invoice_date_due",
                "crm_no_reminders",
                "partner_id",
                "commercial_partner_id",
            ]
        )
        only = SQL("AND move.id IN %s", tuple(move_ids)) if move_ids else SQL()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT move.id,
                       move.company_id,
                       %(today)s::date - move.invoice_date_due,
                       COALESCE(
                           ARRAY_AGG(ARRAY[level.id, level.delay_days])
                               FILTER (WHERE level.id IS NOT NULL),
                           '{}'
                       )
                  FROM account_move move
                  JOIN res_partner partner ON partner.id = move.partner_id
                  JOIN res_partner customer ON customer.id = move.commercial_partner_id
             LEFT JOIN crm_invoices_reminder reminder ON reminder.move_id = move.id
             LEFT JOIN crm_invoices_reminder_level level ON level.id = reminder.level_id
                 WHERE move.move_type = 'out_invoice'
                   AND move.state = 'posted'
                   AND move.payment_state IN ('not_paid', 'partial')
                   AND move.amount_residual > 0
                   AND move.invoice_date_due < %(today)s
                   AND move.crm_no_reminders IS NOT TRUE
                   AND customer.crm_no_payment_reminders IS NOT TRUE
                   AND COALESCE(partner.email, '') != ''
                   %(only)s
              GROUP BY move.id
                """,
                today=today,
                only=only,
            )
        )
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
    def _crm_reminder_ladders(self, companies=None):
        """``{company id: [Level]}``: the active reminder levels of each company."""
        domain = [("company_id", "in", companies.ids)] if companies is not None else []
        ladders = defaultdict(list)
        for level in self.env["crm.invoices.reminder.level"].sudo().search(domain):
            ladders[level.company_id.id].append(
                reminder_schedule.Level(level.id, level.delay_days)
            )
        return ladders

    @api.model
    def _crm_reminders_due(self, today):
        """``[(move_id, level_id, days_late)]``: the reminder due now per invoice."""
        by_company = self._crm_reminder_ladders()
        due = []
        for move_id, company_id, days_late, sent in self._crm_reminder_candidates(
            today
        ):
            level = reminder_schedule.level_due(
                by_company.get(company_id, ()), days_late, sent
            )
            if level:
                due.append((move_id, level.id, days_late))
        return due

    def _crm_reminder_refusal(self):
        """Why this invoice gets no reminder at all (a message for the user)."""
        self.ensure_one()
        if self.move_type != "out_invoice":
            return self.env._("not a customer invoice")
        if self.state != "posted" or self.payment_state not in ("not_paid", "partial"):
            return self.env._("nothing left to pay")
        if (
            not self.invoice_date_due
            or self.invoice_date_due >= fields.Date.context_today(self)
        ):
            return self.env._("not overdue")
        if self.crm_no_reminders:
            return self.env._("the invoice is marked 'no reminders'")
        if self.commercial_partner_id.crm_no_payment_reminders:
            return self.env._("the customer is marked 'no payment reminders'")
        if not self.partner_id.email:
            return self.env._("the customer has no email address")
        return self.env._("no reminder can be sent")

    def _crm_lock_for_reminders(self):
        """Lock the invoices; those another transaction holds are left out."""
        if not self:
            return self
        rows = self.env.execute_query(
            SQL(
                "SELECT id FROM account_move WHERE id IN %s FOR UPDATE SKIP LOCKED",
                tuple(self.ids),
            )
        )
        return self.browse([row[0] for row in rows])

    @api.model
    def _crm_send_reminders(self, todo, sent_by):
        """Send reminders ``[(move_id, level_id, days_late)]``, each at most once.

        The invoices are locked, then what was sent is read again: a run that
        overlaps this one, or a user, may have sent a level meanwhile.  Each
        reminder is recorded before its email is posted, in a savepoint: the
        unique (invoice, level) constraint stops a duplicate before any email.
        :return: the ``crm.invoices.reminder`` records created
        """
        if not todo:
            return self.env["crm.invoices.reminder"]
        self._cron_crm_mark_overdue()  # the emails show today's days overdue
        moves = self.browse([move_id for move_id, _level, _days in todo])
        locked = set(moves._crm_lock_for_reminders().ids)
        sent_now = {
            move_id: sent
            for move_id, _company, _days, sent in self._crm_reminder_candidates(
                fields.Date.context_today(self), move_ids=list(locked)
            )
        }
        levels = self.env["crm.invoices.reminder.level"].browse(
            {level_id for _move, level_id, _days in todo}
        )
        delays = {level.id: level.delay_days for level in levels}
        reminders = self.env["crm.invoices.reminder"]
        for move_id, level_id, days_late in todo:
            sent = sent_now.get(move_id)
            if move_id not in locked or sent is None:
                continue  # being reminded by someone else, or no longer eligible
            if any(
                level.id == level_id or level.delay_days >= delays[level_id]
                for level in sent
            ):
                continue  # this level, or a later one, went out meanwhile
            move = self.browse(move_id)
            level = levels.browse(level_id)
            try:
                with self.env.cr.savepoint():
                    reminders |= move._crm_send_one_reminder(level, days_late, sent_by)
            except Exception:
                _logger.exception(
                    "Payment reminder %s for invoice %s failed", level.name, move.name
                )
                if sent_by == "user":
                    raise
        return reminders

    def _crm_send_one_reminder(self, level, days_late, sent_by):
        self.ensure_one()
        reminder = self.env["crm.invoices.reminder"].create(
            {
                "move_id": self.id,
                "level_id": level.id,
                "sent_by": sent_by,
                "user_id": self.env.uid if sent_by == "user" else False,
                "days_overdue": days_late,
                "amount_due": self.amount_residual,
                "email_to": self.partner_id.email_formatted,
            }
        )
        reminder.flush_recordset()  # the unique constraint speaks before the email
        message = self.with_context(
            mail_notify_force_send=False, lang=None
        ).message_post_with_source(
            level.mail_template_id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        reminder.mail_message_id = message[:1]
        return reminder

    @api.model
    def _cron_crm_send_reminders(self, batch_size=100):
        """Daily: send every reminder due, in batches that commit their progress.

        A crash loses at most the batch under way, whose emails were only
        queued in the same transaction: nothing is ever sent twice.
        """
        moves = self.sudo()
        today = fields.Date.context_today(self)
        due = moves._crm_reminders_due(today)
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        done = 0
        for batch in split_every(batch_size, due, list):
            moves._crm_send_reminders(batch, sent_by="job")
            done += len(batch)
            if auto_commit:
                self.env["ir.cron"]._notify_progress(
                    done=done, remaining=len(due) - done
                )
                self.env.cr.commit()  # pylint: disable=invalid-commit
        return done
