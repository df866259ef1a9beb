import logging

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command

from odoo.addons.crm_invoices.lib.api_errors import ValidationFailed
from odoo.addons.crm_invoices.lib.perfex_recurrence import Recurrence

from ..lib import schedule_dates

_logger = logging.getLogger(__name__)


class AccountMove(models.Model):
    """An invoice a schedule made (its schedule and period: unique), and an
    invoice a schedule repeats (Perfex's recurring invoice)."""

    _inherit = "account.move"

    crm_recurring_contract_id = fields.Many2one(
        "contract.contract",
        string="Made by Schedule",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
    )
    crm_recurring_period = fields.Date(
        string="Schedule Period",
        readonly=True,
        copy=False,
        help="The schedule's date this invoice was made for: one invoice per "
        "schedule and period.",
    )
    crm_schedule_ids = fields.One2many(
        "contract.contract", "crm_source_invoice_id", string="Schedules"
    )
    crm_schedule_id = fields.Many2one(
        "contract.contract",
        string="Repeats On",
        compute="_compute_crm_schedule_id",
        help="The schedule repeating this invoice.",
    )
    crm_repeat_summary = fields.Char(
        string="Repeats", compute="_compute_crm_schedule_id"
    )
    crm_autopay_state = fields.Selection(
        [("charged", "Charged"), ("failed", "Charge failed")],
        string="Saved Card",
        readonly=True,
        copy=False,
    )

    _sql_constraints = [
        (
            "crm_recurring_once",
            "UNIQUE(crm_recurring_contract_id, crm_recurring_period)",
            "This schedule already made the invoice of this period.",
        )
    ]

    @api.model
    def _crm_guarded_fields(self):
        """EXTENDS crm_invoices: a schedule's key and its card's charge are
        written by the schedule's job and the charge only."""
        return super()._crm_guarded_fields() | {
            "crm_recurring_contract_id",
            "crm_recurring_period",
            "crm_autopay_state",
        }

    @api.depends("crm_schedule_ids.active", "crm_schedule_ids.crm_repeat_summary")
    @api.depends_context("lang")
    def _compute_crm_schedule_id(self):
        for move in self:
            schedule = move.crm_schedule_ids.filtered("active")[:1]
            move.crm_schedule_id = schedule
            move.crm_repeat_summary = schedule.crm_repeat_summary or False

    # ------------------------------------------------------------------
    # making an invoice repeat
    # ------------------------------------------------------------------

    def _crm_check_may_repeat(self):
        self.ensure_one()
        self.check_access("write")
        if self.move_type != "out_invoice":
            raise UserError(self.env._("Only customer invoices repeat."))
        if self.state == "cancel":
            raise UserError(self.env._("A cancelled invoice does not repeat."))
        if not self.invoice_line_ids.filtered(
            lambda line: line.display_type == "product"
        ):
            raise UserError(self.env._("An invoice without lines does not repeat."))
        if self.company_id not in self.env.companies:
            raise UserError(self.env._("This invoice is not of your companies."))

    def _crm_set_schedule(self, recurrence, date_start=None):
        """Make ``self`` repeat on ``recurrence`` from ``date_start``
        (default: one period after its date), change its schedule, or stop
        it (``interval`` 0).  Who may change the invoice may make it repeat.

        :return: whether something changed
        """
        self.ensure_one()
        self._crm_check_may_repeat()
        schedule = self.crm_schedule_id.sudo()
        if recurrence.stops:
            if not schedule:
                return False
            schedule.write({"active": False})
            self.message_post(
                body=self.env._(
                    "No longer repeats (schedule %s stopped).", schedule.display_name
                )
            )
            return True
        if schedule and schedule._crm_recurrence() == recurrence:
            return False
        if schedule:
            # a new recurrence: the schedule goes on from its next date
            date_start = date_start or schedule.recurring_next_date
            schedule.write({"active": False})
        today = fields.Date.context_today(self)
        date_start = date_start or schedule_dates.first_date(
            self.invoice_date or today,
            schedule_dates.step(recurrence.unit, recurrence.interval),
            today,
        )
        contracts = self.env["contract.contract"].sudo()
        new = contracts.create(
            contracts._crm_schedule_values(self, recurrence, date_start)
        )
        new.message_subscribe(partner_ids=self.env.user.partner_id.ids)
        self.message_post(
            body=self.env._(
                "Repeats every %(interval)s %(unit)s from %(start)s (%(cycles)s).",
                interval=recurrence.interval,
                unit=dict(contracts._crm_unit_names())[recurrence.unit],
                start=fields.Date.to_string(date_start),
                cycles=self.env._("%s invoices", recurrence.cycles)
                if recurrence.cycles
                else self.env._("without end"),
            )
        )
        return True

    def _crm_api_set_recurrence(self, recurrence):
        """EXTENDS crm_invoices: Perfex's recurring fields take effect."""
        super()._crm_api_set_recurrence(recurrence)
        try:
            return self._crm_set_schedule(recurrence)
        except UserError as error:
            raise ValidationFailed({"recurring": str(error)}) from error

    def action_crm_open_schedule(self):
        self.ensure_one()
        schedule = self.crm_schedule_id or self.crm_recurring_contract_id
        return {
            "type": "ir.actions.act_window",
            "res_model": "contract.contract",
            "res_id": schedule.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    # ------------------------------------------------------------------
    # an invoice a schedule made: on its way, charged once
    # ------------------------------------------------------------------

    def _crm_issue_recurring(self):
        """Post and send the invoices schedules made, as each company chose;
        then charge the saved cards (unless the job does it after its
        commit)."""
        for company in self.company_id:
            moves = self.filtered(lambda move, co=company: move.company_id == co)
            mode = company.crm_recurring_invoice_state
            if mode == "draft":
                continue
            moves.action_post()
            if not self.env.context.get("crm_recurring_defer_charge"):
                for move in moves:
                    move._crm_autopay_charge()
            if mode == "sent":
                moves.filtered(lambda m: m.state == "posted")._crm_send_recurring()

    def _crm_send_recurring(self):
        """Send each invoice the way Odoo's Send does in bulk: queued for
        Odoo's sending job (its PDF, its e-documents, its email with the pay
        link), which reports what it could not send on the invoice."""
        if not self:
            return
        self.sending_data = {
            "author_user_id": self.env.user.id,
            "author_partner_id": self.env.user.partner_id.id,
        }
        self.env.ref("account.ir_cron_account_move_send")._trigger()

    def _crm_autopay_charge(self, commit=False):
        """Charge this invoice once to the card its customer saved for its
        schedule.  Nothing is charged for an invoice paid, in payment or
        being paid another way (every transaction goes through the pay
        links' one-payment-at-a-time check); a refused charge leaves the
        invoice to its pay link and the reminders.

        :param commit: (the job) commit the transaction and the invoice's
            mark before asking the provider: a crash after the provider
            charged keeps the transaction, whose notification then records
            the payment, and the invoice is never charged again.
        :return: the transaction, or ``None``
        """
        self.ensure_one()
        if self.state != "posted" or self.crm_autopay_state:
            return None
        contract = self.env["contract.contract"].sudo()
        token = contract._crm_autopay_token(self.sudo())
        if not token or self.amount_residual <= 0:
            return None
        transactions = self.env["payment.transaction"].sudo()
        try:
            with self.env.cr.savepoint():
                transaction = transactions.create(
                    {
                        "provider_id": token.provider_id.id,
                        "payment_method_id": token.payment_method_id.id,
                        "reference": transactions._compute_reference(
                            token.provider_id.code, prefix=self.name
                        ),
                        "amount": self.amount_residual,
                        "currency_id": self.currency_id.id,
                        "partner_id": self.partner_id.id,
                        "token_id": token.id,
                        "operation": "offline",
                        "invoice_ids": [Command.set(self.ids)],
                    }
                )
        except ValidationError as refused:
            _logger.info("Saved card not charged for %s: %s", self.name, refused)
            return None
        self.sudo().crm_autopay_state = "failed"
        if commit:
            self.env.cr.commit()  # pylint: disable=invalid-commit
        try:
            transaction._send_payment_request()
        except (UserError, ValidationError) as error:
            _logger.warning("Saved card charge of %s failed: %s", self.name, error)
        if transaction.state == "done":
            self._crm_post_process_confirmed()
        if transaction.state in ("done", "authorized", "pending"):
            self.sudo().crm_autopay_state = "charged"
            self.message_post(
                body=self.env._(
                    "Charged %(amount)s to the saved card %(card)s.",
                    amount=transaction.amount,
                    card=token.display_name,
                )
            )
        else:
            self.message_post(
                body=self.env._(
                    "The saved card %(card)s was refused: the invoice waits for "
                    "payment through its pay link and its reminders.",
                    card=token.display_name,
                )
            )
        return transaction

    def _crm_autopay_schedules(self):
        """The schedules of ``self`` (made by or repeating them) that charge
        saved cards."""
        schedules = self.crm_recurring_contract_id | self.crm_schedule_id
        return schedules.filtered(lambda schedule: schedule.crm_autopay)

    def action_crm_stop_recurring(self):
        """Stop the schedule repeating this invoice (the invoices it made
        stay)."""
        for move in self:
            move._crm_set_schedule(Recurrence(0))
        return True
