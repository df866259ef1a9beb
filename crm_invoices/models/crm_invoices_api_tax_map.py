from odoo import fields, models


class CrmInvoicesApiTaxMap(models.Model):
    """A Perfex tax name and the Odoo sale tax it stands for.

    The REST API matches ``NAME|RATE`` by rate first (the name telling apart
    taxes of one rate); a name listed here is used when no sale tax of the
    company has that rate, or to choose among several.
    """

    _name = "crm.invoices.api.tax.map"
    _description = "Perfex Tax Name"
    _order = "company_id, name"
    _check_company_auto = True

    name = fields.Char(string="Perfex Tax Name", required=True)
    tax_id = fields.Many2one(
        "account.tax",
        string="Odoo Tax",
        required=True,
        ondelete="cascade",
        check_company=True,
        domain=[("type_tax_use", "=", "sale")],
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )

    _sql_constraints = [
        (
            "name_company_uniq",
            "UNIQUE(company_id, name)",
            "This Perfex tax name is mapped already in this company.",
        ),
    ]
