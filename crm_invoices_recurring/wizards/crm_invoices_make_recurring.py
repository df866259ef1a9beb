from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.crm_invoices.lib.perfex_recurrence import (
    MAX_CYCLES,
    MAX_INTERVAL,
    Recurrence,
)

from ..lib import schedule_dates


class CrmInvoicesMakeRecurring(models.TransientModel):
    """Make an invoice repeat: every N days, weeks, months or years, a
    number of invoices or without end, from a date."""

    _name = "crm.invoices.make.recurring"
    _description = "Make an Invoice Recurring"

    move_id = fields.Many2one(
        "account.move", string="Invoice", required=True, ondelete="cascade"
    )
    interval = fields.Integer(string="Repeat Every", default=1, required=True)
    unit = fields.Selection(
        [("day", "Days"), ("week", "Weeks"), ("month", "Months"), ("year", "Years")],
        default="month",
        required=True,
    )
    cycles = fields.Integer(
        string="Invoices", help="How many invoices to make; 0: without end."
    )
    date_start = fields.Date(
        string="First Invoice On",
        compute="_compute_date_start",
        store=True,
        readonly=False,
        help="Empty: one period after the invoice's date.",
    )
    date_end = fields.Date(string="Last Period Ends", compute="_compute_date_end")

    @api.depends("move_id", "interval", "unit")
    def _compute_date_start(self):
        for wizard in self:
            today = fields.Date.context_today(wizard)
            base = wizard.move_id.invoice_date or today
            if 0 < wizard.interval <= MAX_INTERVAL:
                wizard.date_start = schedule_dates.first_date(
                    base, schedule_dates.step(wizard.unit, wizard.interval), today
                )
            else:
                wizard.date_start = base

    @api.depends("date_start", "interval", "unit", "cycles")
    def _compute_date_end(self):
        for wizard in self:
            valid = wizard.date_start and 0 < wizard.interval <= MAX_INTERVAL
            wizard.date_end = (
                schedule_dates.last_period_end(
                    wizard.date_start, wizard.unit, wizard.interval, wizard.cycles
                )
                if valid and wizard.cycles > 0
                else False
            )

    def action_confirm(self):
        self.ensure_one()
        if not 1 <= self.interval <= MAX_INTERVAL:
            raise UserError(
                self.env._(
                    "Repeat every 1 to %s days, weeks, months or years.", MAX_INTERVAL
                )
            )
        if not 0 <= self.cycles <= MAX_CYCLES:
            raise UserError(
                self.env._("Make 0 (without end) to %s invoices.", MAX_CYCLES)
            )
        recurrence = Recurrence(
            self.interval, self.unit, self.cycles, custom=self.unit != "month"
        )
        self.move_id._crm_set_schedule(recurrence, self.date_start or None)
        return self.move_id.action_crm_open_schedule()
