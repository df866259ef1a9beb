from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..lib import late_interest


class CrmInvoicesReferenceRate(models.Model):
    """The National Bank of Romania's reference rate, per half-year: the one in
    force on 1 January or 1 July, applied for those six months to the legal
    penalty interest between businesses (Law 72/2013: this rate plus 8
    percentage points).  The shipped values can be edited; a new half-year
    is added by hand when the bank publishes it."""

    _name = "crm.invoices.reference.rate"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "BNR Reference Rate"
    _order = "year desc, half desc"
    _rec_names_search = ["year"]

    year = fields.Integer(required=True)
    half = fields.Selection(
        [("1", "January - June"), ("2", "July - December")],
        string="Half-Year",
        required=True,
    )
    rate = fields.Float(
        string="Reference Rate (%)",
        required=True,
        digits=(5, 2),
        help="The BNR monetary policy rate in force on the first day of the "
        "half-year, percent a year.",
    )

    _sql_constraints = [
        ("year_half_uniq", "UNIQUE(year, half)", "This half-year already has a rate."),
    ]

    @api.depends("year", "half")
    def _compute_display_name(self):
        for rate in self:
            rate.display_name = f"{rate.year} H{rate.half}"

    @api.constrains("year", "rate")
    def _check_values(self):
        for rate in self:
            if not 1990 <= rate.year <= 2999:
                raise ValidationError(self.env._("Enter a year such as 2026."))
            if not 0 <= rate.rate <= 100:
                raise ValidationError(
                    self.env._("A reference rate is a percentage from 0 to 100.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_may_change()
        rates = super().create(vals_list)
        rates._crm_close_requests()
        return rates

    def write(self, vals):
        self._check_may_change()
        return super().write(vals)

    def unlink(self):
        self._check_may_change()
        return super().unlink()

    @api.model
    def _check_may_change(self):
        """The table is the bank's, one for the whole database: a rate
        changes the interest of every company that charges late interest.
        Only someone entitled to change it for all of them changes it: an
        administrator, or an AR manager of every such company (a manager of
        one company may not raise another's interest)."""
        if self.env.su or self.env.user.has_group("base.group_system"):
            return
        user = self.env.user
        charging = (
            self.env["res.company"].sudo().search([("crm_late_interest", "=", True)])
        )
        outside = charging - user.company_ids
        if not user.has_group("crm_invoices.group_crm_invoices_manager") or outside:
            raise AccessError(
                self.env._(
                    "The BNR reference rates serve every company that charges "
                    "late-payment interest (%(companies)s): only an administrator or "
                    "an AR manager of all of them may change them.",
                    companies=", ".join(charging.mapped("name"))
                    or self.env._("none yet"),
                )
            )

    # ------------------------------------------------------------------
    # What is missing, said where people look
    # ------------------------------------------------------------------

    @api.model
    def _crm_charging_companies(self):
        return self.env["res.company"].sudo().search([("crm_late_interest", "=", True)])

    @api.model
    def _crm_missing(self, today=None):
        """The half-years whose rate interest needs by now and the table
        lacks (:func:`late_interest.rates_needed`), when a company charges
        late interest: ``[(year, half)]``."""
        if not self._crm_charging_companies():
            return []
        today = today or fields.Date.context_today(self)
        return late_interest.rates_needed(self._crm_table(), today)

    @api.model
    def crm_rates_notice(self):
        """What the rates list says above the rates: the half-years missing
        (``False`` when none).  Called by the list (JSON-RPC): readers of
        the rates only."""
        self.check_access("read")
        missing = self._crm_missing()
        if not missing:
            return False
        return self.env._(
            "No rate for %(halves)s: the late-payment interest of the days in it "
            "is neither shown nor invoiced until it is entered here (BNR's "
            "monetary policy rate in force on 1 January or 1 July).",
            halves=", ".join(f"{year} H{half}" for year, half in missing),
        )

    @api.model
    def _cron_ask_for_rates(self):
        """Daily: a to-do for the AR managers of the companies that charge
        interest, once per missing half-year, from 15 days before it begins
        (on the latest rate, where the table is); entering the rate marks it
        done."""
        missing = self._crm_missing()
        if not missing:
            return
        latest = self.sudo().search([], limit=1)
        if not latest:
            return
        managers = self.env.ref("crm_invoices.group_crm_invoices_manager").users
        companies = self._crm_charging_companies()
        managers = managers.filtered(
            lambda user: user.active and not user.share and user.company_ids & companies
        )
        todo = self.env.ref("mail.mail_activity_data_todo")
        asked = set(
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("activity_type_id", "=", todo.id),
                ]
            )
            .mapped(lambda activity: (activity.summary, activity.user_id.id))
        )
        for year, half in missing:
            summary = self._crm_request_summary(year, half)
            for user in managers:
                if (summary, user.id) in asked:
                    continue
                latest.sudo().activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=summary,
                    note=self.env._(
                        "Enter BNR's reference rate in force on the first day of "
                        "%(year)s H%(half)s: until then the late-payment interest of "
                        "its days is neither shown nor invoiced.",
                        year=year,
                        half=half,
                    ),
                    user_id=user.id,
                )

    @api.model
    def _crm_request_summary(self, year, half):
        return self.env._(
            "Enter the BNR reference rate of %(year)s H%(half)s", year=year, half=half
        )

    def _crm_close_requests(self):
        """The to-dos asking for these rates are done."""
        summaries = [self._crm_request_summary(r.year, int(r.half)) for r in self]
        requests = (
            self.env["mail.activity"]
            .sudo()
            .search([("res_model", "=", self._name), ("summary", "in", summaries)])
        )
        if requests:
            requests.action_feedback(feedback=self.env._("Rate entered."))

    @api.model
    def _crm_table(self):
        """``{(year, half): rate}`` as :mod:`..lib.late_interest` reads it."""
        return {
            (row["year"], int(row["half"])): row["rate"]
            for row in self.sudo().search_read([], ["year", "half", "rate"])
        }
