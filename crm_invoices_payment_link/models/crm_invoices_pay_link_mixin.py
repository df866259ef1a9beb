from datetime import timedelta
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import AccessError

from .. import queries
from ..lib import pay_rules, pay_token

#: How long a payment started and not finished holds its invoices.
PAYMENT_HOLD = timedelta(minutes=10)


class CrmInvoicesPayLinkMixin(models.AbstractModel):
    """What every pay link is: a token a visitor holds, a life (revoked,
    expired, paid, closed), counters, and what it pays.

    Only a random salt and the digest of the token are stored: the token is
    an HMAC of the salt under the database secret and the kind's purpose, so
    the server prints the same link again (emails, reminders, PDF, API) and
    finds a link by digest.  One controller serves every kind
    (``/pay/<token>`` for :attr:`_pay_kind` ``""``, ``/pay/<kind>/<token>``
    for the others) through the methods below; a kind of link is a model
    that inherits this one, names its kind and says what it pays
    (:meth:`_pay_invoices`, :meth:`_state_at`, :meth:`_pay_page_values`).
    """

    _name = "crm.invoices.pay.link.mixin"
    _description = "Pay Link (common)"

    #: The kind's path segment after ``/pay/`` ("" for ``/pay/<token>``).
    _pay_kind = None
    #: The HMAC purpose of its tokens: a token of one kind is never another's.
    _pay_purpose = None
    #: The field of ``payment.transaction`` naming the link it came through.
    _pay_transaction_field = None
    #: Its pages' summary template (the invoice, or the invoices).
    _pay_summary_template = None

    salt = fields.Char(required=True, readonly=True, groups="base.group_system")
    token_digest = fields.Char(
        required=True, readonly=True, index=True, groups="base.group_system"
    )
    revoked = fields.Boolean(readonly=True, copy=False)
    expiry_date = fields.Datetime(
        string="Expires On",
        readonly=True,
        help="Empty: the link works as long as something is left to pay.",
    )
    last_opened = fields.Datetime(string="Last Opened", readonly=True)
    attempt_count = fields.Integer(string="Payment Attempts", readonly=True)
    url = fields.Char(string="Pay Link", compute="_compute_url")
    last_attempt_state = fields.Char(
        string="Last Attempt", compute="_compute_last_attempt"
    )
    last_attempt_date = fields.Datetime(
        string="Last Attempt On", compute="_compute_last_attempt"
    )

    _sql_constraints = [
        ("token_digest_uniq", "UNIQUE(token_digest)", "This pay link exists already."),
    ]

    def _compute_last_attempt(self):
        # each kind has its transactions (``transaction_ids``: the inverse of
        # :attr:`_pay_transaction_field` on ``payment.transaction``)
        for link in self:
            last = link.transaction_ids.sorted("id")[-1:]
            link.last_attempt_state = (
                dict(last._fields["state"]._description_selection(self.env)).get(
                    last.state
                )
                if last
                else False
            )
            link.last_attempt_date = last.last_state_change or last.create_date

    def _compute_url(self):
        urls = self._urls()
        for link in self:
            link.url = urls.get(link.id, False)

    # ------------------------------------------------------------------
    # The kinds
    # ------------------------------------------------------------------

    @api.model
    def _pay_model_of(self, kind):
        """The model of the links of ``kind`` (sudo), or ``None``."""
        for name in self.env.registry.descendants([self._name], "_inherit"):
            model = self.env[name]
            if not model._abstract and model._pay_kind == kind:
                return model.sudo()
        return None

    # ------------------------------------------------------------------
    # Tokens
    # ------------------------------------------------------------------

    @api.model
    def _secret(self):
        return self.env["ir.config_parameter"].sudo().get_param("database.secret")

    @api.model
    def _new_token_values(self):
        """The ``salt`` and ``token_digest`` of a new link of this kind."""
        salt = pay_token.new_salt()
        token = pay_token.link_token(self._secret(), salt, self._pay_purpose)
        return {"salt": salt, "token_digest": pay_token.token_digest(token)}

    def _tokens(self):
        """``{link id: its token}`` (printed again from the salts)."""
        secret = self._secret()
        return {
            link.id: pay_token.link_token(secret, link.salt, self._pay_purpose)
            for link in self.sudo()
        }

    def _pay_path(self, token):
        """The path of the page of this kind for ``token``."""
        return f"/pay/{self._pay_kind}/{token}" if self._pay_kind else f"/pay/{token}"

    def _urls(self):
        """``{link id: its URL}`` for the batch."""
        if not self.ids:
            return {}
        base = self.env["account.move"].get_base_url()
        return {
            link_id: base + self._pay_path(token)
            for link_id, token in self._tokens().items()
        }

    @api.model
    def _find(self, token):
        """The link of a visitor's ``token`` (sudo), or an empty recordset."""
        if not pay_token.well_formed(token):
            return self.browse()
        link = (
            self.sudo()
            .with_context(active_test=False)
            .search([("token_digest", "=", pay_token.token_digest(token))], limit=1)
        )
        if not link or not pay_token.same_token(link._tokens()[link.id], token):
            return self.browse()
        return link

    # ------------------------------------------------------------------
    # Life
    # ------------------------------------------------------------------

    def _state_at(self, now):
        """The link's state at ``now`` (``"active"`` when it takes
        payments): each kind decides, with a rule of :mod:`pay_rules`."""
        raise NotImplementedError

    def _takes_payments(self):
        return self._state_at(fields.Datetime.now()) == "active"

    @api.model
    def _check_manage(self, moves):
        """Revoking and issuing links is for Invoices managers, on invoices
        they may write (their companies)."""
        if not self.env.su and not self.env.user.has_group(
            "crm_invoices.group_crm_invoices_manager"
        ):
            raise AccessError(
                self.env._("Only Invoices managers may revoke or issue pay links.")
            )
        moves.check_access("write")

    def action_revoke(self):
        """Invoices managers revoke the links of invoices they may write."""
        self._check_manage(self.sudo()._pay_all_invoices().with_env(self.env))
        self.sudo().write({"revoked": True})
        return True

    def _mark_opened(self):
        """A page view stamps "last opened", nothing else (not the link's
        ``write_date``: a view is not a change)."""
        queries.stamp_opened(self.env, self.sudo(), fields.Datetime.now())

    def _count_attempt(self):
        """One more payment started (the invoices are held: attempts on one
        link are counted one after the other)."""
        for link in self.sudo():
            link.attempt_count += 1

    def _send_fresh_link(self):
        """Email the customer a new link in place of this expired one;
        :return: whether an email went out (kinds that cannot: never)."""
        return False

    # ------------------------------------------------------------------
    # What the link pays
    # ------------------------------------------------------------------

    def _pay_all_invoices(self):
        """Every invoice the link was issued for."""
        raise NotImplementedError

    def _pay_invoices(self):
        """The invoices a payment through the link pays now."""
        raise NotImplementedError

    def _pay_paid_invoices(self):
        """Its invoices that are paid: what its thank-you page lists."""
        self.ensure_one()
        return self._pay_all_invoices().filtered(
            lambda move: move.payment_state in pay_rules.PAID_STATES
        )

    def _pay_partner(self):
        raise NotImplementedError

    def _pay_company(self):
        return (
            self._pay_invoices()[:1].company_id or self._pay_all_invoices().company_id
        )

    def _pay_currency(self):
        return self._pay_invoices()[:1].currency_id

    def _pay_allows_part(self):
        """Whether the customer may pay part of what is due."""
        return False

    def _pay_amount(self, requested=None):
        """The amount of a payment through the link: what is left on
        :meth:`_pay_invoices`, at the server's amounts (``requested``, the
        browser's, only where a kind allows paying a part)."""
        return Decimal(str(sum(self._pay_invoices().mapped("amount_residual"))))

    def _pay_page_values(self):
        """What the kind's pages show besides the common values."""
        return {}
