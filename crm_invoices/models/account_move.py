import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.sql import create_index, drop_index

from .. import queries
from ..lib import invoice_status as status_rules
from ..lib.domain_rule import COMPARISONS

_logger = logging.getLogger(__name__)

CUSTOMER_MOVE_TYPES = ("out_invoice", "out_refund")


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "crm.invoices.export.mixin"]

    crm_status = fields.Selection(
        selection=status_rules.SELECTION,
        string="Invoice Status",
        compute="_compute_crm_status",
        store=True,
        index=True,
        copy=False,
        tracking=True,
        help="Draft, unpaid (posted, not sent yet), sent, partially paid, overdue "
        "(amount left after the due date), paid or cancelled. A credit note: "
        "open, applied (set against invoices) or refunded (paid back).",
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
    crm_total_signed = fields.Monetary(
        string="Signed Total",
        compute="_compute_crm_signed_amounts",
        currency_field="currency_id",
        help="In the invoice's currency; a credit note's is negative (the company "
        "owes it).",
    )
    crm_due_signed = fields.Monetary(
        string="Signed Amount Due",
        compute="_compute_crm_signed_amounts",
        currency_field="currency_id",
        help="What is left to pay, in the invoice's currency; a credit note's is "
        "negative (the company owes it).",
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
    crm_client_number = fields.Char(
        string="Client Number",
        copy=False,
        index="btree_not_null",
        help="The number a REST API client (Perfex) gave this invoice: unique in the "
        "company and found by the API's search. Odoo's legal sequence still numbers "
        "the invoice.",
    )
    crm_discount_type = fields.Selection(
        [("before_tax", "Before Tax"), ("after_tax", "After Tax")],
        string="Discount Type",
        copy=False,
        help="How the REST API client expressed its discount (Perfex). A percent "
        "discount gives the same total before or after percent taxes; Odoo applies "
        "it on each line.",
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

    _sql_constraints = [
        (
            "crm_client_number_uniq",
            "UNIQUE(company_id, crm_client_number)",
            "The Invoice number is already in use",
        ),
    ]

    def init(self):
        res = super().init()
        # Lists and counts of customer invoices per company (the Invoices app,
        # the REST API's paging, whose every page is counted) read this index
        # only: with the state in it, a count of the invoices that are not
        # cancelled is an index-only scan (100,000 invoices: ~10 ms, a seq
        # scan of the table ~45 ms).
        drop_index(self.env.cr, "account_move_crm_type_company_idx", self._table)
        create_index(
            self.env.cr,
            "account_move_crm_type_company_state_idx",
            self._table,
            ["move_type", "company_id", "state"],
        )
        return res

    @api.depends(
        "move_type",
        "state",
        "payment_state",
        "is_move_sent",
        "invoice_date_due",
        "amount_residual",
        "line_ids.matched_debit_ids",
    )
    def _compute_crm_status(self):
        today = fields.Date.context_today(self)
        paid_out = self._crm_credit_notes_paid_out()
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
                paid_out=move in paid_out,
            )

    def _crm_credit_notes_paid_out(self):
        """The posted credit notes of ``self`` settled, at least in part, by
        money paid to the customer: their receivable is matched with a payment
        or a bank statement line (the others are set against invoices)."""
        credit_notes = self.filtered(
            lambda move: move.move_type == "out_refund" and move.state == "posted"
        )
        receivables = credit_notes.line_ids._crm_receivable()
        return receivables.matched_debit_ids.filtered(
            lambda partial: (
                partial.debit_move_id.move_id.origin_payment_id
                or partial.debit_move_id.move_id.statement_line_id
            )
        ).credit_move_id.move_id

    @api.depends("move_type", "amount_total", "amount_residual", "state")
    def _compute_crm_signed_amounts(self):
        """Signed amounts in the invoice's own currency, for the screens:
        never summed (a list of several currencies would add dollars and
        euros); the sums are in the company's currency
        (``amount_total_signed``, ``amount_residual_signed``)."""
        for move in self:
            sign = -1 if move.move_type == "out_refund" else 1
            move.crm_total_signed = sign * move.amount_total
            move.crm_due_signed = (
                sign * move.amount_residual if move.state == "posted" else 0.0
            )

    def _crm_credited_invoices(self):
        """The invoices this credit note credits: the one it reverses, and
        those it was set against (a credit note made by hand names no
        invoice until it is applied)."""
        self.ensure_one()
        applied = (
            self.line_ids._crm_receivable().matched_debit_ids.debit_move_id.move_id
        )
        return (self.reversed_entry_id | applied).filtered(
            lambda move: move.move_type == "out_invoice"
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
            operator not in COMPARISONS
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
        if COMPARISONS[operator](0, value):
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
        return queries.last_receivable_reconciliation_dates(self.env, self)

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

    def _crm_has_payments(self):
        """Whether something was set against this invoice (a payment, a
        credit note): the rule :func:`~..lib.invoice_status.has_payments`."""
        self.ensure_one()
        return status_rules.has_payments(
            self.state, self.payment_state, self.amount_residual, self.amount_total
        )
