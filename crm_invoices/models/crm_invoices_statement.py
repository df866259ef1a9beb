from odoo import api, fields, models


class CrmInvoicesStatement(models.Model):
    """One statement sent to a customer: their invoices due a reminder, in
    one email (companies that remind per customer).

    The email is recorded here, not on the customer's contact: a contact's
    messages are read by every employee, while a statement -- invoice
    numbers, amounts, and the bearer link that pays them -- is read only by
    those who may see the company's customer invoices (AR and billing
    users, their companies).  A customer's reply lands here too.
    """

    _name = "crm.invoices.statement"
    _description = "Customer Statement Sent"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _rec_name = "partner_id"
    # who reads a statement may log a note on it (a call, a promise to pay)
    _mail_post_access = "read"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True, ondelete="cascade"
    )
    date = fields.Datetime(
        string="Sent On", required=True, default=fields.Datetime.now, readonly=True
    )
    reminder_ids = fields.One2many(
        "crm.invoices.reminder", "statement_id", string="Reminders", readonly=True
    )
    move_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        compute="_compute_move_ids",
        help="The invoices the statement listed.",
    )
    invoice_count = fields.Integer(
        string="Number of Invoices", compute="_compute_move_ids"
    )
    email_to = fields.Char(string="Sent To", readonly=True)
    interest_missing = fields.Char(
        string="Late Interest Not Computed",
        compute="_compute_interest_missing",
        help="Why the statement shows no late-payment interest on some of its "
        "late invoices: a half-year without a BNR reference rate.",
    )

    @api.depends("reminder_ids.move_id")
    def _compute_move_ids(self):
        for statement in self:
            statement.move_ids = statement.reminder_ids.move_id
            statement.invoice_count = len(statement.move_ids)

    def _compute_interest_missing(self):
        for statement in self:
            notes = statement.move_ids.mapped("crm_late_interest_missing")
            statement.interest_missing = notes[0] if notes else False

    @api.depends("partner_id", "date")
    def _compute_display_name(self):
        for statement in self:
            day = (
                fields.Date.to_string(
                    fields.Datetime.context_timestamp(statement, statement.date)
                )
                if statement.date
                else ""
            )
            statement.display_name = " - ".join(
                part for part in (statement.partner_id.name, day) if part
            )

    def action_view_invoices(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_invoices.account_move_action"
        )
        action["domain"] = [("id", "in", self.move_ids.ids)]
        action["context"] = {"create": False}
        return action
