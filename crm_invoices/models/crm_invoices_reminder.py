from odoo import api, fields, models


class CrmInvoicesReminder(models.Model):
    """One payment reminder sent for one invoice: the audit trail of dunning.

    A level is sent at most once per invoice: the unique constraint is the
    last guard when two senders race past every other check.
    """

    _name = "crm.invoices.reminder"
    _description = "Payment Reminder Sent"
    _order = "date desc, id desc"
    _rec_name = "level_id"

    move_id = fields.Many2one(
        "account.move",
        string="Invoice",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
    )
    level_id = fields.Many2one(
        "crm.invoices.reminder.level",
        string="Level",
        required=True,
        ondelete="restrict",
        index=True,
        readonly=True,
    )
    company_id = fields.Many2one(related="move_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(
        related="move_id.commercial_partner_id", string="Customer", store=True
    )
    date = fields.Datetime(
        string="Sent On", required=True, default=fields.Datetime.now, readonly=True
    )
    email_to = fields.Char(string="Sent To", readonly=True)
    statement_id = fields.Many2one(
        "crm.invoices.statement",
        string="Statement",
        ondelete="set null",
        index="btree_not_null",
        readonly=True,
        help="The customer statement that listed this invoice, when the company "
        "reminds per customer.",
    )
    mail_message_id = fields.Many2one(
        "mail.message", string="Email", ondelete="set null", readonly=True
    )
    sent_by = fields.Selection(
        [("job", "Scheduled job"), ("user", "User")],
        required=True,
        default="user",
        readonly=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Sent By User",
        default=lambda self: self.env.user,
        readonly=True,
    )
    days_overdue = fields.Integer(readonly=True)
    # the amount is a snapshot of the day it was sent: it keeps its currency
    currency_id = fields.Many2one("res.currency", readonly=True)
    amount_due = fields.Monetary(
        string="Amount Due",
        currency_field="currency_id",
        readonly=True,
        help="Amount left to pay when the reminder went out.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        """The amount's currency is the invoice's (read once for the batch,
        when the caller did not give it)."""
        missing = [vals for vals in vals_list if not vals.get("currency_id")]
        if missing:
            moves = self.env["account.move"].browse(
                [vals["move_id"] for vals in missing if vals.get("move_id")]
            )
            currency_of = {move.id: move.currency_id.id for move in moves}
            for vals in missing:
                vals["currency_id"] = currency_of.get(vals.get("move_id"))
        return super().create(vals_list)

    def _crm_webhook_emit(self):
        """``reminder.sent`` for each invoice reminded (its level and days)."""
        details = {
            reminder.move_id.id: {
                "reminder_level": reminder.level_id.name,
                "days_overdue": str(reminder.days_overdue),
                "sent_to": reminder.email_to or None,
                "per_customer": bool(reminder.statement_id),
            }
            for reminder in self
        }
        self.env["crm.invoices.webhook.event"]._crm_emit(
            "reminder.sent", self.move_id, lambda move: details[move.id]
        )

    _sql_constraints = [
        (
            "move_level_uniq",
            "UNIQUE(move_id, level_id)",
            "This reminder level was already sent for this invoice.",
        ),
    ]
