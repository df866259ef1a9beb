from odoo import fields, models


class AccountTax(models.Model):
    _inherit = "account.tax"

    crm_efactura_exemption_reason = fields.Char(
        string="e-Factura Exemption Reason",
        translate=True,
        help="Why no VAT is charged (BT-120), for an exempt tax whose Tax "
        "Exemption Reason Code does not say it (at most 100 characters).",
    )
