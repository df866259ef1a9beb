import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tools import SQL, format_date

from odoo.addons.crm_invoices.lib import batch_job
from odoo.addons.crm_invoices.lib.perfex_recurrence import Recurrence

from ..lib import schedule_dates

_logger = logging.getLogger(__name__)


class ContractContract(models.Model):
    """A customer contract of OCA's ``contract`` is the schedule an invoice
    repeats on: what the Invoices app adds to it.

    - Perfex's view of it: the invoice it repeats, how many invoices it makes
      (``crm_cycles``, 0: without end), how many it made and when.
    - Each period's invoice made once: the invoice keeps its schedule and
      period (a unique index), the job locks the schedules it invoices and
      skips those another run holds, and catches up every missed period,
      one invoice each, in one run.
    - The invoice then goes the way the company chose (draft, posted, posted
      and sent) and, where the customer saved a card for the schedule, is
      charged to it once.
    """

    _name = "contract.contract"
    _inherit = ["contract.contract", "crm.invoices.guarded.mixin"]

    crm_source_invoice_id = fields.Many2one(
        "account.move",
        string="Repeats Invoice",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The invoice this schedule repeats.",
    )
    crm_cycles = fields.Integer(
        string="Cycles",
        copy=False,
        help="How many invoices the schedule makes; 0: without end.",
    )
    crm_custom_recurring = fields.Boolean(
        string="Custom Recurrence",
        copy=False,
        help="Perfex's custom recurrence (else every 1-12 months).",
    )
    crm_invoice_ids = fields.One2many(
        "account.move", "crm_recurring_contract_id", string="Invoices of the Schedule"
    )
    crm_total_cycles = fields.Integer(
        string="Invoices Made", compute="_compute_crm_made"
    )
    crm_last_recurring_date = fields.Date(
        string="Last Invoiced", compute="_compute_crm_made"
    )
    crm_autopay = fields.Boolean(
        string="Charge Saved Card",
        help="Offer the customer to save a card on the pay page; its later "
        "invoices are then charged to it when issued.",
    )
    crm_payment_token_id = fields.Many2one(
        "payment.token",
        string="Saved Card",
        copy=False,
        readonly=True,
        help="The card the customer saved for this schedule on the pay page; "
        "the customer removes it from the portal.",
    )
    crm_period_amount = fields.Monetary(
        string="Each Invoice",
        compute="_compute_crm_period_amount",
        currency_field="currency_id",
        help="Untaxed amount of one invoice of the schedule, as written.",
    )

    crm_every = fields.Char(string="Every", compute="_compute_crm_repeat_summary")
    crm_repeat_summary = fields.Char(
        string="Repeats", compute="_compute_crm_repeat_summary"
    )

    @api.depends(
        "recurring_interval",
        "recurring_rule_type",
        "recurring_next_date",
        "crm_cycles",
        "crm_total_cycles",
    )
    @api.depends_context("lang")
    def _compute_crm_repeat_summary(self):
        units = dict(self._crm_unit_names())
        for contract in self:
            recurrence = contract._crm_recurrence()
            contract.crm_every = self.env._(
                "every %(interval)s %(unit)s",
                interval=recurrence.interval,
                unit=units[recurrence.unit],
            )
            parts = [contract.crm_every]
            if contract.recurring_next_date:
                parts.append(
                    self.env._(
                        "next %(date)s",
                        date=format_date(self.env, contract.recurring_next_date),
                    )
                )
            if contract.crm_cycles:
                parts.append(
                    self.env._(
                        "%(made)s of %(cycles)s made",
                        made=contract.crm_total_cycles,
                        cycles=contract.crm_cycles,
                    )
                )
            contract.crm_repeat_summary = " · ".join(parts)

    @api.model
    def _crm_guarded_fields(self):
        """The invoice a schedule repeats and the card the customer saved
        for it are written by their actions only (a card is never chosen
        for a customer over RPC)."""
        return super()._crm_guarded_fields() | {
            "crm_source_invoice_id",
            "crm_payment_token_id",
        }

    @api.depends("crm_invoice_ids")
    def _compute_crm_made(self):
        made = {
            contract.id: (count, last)
            for contract, count, last in self.env["account.move"]._read_group(
                [("crm_recurring_contract_id", "in", self.ids)],
                ["crm_recurring_contract_id"],
                ["__count", "crm_recurring_period:max"],
            )
        }
        for contract in self:
            count, last = made.get(contract.id, (0, False))
            contract.crm_total_cycles = count
            contract.crm_last_recurring_date = last

    @api.depends("contract_line_ids.price_subtotal")
    def _compute_crm_period_amount(self):
        for contract in self:
            contract.crm_period_amount = sum(
                contract.contract_line_ids.filtered(
                    lambda line: not line.display_type and not line.is_canceled
                ).mapped("price_subtotal")
            )

    # ------------------------------------------------------------------
    # invoicing: once per period
    # ------------------------------------------------------------------

    def _prepare_invoice(self, date_invoice, journal=None):
        """The period is the schedule's next date at the time: the invoice's
        key (schedule, period) is unique."""
        values = super()._prepare_invoice(date_invoice, journal=journal)
        values["crm_recurring_contract_id"] = self.id
        values["crm_recurring_period"] = self.recurring_next_date
        return values

    def _crm_lock_due(self, date_ref):
        """The schedules of ``self`` still due on ``date_ref`` that this
        transaction now holds: another run holding one skips it (it
        invoices it), one that committed its invoice first makes this
        transaction fail to serialize (Odoo's cron then runs again)."""
        if not self:
            return self
        self.flush_model(["recurring_next_date", "date_end"])
        rows = self.env.execute_query(
            SQL(
                """SELECT id FROM contract_contract
                    WHERE id IN %s AND active
                      AND recurring_next_date <= %s
                      AND (date_end IS NULL OR recurring_next_date <= date_end)
                    ORDER BY id
                      FOR NO KEY UPDATE SKIP LOCKED""",
                tuple(self.ids),
                date_ref,
            )
        )
        # what another run committed since this transaction read them
        self.env.invalidate_all()
        return self.browse([row[0] for row in rows])

    def _recurring_create_invoice(self, date_ref=False):
        """OCA's invoicing of one period per schedule, run until every
        missed period is invoiced (each once, dated ``date_ref``), then
        each invoice sent on its way.  A schedule another run is invoicing
        is skipped."""
        today = date_ref or fields.Date.context_today(self)
        manual = not date_ref
        moves = self.env["account.move"]
        # who may invoice, invoices; the schedule's key is then written as
        # superuser (a guarded field), under the user's name
        moves.check_access("create")
        pending = (self if manual else self._crm_lock_due(today)).sudo()
        for _step in range(schedule_dates.MAX_STEPS):
            if not pending:
                break
            made = super(ContractContract, pending)._recurring_create_invoice(date_ref)
            moves |= made
            if manual:
                break
            pending = pending.filtered(
                lambda contract: (
                    contract.recurring_next_date
                    and contract.recurring_next_date <= today
                    and (
                        not contract.date_end
                        or contract.recurring_next_date <= contract.date_end
                    )
                )
            )
        moves = moves.with_env(self.env)
        moves._crm_issue_recurring()
        return moves

    @api.model
    def cron_recurring_create_invoice(self, date_ref=None):
        """OCA's job, in batches that keep their progress: each batch's
        invoices are committed before their saved cards are charged, and
        each charge is committed, so that a crash never loses an invoice or
        a charge the provider made."""
        if not self.env.is_superuser():
            # a public method of OCA's: over RPC anyone could invoice years
            # ahead (any date_ref) and commit in the middle of a request
            raise AccessError(
                self.env._(
                    "Only the scheduled job invoices every schedule: use Create "
                    "Invoices on a schedule."
                )
            )
        date_ref = date_ref or fields.Date.context_today(self)
        due = self.search(
            [
                *self._get_contracts_to_invoice_domain(date_ref),
                ("generation_type", "=", "invoice"),
            ],
            order="id",
        )
        auto_commit = batch_job.may_commit()
        made = self.env["account.move"]
        for company in due.company_id:
            contracts = due.filtered(lambda c, co=company: c.company_id == co)
            for start in range(0, len(contracts), self._crm_batch_size):
                batch = contracts[start : start + self._crm_batch_size]
                moves = (
                    batch.with_company(company)
                    .with_context(crm_recurring_defer_charge=True)
                    ._recurring_create_invoice(date_ref)
                )
                made |= moves
                if auto_commit:
                    self.env.cr.commit()  # pylint: disable=invalid-commit
                for move in moves:
                    move._crm_autopay_charge(commit=auto_commit)
                    if auto_commit:
                        self.env.cr.commit()  # pylint: disable=invalid-commit
        return made

    #: Schedules invoiced between two commits of the job.
    _crm_batch_size = 200

    @api.model
    def _crm_autopay_token(self, invoice):
        """The saved card ``invoice`` is charged to, if any (active, the
        customer's, of a provider that takes it)."""
        contract = invoice.crm_recurring_contract_id
        token = contract.crm_payment_token_id
        if not (contract.crm_autopay and token.active):
            return self.env["payment.token"]
        if token.partner_id.commercial_partner_id != invoice.commercial_partner_id:
            return self.env["payment.token"]
        if token.provider_id.state not in ("enabled", "test"):
            return self.env["payment.token"]
        return token

    # ------------------------------------------------------------------
    # making a schedule from an invoice
    # ------------------------------------------------------------------

    @api.model
    def _crm_schedule_values(self, invoice, recurrence, date_start):
        """The values of the schedule repeating ``invoice`` (its lines
        follow the price list where the company says so)."""
        company = invoice.company_id
        unit_rule = schedule_dates.CONTRACT_RULES[recurrence.unit]
        date_end = schedule_dates.last_period_end(
            date_start, recurrence.unit, recurrence.interval, recurrence.cycles
        )
        follow = company.crm_recurring_price == "pricelist"
        lines = [
            Command.create(
                {
                    "product_id": line.product_id.id,
                    "name": line.name or line.product_id.display_name or "/",
                    "quantity": line.quantity,
                    "uom_id": line.product_uom_id.id or line.product_id.uom_id.id,
                    "automatic_price": follow and bool(line.product_id),
                    "specific_price": line.price_unit,
                    "discount": line.discount,
                    "crm_tax_ids": [Command.set(line.tax_ids.ids)],
                    "crm_keep_taxes": True,
                    "recurring_rule_type": unit_rule,
                    "recurring_interval": recurrence.interval,
                    "recurring_invoicing_type": "pre-paid",
                    "date_start": date_start,
                    "recurring_next_date": date_start,
                    "date_end": date_end,
                }
            )
            for line in invoice.invoice_line_ids
            if line.display_type == "product"
        ]
        return {
            "name": invoice.name
            if invoice.name and invoice.name != "/"
            else invoice.partner_id.name,
            "partner_id": invoice.partner_id.id,
            "invoice_partner_id": invoice.partner_id.id,
            "company_id": company.id,
            "contract_type": "sale",
            "journal_id": invoice.journal_id.id,
            "manual_currency_id": invoice.currency_id.id
            if invoice.currency_id != company.currency_id
            else False,
            "payment_term_id": invoice.invoice_payment_term_id.id,
            "fiscal_position_id": invoice.fiscal_position_id.id,
            "user_id": invoice.invoice_user_id.id,
            "pricelist_id": invoice.partner_id.with_company(
                company
            ).property_product_pricelist.id,
            "line_recurrence": False,
            "recurring_rule_type": unit_rule,
            "recurring_interval": recurrence.interval,
            "recurring_invoicing_type": "pre-paid",
            "date_start": date_start,
            "crm_source_invoice_id": invoice.id,
            "crm_cycles": recurrence.cycles,
            "crm_custom_recurring": recurrence.custom,
            "crm_autopay": company.crm_recurring_autopay,
            "contract_line_ids": lines,
        }

    @api.model
    def _crm_unit_names(self):
        return [
            ("day", self.env._("day(s)")),
            ("week", self.env._("week(s)")),
            ("month", self.env._("month(s)")),
            ("year", self.env._("year(s)")),
        ]

    def _crm_recurrence(self):
        """The schedule's recurrence, as Perfex says it."""
        self.ensure_one()
        unit, multiple = schedule_dates.UNITS_OF_RULES[self.recurring_rule_type]
        return Recurrence(
            self.recurring_interval * multiple,
            unit,
            self.crm_cycles,
            self.crm_custom_recurring,
        )
