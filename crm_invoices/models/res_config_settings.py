from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_api_repost = fields.Boolean(related="company_id.crm_api_repost", readonly=False)
    crm_webhook_allow_private = fields.Boolean(
        string="Webhooks on the Company's Network",
        config_parameter="crm_invoices.webhook_allow_private",
    )
    crm_webhook_log_days = fields.Integer(
        string="Webhook Log (Days)",
        config_parameter="crm_invoices.webhook_log_days",
        default=30,
    )
    crm_reminder_grouping = fields.Selection(
        related="company_id.crm_reminder_grouping", readonly=False
    )
    crm_late_interest = fields.Boolean(
        related="company_id.crm_late_interest", readonly=False
    )
    crm_late_interest_invoicing = fields.Selection(
        related="company_id.crm_late_interest_invoicing", readonly=False
    )
    crm_late_interest_account_id = fields.Many2one(
        related="company_id.crm_late_interest_account_id", readonly=False
    )
    crm_late_interest_since = fields.Date(
        related="company_id.crm_late_interest_since", readonly=False
    )
    crm_late_compensation = fields.Boolean(
        related="company_id.crm_late_compensation", readonly=False
    )
    crm_api_totals = fields.Selection(
        related="company_id.crm_api_totals", readonly=False
    )
    crm_api_date_format = fields.Selection(
        related="company_id.crm_api_date_format", readonly=False
    )
