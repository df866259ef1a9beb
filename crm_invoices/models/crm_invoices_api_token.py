import time

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .. import queries
from ..lib import api_token

SCOPES = ("read", "create", "update", "delete", "webhooks")
#: Written by Odoo only (generation, revocation, usage counting), never by a
#: request: not over RPC, not in a form.
MANAGED_FIELDS = frozenset(
    {
        "token_hash",
        "token_hint",
        "revoked",
        "revoked_date",
        "last_used",
        "request_count",
        "rate_window_start",
        "rate_window_count",
    }
)
#: Who and where a token acts: set when it is created, fixed once generated.
IDENTITY_FIELDS = frozenset({"user_id", "company_id", "company_ids"})


class CrmInvoicesApiToken(models.Model):
    """A token of the invoices REST API; it acts as its user.

    Only an HMAC digest of the token is stored: the value is shown once, when
    it is generated.  A revoked or expired token stops working at once, and a
    revoked one for good.  Who a token acts as is a permission, checked here
    on every create and write: a manager issues tokens only for users within
    his own companies and rights.
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
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
        help="The company the requests work in (invoices are created there).",
    )
    company_ids = fields.Many2many(
        "res.company",
        "crm_invoices_api_token_company_rel",
        "token_id",
        "company_id",
        string="Other Companies",
        help="Other companies whose invoices the token may read and change; its "
        "user must belong to them too.",
    )
    scope_read = fields.Boolean(string="Read", default=True)
    scope_create = fields.Boolean(string="Create")
    scope_update = fields.Boolean(string="Update")
    scope_delete = fields.Boolean(string="Delete")
    scope_webhooks = fields.Boolean(
        string="Webhooks",
        help="Register, change and remove webhooks (they send what the token's "
        "user may read).",
    )
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

    @api.depends(
        "scope_read", "scope_create", "scope_update", "scope_delete", "scope_webhooks"
    )
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
    # CRUD: who may issue what
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._crm_check_managed_fields(vals)
        tokens = super().create(vals_list)
        tokens._crm_check_issuer()
        return tokens

    def write(self, vals):
        self._crm_check_managed_fields(vals)
        if not self.env.su:
            if self.filtered("revoked") and set(vals) - {"name"}:
                raise UserError(
                    self.env._(
                        "A revoked token cannot change or be enabled again: "
                        "create a new token."
                    )
                )
            if IDENTITY_FIELDS & set(vals) and self.filtered("token_hint"):
                raise UserError(
                    self.env._(
                        "The user and companies of a generated token cannot change: "
                        "revoke it and create a new token."
                    )
                )
        result = super().write(vals)
        if IDENTITY_FIELDS & set(vals):
            self._crm_check_issuer()
        return result

    @api.model
    def _crm_check_managed_fields(self, vals):
        managed = sorted(MANAGED_FIELDS & set(vals))
        if managed and not self.env.su:
            raise AccessError(
                self.env._(
                    "%(fields)s of an API token are set by Odoo only: use Generate "
                    "Token and Revoke.",
                    fields=", ".join(managed),
                )
            )

    def _crm_check_issuer(self):
        """The current user may issue these tokens: he is a system administrator,
        or each token acts as an internal user with no right and no company the
        issuer lacks, in companies of both."""
        if self.env.su:
            return
        issuer = self.env.user
        is_admin = issuer.has_group("base.group_system")
        for token in self.sudo():
            user = token.user_id
            companies = token.company_id | token.company_ids
            if user.share:
                raise AccessError(
                    self.env._(
                        "An API token acts as an internal user, not a portal one."
                    )
                )
            if not companies <= user.company_ids:
                raise AccessError(
                    self.env._(
                        "%(user)s does not work in %(companies)s.",
                        user=user.name,
                        companies=", ".join(
                            (companies - user.company_ids).mapped("name")
                        ),
                    )
                )
            if is_admin:
                continue
            if user.has_group("base.group_system") or not (
                user.groups_id <= issuer.groups_id
            ):
                raise AccessError(
                    self.env._(
                        "You cannot issue a token acting as %(user)s: that user has "
                        "rights you do not have.",
                        user=user.name,
                    )
                )
            if not user.company_ids <= issuer.company_ids:
                raise AccessError(
                    self.env._(
                        "You cannot issue a token acting as %(user)s: that user works "
                        "in companies you do not.",
                        user=user.name,
                    )
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_generate(self):
        """Generate the token value, store its digest, show it once."""
        self.ensure_one()
        if self.revoked:
            raise UserError(
                self.env._(
                    "Token %(name)s is revoked: create a new token.", name=self.name
                )
            )
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
        """Revoke for good (only Odoo writes ``revoked``: once, to True)."""
        self.check_access("write")
        self.filtered(lambda t: not t.revoked).sudo().write(
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
    def _crm_authenticate(self, value, now=None):
        """Check the token ``value``, count the request and read what the
        request needs (user, companies, scopes), in one statement.

        The counters are bookkeeping: they are updated in a transaction of
        their own, committed at once and without waiting for the disk
        (``synchronous_commit`` off), in READ COMMITTED, so parallel requests of
        one token wait on the row lock for the length of one UPDATE and never
        fail on it.  They count requests that failed afterwards too.
        :return: ``(grant, None)`` with ``grant`` a dict (``token_id``,
            ``user_id``, ``tz`` (the user's time zone), ``company_ids`` (the
            token's company first, those its user still belongs to),
            ``scopes``, ``rate_limit``, ``retry_after``: 0 when the rate
            limit allows the request), or ``(None, reason)``.
        """
        digest = api_token.token_digest(value, self._crm_secret())
        now = time.time() if now is None else now
        row = queries.count_token_request(self.env, digest, now)
        if not row:
            return None, self._crm_refusal(digest)
        (
            token_id,
            stored_digest,
            limit,
            start,
            count,
            user_id,
            company_id,
            *scopes,
            user_active,
            user_tz,
            other_companies,
            user_companies,
        ) = row
        if not api_token.same_digest(stored_digest, digest):
            return None, self.env._("Invalid token")
        if not user_active:
            return None, self.env._("The token's user is archived")
        companies = api_token.token_companies(
            company_id, other_companies, user_companies
        )
        if not companies:
            return None, self.env._("The token's user no longer works in its company")
        return {
            "token_id": token_id,
            "user_id": user_id,
            "tz": user_tz,
            "company_ids": companies,
            "scopes": tuple(
                scope for scope, granted in zip(SCOPES, scopes, strict=True) if granted
            ),
            "rate_limit": limit or 0,
            "retry_after": api_token.retry_after(now, start, count, limit or 0),
        }, None

    @api.model
    def _crm_refusal(self, digest):
        """Why the token of ``digest`` was refused (it was not counted)."""
        token = self.sudo().search([("token_hash", "=", digest)], limit=1)
        if not token:
            return self.env._("Invalid token")
        if token.revoked:
            return self.env._("Token revoked")
        return self.env._("Token expired")
