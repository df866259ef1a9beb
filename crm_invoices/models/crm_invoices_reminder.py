from odoo import fields, models


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
    currency_id = fields.Many2one(related="move_id.currency_id")
    amount_due = fields.Monetary(
        string="Amount Due",
        currency_field="currency_id",
        readonly=True,
        help="Amount left to pay when the reminder went out.",
    )

    _sql_constraints = [
        (
            "move_level_uniq",
            "UNIQUE(move_id, level_id)",
            "This reminder level was already sent for this invoice.",
        ),
    ]
