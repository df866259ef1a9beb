from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    crm_paylink_partial = fields.Boolean(
        string="Partial Payments Through Pay Links",
        help="Customers may pay part of the amount due through an invoice's pay "
        "link (never more than what is due).",
    )
    crm_paylink_min_amount = fields.Float(
        string="Smallest Partial Payment",
        help="In the invoice's currency; 0: any amount.",
    )
    crm_paylink_validity_days = fields.Integer(
        string="Pay Links Expire After (Days)",
        help="0: a pay link works as long as the invoice is open. An expired link "
        "offers the customer to email them a fresh one.",
    )
