from odoo import api, fields, models

from ..lib import perfex


class ResCompany(models.Model):
    _inherit = "res.company"

    crm_api_repost = fields.Boolean(
        string="API May Edit Posted Invoices",
        default=True,
        help="A REST API change to a posted invoice without payment resets it to "
        "draft, applies the change and posts it again under the same number (with "
        "a note in the chatter). Off: such a change is refused (409).",
    )
    crm_api_totals = fields.Selection(
        [
            ("warn", "Keep Odoo's totals and warn"),
            ("refuse", "Refuse the request"),
        ],
        string="API Totals That Differ",
        default="warn",
        required=True,
        help="When the subtotal or total a REST API client sends differs from what "
        "Odoo computes: keep Odoo's (the answer carries them and a warning, as "
        "Perfex clients expect the request to succeed), or refuse it (422).",
    )
    crm_api_date_format = fields.Selection(
        [(code, code) for code in perfex.DATE_FORMATS],
        string="API Date Format",
        default="Y-m-d",
        required=True,
        help="The date format of your Perfex CRM: the REST API also accepts dates "
        "written this way (ISO dates YYYY-MM-DD are always accepted).",
    )

    crm_reminder_grouping = fields.Selection(
        [
            ("invoice", "One email per invoice"),
            ("customer", "One email per customer"),
        ],
        string="Payment Reminders",
        default="invoice",
        required=True,
        help="Per customer: one email a run lists every overdue invoice of the "
        "customer due a reminder (number, due date, days late, amount left, level "
        "reached) with the total; each invoice's level is still recorded.",
    )
    crm_late_interest = fields.Boolean(
        string="Late-Payment Interest",
        help="Compute the legal penalty interest on invoices paid late (Law "
        "72/2013: the BNR reference rate of each half-year plus 8 percentage "
        "points, per day of delay, on the amount left to pay).",
    )
    crm_late_interest_invoicing = fields.Selection(
        [
            ("none", "Shown on reminders only"),
            ("draft", "Draft interest invoices, for review"),
            ("posted", "Posted interest invoices"),
        ],
        string="Interest Invoices",
        default="draft",
        required=True,
        help="Once a month is over, one invoice per customer for the interest "
        "of that month on its late invoices (and the compensations), never "
        "twice for a day.",
    )
    crm_late_interest_account_id = fields.Many2one(
        "account.account",
        string="Interest Income Account",
        check_company=True,
        help="The income account of interest invoices' lines (in Romania 7581, "
        "income from damages, fines and penalties). Empty: the sales journal's "
        "default account.",
    )
    crm_late_interest_since = fields.Date(
        string="Invoice Interest From",
        help="Interest is invoiced for the days from this date on. Set to the "
        "first day of the month when the monthly job first runs.",
    )
    crm_late_compensation = fields.Boolean(
        string="Recovery Compensation",
        help="Also claim, once per late invoice, the fixed compensation for "
        "recovery costs: the equivalent of 40 euro (Law 72/2013, art. 13).",
    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        self.env["crm.invoices.reminder.level"]._create_default_levels(companies)
        return companies
