from odoo import fields, models
from odoo.tools import SQL

#: A reminder "worked" when the invoice was paid in full within this many days.
PAID_WITHIN_DAYS = 7


class CrmInvoicesReminderReport(models.Model):
    """One row per reminder sent, with whether the invoice got paid soon after."""

    _name = "crm.invoices.reminder.report"
    _inherit = "crm.invoices.ratio.mixin"
    _description = "Payment Reminder Statistics"
    _auto = False
    _rec_name = "level_id"
    _order = "date desc"

    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    level_id = fields.Many2one(
        "crm.invoices.reminder.level", string="Level", readonly=True
    )
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    invoice_user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    date = fields.Date(string="Sent On", readonly=True)
    sent_by = fields.Selection(
        [("job", "Scheduled job"), ("user", "User")], readonly=True
    )
    reminder_count = fields.Integer(string="Reminders Sent", readonly=True)
    paid_within_count = fields.Integer(
        string="Paid Within 7 Days",
        readonly=True,
        help="Invoices paid in full within 7 days after the reminder.",
    )
    paid_within_rate = fields.Float(
        string="Paid Within 7 Days (%)", readonly=True, digits=(16, 1)
    )

    _ratio_measures = {
        "paid_within_rate": ("paid_within_count", "reminder_count", 100),
    }

    _depends = {
        "crm.invoices.reminder": [
            "move_id",
            "level_id",
            "company_id",
            "date",
            "sent_by",
        ],
        "account.move": ["commercial_partner_id", "invoice_user_id", "crm_date_paid"],
    }

    @property
    def _table_query(self):
        paid_within = SQL(
            "(move.crm_date_paid IS NOT NULL "
            "AND move.crm_date_paid >= reminder.date::date "
            "AND move.crm_date_paid <= reminder.date::date + %s)::int",
            PAID_WITHIN_DAYS,
        )
        return SQL(
            """
            SELECT reminder.id AS id,
                   reminder.move_id,
                   reminder.level_id,
                   reminder.company_id,
                   move.commercial_partner_id AS partner_id,
                   move.invoice_user_id,
                   reminder.date::date AS date,
                   reminder.sent_by,
                   1 AS reminder_count,
                   %(paid_within)s AS paid_within_count,
                   100 * %(paid_within)s AS paid_within_rate
              FROM crm_invoices_reminder reminder
              JOIN account_move move ON move.id = reminder.move_id
            """,
            paid_within=paid_within,
        )
