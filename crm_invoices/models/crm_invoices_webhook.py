from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, ValidationError

from ..lib import webhook_client, webhook_delivery, webhook_events, webhook_sign

#: The longest a receiver may take to answer (seconds): a slow one holds a
#: delivery slot that long.
MAX_TIMEOUT = 30
#: What the deliveries write, nobody else.
DELIVERY_FIELDS = frozenset(
    {
        "lease_until",
        "success_count",
        "failure_count",
        "failure_streak",
        "last_triggered",
        "failing_since",
    }
)
#: Headers a webhook may not set: the delivery's own.
RESERVED_HEADERS = frozenset(
    name.lower()
    for name in (
        "Content-Type",
        "Content-Length",
        "Host",
        "User-Agent",
        webhook_sign.PERFEX_HEADER,
        webhook_sign.N8N_HEADER,
        "X-Perfex-Event",
        "X-Perfex-Event-Id",
    )
)


class CrmInvoicesWebhook(models.Model):
    """An external system told of what happens to invoices: a target URL,
    the events it subscribes to, and a secret that signs each delivery.

    A webhook sends only what its user may read (the deliveries are made in
    that user's environment: companies, record rules), in its company.  Its
    secret is readable by administrators only; the person who creates it
    sees it once.  Deliveries are queued with the change that raises them
    and sent soon after the commit (``crm.invoices.webhook.delivery``).
    """

    _name = "crm.invoices.webhook"
    _inherit = ["mail.thread"]
    _description = "Webhook"
    _order = "id desc"

    name = fields.Char(required=True, tracking=True)
    url = fields.Char(
        string="Target URL",
        required=True,
        tracking=True,
        help="Where the events are posted (https recommended). Private and "
        "loopback addresses are refused unless the settings allow receivers on "
        "the company's own network; link-local addresses always are.",
    )
    events = fields.Char(
        required=True,
        tracking=True,
        help="Comma separated event names (invoice.paid), a group (invoice.*) or "
        "* for every event.",
    )
    active = fields.Boolean(default=True, tracking=True)
    user_id = fields.Many2one(
        "res.users",
        string="Sends What This User Sees",
        required=True,
        default=lambda self: self.env.user,
        ondelete="cascade",
        domain=[("share", "=", False)],
        help="The deliveries are made with this user's rights: a webhook never "
        "sends what its user may not read.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    token_id = fields.Many2one(
        "crm.invoices.api.token",
        string="Registered By Token",
        readonly=True,
        ondelete="set null",
    )
    secret = fields.Char(copy=False, groups="base.group_system")
    has_secret = fields.Boolean(compute="_compute_has_secret")
    headers = fields.Json(
        string="Extra Headers", help="Headers added to every delivery (a JSON object)."
    )
    timeout = fields.Integer(
        default=10,
        help=f"Seconds a delivery waits for the receiver's answer (1-{MAX_TIMEOUT}).",
    )
    retry_count = fields.Integer(
        default=3,
        help="Kept for Perfex clients. A failed delivery is tried again with growing "
        "delays until it succeeds; a webhook failing for a day is switched off.",
    )
    # what the delivery lanes keep, on a row of their own (see the model)
    delivery_state_ids = fields.One2many(
        "crm.invoices.webhook.state", "webhook_id", string="Delivery State"
    )
    success_count = fields.Integer(related="delivery_state_ids.success_count")
    failure_count = fields.Integer(related="delivery_state_ids.failure_count")
    last_triggered = fields.Datetime(related="delivery_state_ids.last_triggered")
    failing_since = fields.Datetime(
        related="delivery_state_ids.failing_since",
        help="Set while the receiver fails: a day of it switches it off.",
    )
    failure_streak = fields.Integer(related="delivery_state_ids.failure_streak")
    lease_until = fields.Datetime(related="delivery_state_ids.lease_until")
    delivery_ids = fields.One2many(
        "crm.invoices.webhook.delivery", "webhook_id", string="Deliveries"
    )
    log_ids = fields.One2many("crm.invoices.webhook.log", "webhook_id", string="Log")
    catalogue_html = fields.Html(
        string="Catalogue", compute="_compute_catalogue_html", sanitize=False
    )

    def _compute_has_secret(self):
        secrets = {hook.id: bool(hook.secret) for hook in self.sudo()}
        for hook in self:
            hook.has_secret = secrets.get(hook.id, False)

    def _compute_catalogue_html(self):
        catalogue = self.env["crm.invoices.webhook.event"]._crm_catalogue()
        rows = "".join(
            f"<tr><td><code>{event}</code></td><td>{tools.html_escape(label)}</td></tr>"
            for group in catalogue.values()
            for event, label in group.items()
        )
        html = f'<table class="table table-sm">{rows}</table>'
        for hook in self:
            hook.catalogue_html = html

    # ------------------------------------------------------------------
    # what may be written
    # ------------------------------------------------------------------

    @api.model
    def _crm_allow_private(self):
        """Whether receivers on the company's own network (private and
        loopback addresses) are allowed (Settings)."""
        return (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("crm_invoices.webhook_allow_private", "False")
            == "True"
        )

    @api.model
    def _crm_clean(self, vals):
        """``vals`` checked and normalized; a :class:`ValidationError` says
        what is wrong, in the field's words."""
        vals = dict(vals)
        if "events" in vals:
            catalogue = self.env["crm.invoices.webhook.event"]._crm_catalogue()
            names = webhook_events.parse(vals["events"], catalogue)
            if not names:
                raise ValidationError(self.env._('Name at least one event (or "*").'))
            unknown = webhook_events.unknown(names, catalogue)
            if unknown:
                raise ValidationError(
                    self.env._(
                        "Unknown events: %(events)s. See GET /api/webhooks/events.",
                        events=", ".join(unknown),
                    )
                )
            vals["events"] = ",".join(names)
        if vals.get("url"):
            try:
                webhook_client.check_url(vals["url"], self._crm_allow_private())
            except webhook_client.Refused as refused:
                raise ValidationError(
                    self.env._("URL refused: %(why)s", why=refused)
                ) from refused
            vals["url"] = vals["url"].strip()
        if "timeout" in vals:
            vals["timeout"] = max(1, min(MAX_TIMEOUT, int(vals["timeout"] or 10)))
        if "retry_count" in vals:
            vals["retry_count"] = max(0, min(10, int(vals["retry_count"] or 0)))
        if vals.get("headers"):
            headers = vals["headers"]
            if not isinstance(headers, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in headers.items()
            ):
                raise ValidationError(
                    self.env._("Headers must be a JSON object of texts.")
                )
            reserved = sorted(k for k in headers if k.lower() in RESERVED_HEADERS)
            if reserved:
                raise ValidationError(
                    self.env._(
                        "%(headers)s are set by the delivery itself.",
                        headers=", ".join(reserved),
                    )
                )
        return vals

    def _crm_check_owner(self):
        """Who may act as whom: a webhook sends what its user may read, so
        only an administrator gives it another user than himself, or changes
        (where it sends, its secret...) another user's."""
        if self.env.su or self.env.user.has_group("base.group_system"):
            return
        for hook in self.sudo():
            if hook.user_id != self.env.user:
                raise AccessError(
                    self.env._(
                        "A webhook sends what its user may read: you may only "
                        "create or change webhooks that send what you see."
                    )
                )
            if hook.company_id not in self.env.user.company_ids:
                raise AccessError(
                    self.env._(
                        "You do not work in %(company)s.", company=hook.company_id.name
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [self._crm_clean(vals) for vals in vals_list]
        for vals in vals_list:
            if not vals.get("secret"):
                vals["secret"] = webhook_sign.new_secret()
        hooks = super().create(vals_list)
        hooks._crm_check_owner()
        self.env["crm.invoices.webhook.state"].sudo().create(
            [{"webhook_id": hook.id} for hook in hooks]
        )
        self.env.registry.clear_cache()  # the subscriptions every change reads
        return hooks

    def write(self, vals):
        if DELIVERY_FIELDS & set(vals) and not self.env.su:
            raise AccessError(self.env._("Delivery counters are written by Odoo only."))
        vals = self._crm_clean(vals)
        self._crm_check_owner()
        result = super().write(vals)
        if vals.get("active"):
            self._crm_switched_on()
        if {"user_id", "company_id"} & set(vals):
            self._crm_check_owner()  # and who it is now
        if {"active", "events", "company_id", "url"} & set(vals):
            self.env.registry.clear_cache()
        return result

    def _crm_switched_on(self):
        """Switched on (again): a fresh day, its queued events due at once."""
        self.sudo().delivery_state_ids.write(
            {"failing_since": False, "failure_streak": 0, "lease_until": False}
        )
        self.env["crm.invoices.webhook.delivery"].sudo().search(
            [("webhook_id", "in", self.ids), ("state", "=", "pending")]
        ).write({"next_attempt": fields.Datetime.now()})
        self.env["crm.invoices.webhook.event"]._crm_wake_lanes()

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result

    def _crm_count(self, delivered, failed, now):
        """What a batch did: the counters, the failing streak, and the
        webhook switched off (its owner told) after a day of failures."""
        self.ensure_one()
        state = self.sudo().delivery_state_ids
        values = {
            "success_count": state.success_count + delivered,
            "failure_count": state.failure_count + failed,
            "last_triggered": now,
        }
        if failed:
            values["failure_streak"] = state.failure_streak + 1
            values["failing_since"] = state.failing_since or now
        elif delivered:
            values.update(failure_streak=0, failing_since=False)
        state.write(values)
        if failed and webhook_delivery.switch_off(state.failing_since, now):
            self.write({"active": False})
            self.message_post(
                body=self.env._(
                    "Switched off: %(url)s has failed every delivery since "
                    "%(since)s. Its events stay queued: switch the webhook on "
                    "again once the receiver answers, and they are sent in order.",
                    url=self.url,
                    since=fields.Datetime.to_string(state.failing_since),
                ),
                partner_ids=self.user_id.partner_id.ids,
                message_type="notification",
                subtype_xmlid="mail.mt_comment",
            )

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------

    def action_new_secret(self):
        """A new signing secret, shown once."""
        self.ensure_one()
        self.check_access("write")
        self._crm_check_owner()
        secret = webhook_sign.new_secret()
        self.sudo().secret = secret
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Webhook Secret"),
            "res_model": "crm.invoices.webhook.secret",
            "view_mode": "form",
            "target": "new",
            "context": {"default_secret": secret},
        }

    def action_send_test(self):
        """Queue a ``webhook.test`` event for this webhook alone, delivered
        at once (what the receiver gets: a signed test body)."""
        self.ensure_one()
        self.check_access("write")
        self._crm_check_owner()
        self.env["crm.invoices.webhook.event"]._crm_queue_test(self)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "message": self.env._(
                    "A test event is on its way: its delivery appears below."
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def toggle_active(self):
        self.check_access("write")
        self._crm_check_owner()
        return super().toggle_active()
