from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_bank_fee_account_id = fields.Many2one(
        related="company_id.crm_bank_fee_account_id", readonly=False
    )
    crm_bank_fee_limit = fields.Monetary(
        related="company_id.crm_bank_fee_limit", readonly=False
    )
