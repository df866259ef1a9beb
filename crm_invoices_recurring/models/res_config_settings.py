from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_recurring_invoice_state = fields.Selection(
        related="company_id.crm_recurring_invoice_state", readonly=False
    )
    crm_recurring_price = fields.Selection(
        related="company_id.crm_recurring_price", readonly=False
    )
    crm_recurring_autopay = fields.Boolean(
        related="company_id.crm_recurring_autopay", readonly=False
    )
