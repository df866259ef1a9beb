from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_paylink_partial = fields.Boolean(
        related="company_id.crm_paylink_partial", readonly=False
    )
    crm_paylink_min_amount = fields.Float(
        related="company_id.crm_paylink_min_amount", readonly=False
    )
    crm_paylink_validity_days = fields.Integer(
        related="company_id.crm_paylink_validity_days", readonly=False
    )
