from odoo import fields, models


class CrmInvoicesWebhookState(models.Model):
    """What the delivery lanes keep of a webhook: its lease, its counters,
    its failing streak.

    A row of its own, apart from the webhook's: a lane writes it after every
    batch, while every transaction that records an event inserts deliveries
    whose foreign key reads the webhook's row.  Were the lanes' writes on
    that row, PostgreSQL would refuse such a transaction's commit
    (``could not serialize access due to concurrent update``) whenever a lane
    wrote the webhook since it began: ``tests/bench/bench_webhooks.py``
    met it at once.
    """

    _name = "crm.invoices.webhook.state"
    _description = "Webhook Delivery State"
    _log_access = False

    webhook_id = fields.Many2one(
        "crm.invoices.webhook", required=True, ondelete="cascade", index=True
    )
    lease_until = fields.Datetime(readonly=True)
    success_count = fields.Integer(readonly=True)
    failure_count = fields.Integer(readonly=True)
    last_triggered = fields.Datetime(readonly=True)
    failing_since = fields.Datetime(readonly=True)
    failure_streak = fields.Integer(readonly=True)

    _sql_constraints = [
        ("webhook_uniq", "UNIQUE(webhook_id)", "A webhook has one delivery state."),
    ]
