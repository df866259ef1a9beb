from odoo import api, fields, models

#: The shipped ladder (+7, +14, +30), defined in data for the main company.
DEFAULT_LEVELS = (
    "crm_invoices.reminder_level_1",
    "crm_invoices.reminder_level_2",
    "crm_invoices.reminder_level_3",
)


class CrmInvoicesReminderLevel(models.Model):
    """A step of the payment reminder ladder: sent N days after the due date."""

    _name = "crm.invoices.reminder.level"
    _description = "Payment Reminder Level"
    _order = "company_id, delay_days, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    delay_days = fields.Integer(
        string="Days After Due Date",
        required=True,
        default=7,
        help="The reminder goes out once the invoice is this many days overdue.",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        required=True,
        domain=[("model", "=", "account.move")],
        ondelete="restrict",
    )
    active = fields.Boolean(default=True)
    reminder_count = fields.Integer(
        string="Reminders Sent", compute="_compute_reminder_count"
    )

    _sql_constraints = [
        (
            "delay_company_uniq",
            "UNIQUE(company_id, delay_days)",
            "Two reminder levels of the same company cannot go out the same number "
            "of days after the due date: give each level its own delay.",
        ),
        (
            "delay_positive",
            "CHECK(delay_days > 0)",
            "A reminder goes out at least one day after the due date.",
        ),
    ]

    def _compute_reminder_count(self):
        counts = dict(
            self.env["crm.invoices.reminder"]._read_group(
                [("level_id", "in", self.ids)], ["level_id"], ["__count"]
            )
        )
        for level in self:
            level.reminder_count = counts.get(level, 0)

    @api.model
    def _create_default_levels(self, companies=None):
        """Give every company without levels the shipped ladder.

        The levels are copies of the main company's shipped ones (their names
        keep their translations).
        """
        companies = companies or self.env["res.company"].search([])
        with_levels = set(
            self.with_context(active_test=False)
            .search([("company_id", "in", companies.ids)])
            .company_id.ids
        )
        shipped = self.browse()
        for xmlid in DEFAULT_LEVELS:
            shipped |= self.env.ref(xmlid, raise_if_not_found=False) or self.browse()
        created = self.browse()
        for company in companies.filtered(lambda c: c.id not in with_levels):
            for level in shipped.sudo():
                created |= level.copy({"company_id": company.id})
        return created
