from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..lib import pay_rules, pay_token

STATES = [
    ("active", "Active"),
    ("paid", "Paid"),
    ("revoked", "Revoked"),
    ("expired", "Expired"),
    ("closed", "Closed (nothing due)"),
]

PURPOSE = "crm_statement_link"


class CrmInvoicesStatementLink(models.Model):
    """One pay link for the overdue invoices a statement lists:
    ``https://<host>/pay/statement/<token>``.

    Issued when a customer reminded per customer gets a statement: its
    invoices are the statement's (one customer, company and currency).  One
    payment on Odoo's providers pays what is still due on them, and Odoo
    reconciles it against each (a transaction carries several invoices).  The
    token is kept as the invoice links keep theirs: a random salt, the
    digest; the token of a statement link is never the token of an invoice
    link (another HMAC purpose).
    """

    _name = "crm.invoices.statement.link"
    _description = "Statement Pay Link"
    _order = "id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True, ondelete="cascade"
    )
    currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    move_ids = fields.Many2many(
        "account.move",
        "crm_invoices_statement_link_move_rel",
        "link_id",
        "move_id",
        string="Invoices",
        readonly=True,
    )
    salt = fields.Char(required=True, readonly=True, groups="base.group_system")
    token_digest = fields.Char(
        required=True, readonly=True, index=True, groups="base.group_system"
    )
    revoked = fields.Boolean(readonly=True, copy=False)
    expiry_date = fields.Datetime(string="Expires On", readonly=True)
    last_opened = fields.Datetime(string="Last Opened", readonly=True)
    attempt_count = fields.Integer(string="Payment Attempts", readonly=True)
    transaction_ids = fields.One2many(
        "payment.transaction", "crm_statement_link_id", string="Transactions"
    )
    amount_due = fields.Monetary(compute="_compute_due", string="Amount Due")
    state = fields.Selection(STATES, compute="_compute_due")
    url = fields.Char(string="Pay Link", compute="_compute_url")

    _sql_constraints = [
        (
            "token_digest_uniq",
            "UNIQUE(token_digest)",
            "This statement pay link exists already.",
        ),
    ]

    @api.depends(
        "revoked",
        "expiry_date",
        "move_ids.state",
        "move_ids.payment_state",
        "move_ids.amount_residual",
    )
    def _compute_due(self):
        now = fields.Datetime.now()
        for link in self:
            due = link._due_moves()
            link.amount_due = sum(due.mapped("amount_residual"))
            link.state = link._state_at(now, due)

    def _compute_url(self):
        urls = self._urls()
        for link in self:
            link.url = urls.get(link.id, False)

    # ------------------------------------------------------------------
    # What the link pays
    # ------------------------------------------------------------------

    def _due_moves(self):
        """Its invoices that still need paying (:data:`pay_rules.NEEDS_PAY_LINK`:
        posted, money left; a draft, cancelled or paid invoice is left out)."""
        self.ensure_one()
        return self.sudo().move_ids.filtered_domain(pay_rules.needs_pay_link_domain())

    def _paid_moves(self):
        """Its invoices that are paid: what its thank-you page lists."""
        self.ensure_one()
        return self.sudo().move_ids.filtered(
            lambda move: move.payment_state in pay_rules.PAID_STATES
        )

    def _state_at(self, now, due=None):
        """The link's state (:func:`pay_rules.statement_state`): the only
        place that decides whether it takes payments."""
        self.ensure_one()
        due = self._due_moves() if due is None else due
        return pay_rules.statement_state(
            self.revoked, self.expiry_date, len(due), len(self._paid_moves()), now
        )

    # ------------------------------------------------------------------
    # Tokens
    # ------------------------------------------------------------------

    def _urls(self):
        """``{link id: its URL}`` (tokens are printed again from the salts)."""
        if not self.ids:
            return {}
        secret = self.env["crm.invoices.pay.link"]._secret()
        rows = self.env.execute_query(
            SQL(
                "SELECT id, salt FROM crm_invoices_statement_link WHERE id IN %s",
                tuple(self.ids),
            )
        )
        base = self.env["account.move"].get_base_url()
        return {
            link_id: f"{base}/pay/statement/"
            + pay_token.link_token(secret, salt, PURPOSE)
            for link_id, salt in rows
        }

    @api.model
    def _find(self, token):
        """The link of a visitor's ``token`` (sudo), or an empty recordset."""
        if not pay_token.well_formed(token):
            return self.browse()
        link = self.sudo().search(
            [("token_digest", "=", pay_token.token_digest(token))], limit=1
        )
        secret = self.env["crm.invoices.pay.link"]._secret()
        if not link or not pay_token.same_token(
            pay_token.link_token(secret, link.salt, PURPOSE), token
        ):
            return self.browse()
        return link

    # ------------------------------------------------------------------
    # Issuing and revoking
    # ------------------------------------------------------------------

    @api.model
    def _issue(self, moves):
        """The statement link of ``moves`` (one customer's invoices), or an
        empty recordset when they cannot be paid together: nothing due, or
        several companies or currencies (one payment has one currency; the
        statement then links each invoice's own pay link).

        A statement listing the same invoices as an earlier one still open
        gets the same link: a customer never holds two live links for one
        debt.
        """
        due = moves.sudo().filtered_domain(pay_rules.needs_pay_link_domain())
        if not due or len(due.company_id) > 1 or len(due.currency_id) > 1:
            return self.browse()
        customer = due.commercial_partner_id
        if len(customer) > 1:
            return self.browse()
        now = fields.Datetime.now()
        for link in self.sudo().search(
            [
                ("partner_id", "=", customer.id),
                ("company_id", "=", due.company_id.id),
                ("currency_id", "=", due.currency_id.id),
                ("revoked", "=", False),
            ]
        ):
            if link.move_ids == due and link._state_at(now, due) == "active":
                return link
        salt = pay_token.new_salt()
        secret = self.env["crm.invoices.pay.link"]._secret()
        days = due.company_id.crm_paylink_validity_days
        return self.sudo().create(
            {
                "partner_id": customer.id,
                "company_id": due.company_id.id,
                "currency_id": due.currency_id.id,
                "move_ids": [fields.Command.set(due.ids)],
                "salt": salt,
                "token_digest": pay_token.token_digest(
                    pay_token.link_token(secret, salt, PURPOSE)
                ),
                "expiry_date": now + timedelta(days=days) if days else False,
            }
        )

    def action_revoke(self):
        """Invoices managers revoke statement links of their companies (as
        the invoice links: on invoices they may write)."""
        self.check_access("read")  # the record rule: their companies
        moves = self.sudo().move_ids.with_env(self.env)
        self.env["crm.invoices.pay.link"]._check_manage(moves)
        self.sudo().write({"revoked": True})
        return True

    # ------------------------------------------------------------------
    # Paying
    # ------------------------------------------------------------------

    def _mark_opened(self):
        self.env.execute_query(
            SQL(
                "UPDATE crm_invoices_statement_link SET last_opened = %s WHERE id = %s",
                fields.Datetime.now(),
                self.id,
            )
        )

    def _count_attempt(self):
        self.env.execute_query(
            SQL(
                "UPDATE crm_invoices_statement_link "
                "SET attempt_count = attempt_count + 1 WHERE id = %s",
                self.id,
            )
        )
        self.invalidate_recordset(["attempt_count"])
