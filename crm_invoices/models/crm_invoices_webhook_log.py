from datetime import timedelta

from odoo import api, fields, models

#: Days the delivery log is kept when the settings say nothing.
DEFAULT_DAYS = 30


class CrmInvoicesWebhookLog(models.Model):
    """One attempt to deliver an event: what was asked, what the receiver
    answered (its status, the start of its answer) or why it did not, and
    how long it took.  Kept for the days the settings decide."""

    _name = "crm.invoices.webhook.log"
    _description = "Webhook Delivery Attempt"
    _order = "id desc"
    _log_access = False

    webhook_id = fields.Many2one(
        "crm.invoices.webhook", required=True, index=True, ondelete="cascade"
    )
    delivery_id = fields.Many2one(
        "crm.invoices.webhook.delivery", index=True, ondelete="cascade"
    )
    event = fields.Char(required=True)
    attempt = fields.Integer()
    status = fields.Selection([("success", "Success"), ("failed", "Failed")])
    status_code = fields.Integer(string="HTTP Status")
    answer = fields.Char(help="The start of the receiver's answer.")
    error = fields.Char()
    seconds = fields.Float(digits=(16, 3))
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)

    @api.model
    def _crm_horizon(self):
        """The oldest moment the log keeps (Settings: log retention)."""
        days = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("crm_invoices.webhook_log_days", str(DEFAULT_DAYS))
        )
        try:
            days = max(int(days), 1)
        except ValueError:
            days = DEFAULT_DAYS
        return fields.Datetime.now() - timedelta(days=days)

    @api.autovacuum
    def _gc_old_attempts(self):
        """Attempts, and deliveries done, older than the retention."""
        horizon = self._crm_horizon()
        self.sudo().search([("date", "<", horizon)]).unlink()
        self.env["crm.invoices.webhook.delivery"].sudo().search(
            [("state", "!=", "pending"), ("write_date", "<", horizon)]
        ).unlink()
