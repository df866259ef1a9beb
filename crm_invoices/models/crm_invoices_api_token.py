import time

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..lib import api_token

SCOPES = ("read", "create", "update", "delete")


class CrmInvoicesApiToken(models.Model):
    """A token of the invoices REST API; it acts as its user.

    Only an HMAC digest of the token is stored: the value is shown once, when
    it is generated.  A revoked or expired token stops working at once.
    """

    _name = "crm.invoices.api.token"
    _description = "Invoices API Token"
    _order = "create_date desc, id desc"

    name = fields.Char(required=True)
    user_id = fields.Many2one(
        "res.users",
        string="Acts As",
        required=True,
        ondelete="cascade",
        domain=[("share", "=", False)],
        help="Every call runs with this user's access rights, record rules and "
        "companies.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    scope_read = fields.Boolean(string="Read", default=True)
    scope_create = fields.Boolean(string="Create")
    scope_update = fields.Boolean(string="Update")
    scope_delete = fields.Boolean(string="Delete")
    scopes = fields.Char(compute="_compute_scopes")
    expiry_date = fields.Datetime(
        string="Expires On", help="Leave empty for a token that does not expire."
    )
    rate_limit = fields.Integer(
        string="Requests per Minute",
        default=120,
        help="Requests allowed per minute; 0 means no limit.",
    )
    token_hash = fields.Char(
        readonly=True, copy=False, index=True, groups="base.group_system"
    )
    token_hint = fields.Char(string="Token", readonly=True, copy=False)
    revoked = fields.Boolean(readonly=True, copy=False)
    revoked_date = fields.Datetime(string="Revoked On", readonly=True, copy=False)
    last_used = fields.Datetime(string="Last Used", readonly=True, copy=False)
    request_count = fields.Integer(string="Requests", readonly=True, copy=False)
    rate_window_start = fields.Float(readonly=True, copy=False)
    rate_window_count = fields.Integer(readonly=True, copy=False)
    state = fields.Selection(
        [
            ("draft", "Not generated"),
            ("active", "Active"),
            ("expired", "Expired"),
            ("revoked", "Revoked"),
        ],
        compute="_compute_state",
        search="_search_state",
    )

    _sql_constraints = [
        ("token_hash_uniq", "UNIQUE(token_hash)", "This token exists already."),
        (
            "rate_limit_positive",
            "CHECK(rate_limit >= 0)",
            "The rate limit cannot be negative.",
        ),
    ]

    @api.depends("scope_read", "scope_create", "scope_update", "scope_delete")
    def _compute_scopes(self):
        for token in self:
            token.scopes = ", ".join(s for s in SCOPES if token[f"scope_{s}"])

    @api.depends("token_hint", "revoked", "expiry_date")
    def _compute_state(self):
        now = fields.Datetime.now()
        for token in self:
            if token.revoked:
                token.state = "revoked"
            elif not token.token_hint:
                token.state = "draft"
            elif token.expiry_date and token.expiry_date <= now:
                token.state = "expired"
            else:
                token.state = "active"

    def _search_state(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, str):
            raise UserError(self.env._("Unsupported search on the token state."))
        now = fields.Datetime.now()
        domains = {
            "revoked": [("revoked", "=", True)],
            "draft": [("revoked", "=", False), ("token_hint", "=", False)],
            "expired": [
                ("revoked", "=", False),
                ("token_hint", "!=", False),
                ("expiry_date", "<=", now),
            ],
            "active": [
                ("revoked", "=", False),
                ("token_hint", "!=", False),
                "|",
                ("expiry_date", "=", False),
                ("expiry_date", ">", now),
            ],
        }
        domain = domains.get(value, [("id", "=", 0)])
        return domain if operator == "=" else ["!", *domain]

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_generate(self):
        """Generate the token value, store its digest, show it once."""
        self.ensure_one()
        if self.token_hint:
            raise UserError(
                self.env._(
                    "The token of %(name)s was generated already and cannot be shown "
                    "again: revoke it and create a new one.",
                    name=self.name,
                )
            )
        value = api_token.generate_token()
        self.sudo().write(
            {
                "token_hash": api_token.token_digest(value, self._crm_secret()),
                "token_hint": api_token.token_hint(value),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.invoices.api.token.show",
            "name": self.env._("API Token Ready"),
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_token": value, "default_token_name": self.name},
        }

    def action_revoke(self):
        self.filtered(lambda t: not t.revoked).write(
            {"revoked": True, "revoked_date": fields.Datetime.now()}
        )
        return True

    # ------------------------------------------------------------------
    # Authentication (called by ir.http for every API request)
    # ------------------------------------------------------------------

    @api.model
    def _crm_secret(self):
        return self.env["ir.config_parameter"].sudo().get_param("database.secret")

    @api.model
    def _crm_authenticate(self, value):
        """The active token of ``value``, or ``None`` with the reason.

        :return: ``(token, None)`` or ``(empty recordset, reason)``
        """
        digest = api_token.token_digest(value, self._crm_secret())
        token = self.sudo().search([("token_hash", "=", digest)], limit=1)
        if not token or not api_token.same_digest(token.token_hash, digest):
            return self.browse(), self.env._("Invalid token")
        if token.revoked:
            return self.browse(), self.env._("Token revoked")
        if token.expiry_date and token.expiry_date <= fields.Datetime.now():
            return self.browse(), self.env._("Token expired")
        if not token.user_id.active:
            return self.browse(), self.env._("The token's user is archived")
        return token, None

    def has_scope(self, scope):
        self.ensure_one()
        return scope in SCOPES and bool(self[f"scope_{scope}"])

    def _crm_count_request(self):
        """Count this request and apply the rate limit, in its own transaction.

        The usage counters are bookkeeping: they are kept even when the request
        itself fails, and they must not hold a lock on the token while it runs.
        :return: ``(allowed, retry_after_seconds)``
        """
        self.ensure_one()
        with self.env.registry.cursor() as cr:
            cr.execute(
                "SELECT rate_window_start, rate_window_count, rate_limit "
                "FROM crm_invoices_api_token WHERE id = %s FOR UPDATE",
                [self.id],
            )
            start, count, limit = cr.fetchone()
            start, count, allowed, retry_after = api_token.fixed_window(
                time.time(), start or None, count or 0, limit or 0
            )
            cr.execute(
                "UPDATE crm_invoices_api_token SET rate_window_start = %s, "
                "rate_window_count = %s, "
                "request_count = COALESCE(request_count, 0) + 1, "
                "last_used = (now() AT TIME ZONE 'UTC') WHERE id = %s",
                [start, count, self.id],
            )
        self.invalidate_recordset(
            ["rate_window_start", "rate_window_count", "request_count", "last_used"]
        )
        return allowed, retry_after
