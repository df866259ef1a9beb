from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError


class CrmInvoicesReferenceRate(models.Model):
    """The National Bank of Romania's reference rate, per half-year: the one in
    force on 1 January or 1 July, applied for those six months to the legal
    penalty interest between businesses (Law 72/2013: this rate plus 8
    percentage points).  The shipped values can be edited; a new half-year
    is added by hand when the bank publishes it."""

    _name = "crm.invoices.reference.rate"
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
        return super().create(vals_list)

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

    @api.model
    def _crm_table(self):
        """``{(year, half): rate}`` as :mod:`..lib.late_interest` reads it."""
        return {
            (row["year"], int(row["half"])): row["rate"]
            for row in self.sudo().search_read([], ["year", "half", "rate"])
        }
