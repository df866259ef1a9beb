from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, split_every

from ..lib import pay_qr, pay_rules, pay_token

#: The states of a link (decided by :func:`pay_rules.link_state`).
STATES = [
    ("active", "Active"),
    ("paid", "Paid"),
    ("revoked", "Revoked"),
    ("expired", "Expired"),
    ("closed", "Closed (invoice in draft or nothing due)"),
    ("cancelled", "Invoice Cancelled"),
]

#: Links created per statement when many invoices need one (installation).
BATCH = 5000
#: How long a payment started and not finished holds its link.
PAYMENT_HOLD = timedelta(minutes=10)


class CrmInvoicesPayLink(models.Model):
    """A pay-now link of a customer invoice: ``https://<host>/pay/<token>``.

    An open invoice has one link that is not revoked (a unique index says so).
    Only a random salt and the digest of the token are stored: the token is an
    HMAC of the salt under the database secret, so the server prints the same
    link again (emails, reminders, PDF, API) and finds a link by digest.
    """

    _name = "crm.invoices.pay.link"
    _description = "Pay Link"
    _order = "id desc"
    _rec_name = "move_id"

    move_id = fields.Many2one(
        "account.move",
        string="Invoice",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
    )
    company_id = fields.Many2one(related="move_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="move_id.partner_id", string="Customer")
    salt = fields.Char(required=True, readonly=True, groups="base.group_system")
    token_digest = fields.Char(
        required=True, readonly=True, index=True, groups="base.group_system"
    )
    revoked = fields.Boolean(readonly=True, copy=False)
    expiry_date = fields.Datetime(
        string="Expires On",
        readonly=True,
        help="Empty: the link works as long as the invoice is open.",
    )
    last_opened = fields.Datetime(string="Last Opened", readonly=True)
    attempt_count = fields.Integer(string="Payment Attempts", readonly=True)
    transaction_ids = fields.One2many(
        "payment.transaction", "crm_pay_link_id", string="Transactions"
    )
    last_attempt_state = fields.Char(
        string="Last Attempt", compute="_compute_last_attempt"
    )
    last_attempt_date = fields.Datetime(
        string="Last Attempt On", compute="_compute_last_attempt"
    )
    state = fields.Selection(
        STATES,
        compute="_compute_state",
        search="_search_state",
        help="Paid: the invoice has nothing left to pay. A cancelled invoice's link "
        "says the invoice is no longer payable.",
    )
    url = fields.Char(string="Pay Link", compute="_compute_url")
    qr_code = fields.Char(string="QR Code", compute="_compute_url")

    _sql_constraints = [
        ("token_digest_uniq", "UNIQUE(token_digest)", "This pay link exists already."),
    ]

    def init(self):
        res = super().init()
        # One link that is not revoked per invoice: renewing revokes the old one.
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS crm_invoices_pay_link_one_open "
                "ON crm_invoices_pay_link (move_id) WHERE revoked IS NOT TRUE"
            )
        )
        return res

    @api.depends(
        "revoked",
        "expiry_date",
        "move_id.state",
        "move_id.payment_state",
        "move_id.amount_residual",
    )
    def _compute_state(self):
        now = fields.Datetime.now()
        for link in self:
            link.state = link._state_at(now)

    def _state_at(self, now):
        """The link's state at ``now``: :func:`pay_rules.link_state`, the
        rule :meth:`_search_state` searches with, and the only place that
        decides whether a link takes payments."""
        self.ensure_one()
        values = {}
        for path in pay_rules.LINK_STATE_FIELDS:
            value = self.sudo()
            for name in path.split("."):
                value = value[name]
            values[path] = value
        return pay_rules.link_state(values, now)

    def _takes_payments(self):
        return self._state_at(fields.Datetime.now()) == "active"

    def _search_state(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, str):
            raise UserError(self.env._("Unsupported search on the pay link state."))
        domain = pay_rules.link_state_search_domain(value, fields.Datetime.now())
        return domain if operator == "=" else ["!", *domain]

    @api.depends("transaction_ids.state", "transaction_ids.last_state_change")
    def _compute_last_attempt(self):
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
            link.qr_code = link.url and pay_qr.qr_data_uri(link.url)

    # ------------------------------------------------------------------
    # Tokens
    # ------------------------------------------------------------------

    @api.model
    def _secret(self):
        return self.env["ir.config_parameter"].sudo().get_param("database.secret")

    def _urls(self):
        """``{link id: its URL}`` for the batch (the tokens are printed again
        from the salts, never stored)."""
        if not self.ids:
            return {}
        secret = self._secret()
        rows = self.env.execute_query(
            SQL(
                "SELECT link.id, link.salt, move.company_id "
                "FROM crm_invoices_pay_link link "
                "JOIN account_move move ON move.id = link.move_id "
                "WHERE link.id IN %s",
                tuple(self.ids),
            )
        )
        base = self[:1].move_id.get_base_url()
        return {
            link_id: f"{base}/pay/{pay_token.link_token(secret, salt)}"
            for link_id, salt, _company in rows
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
        if not link or not pay_token.same_token(
            pay_token.link_token(self._secret(), link.salt), token
        ):
            return self.browse()
        return link

    # ------------------------------------------------------------------
    # Creating and renewing
    # ------------------------------------------------------------------

    @api.model
    def _create_for(self, moves):
        """Give each of ``moves`` that has none a link, in batched statements.

        Used when invoices are posted and, for every open invoice, when the
        addon is installed: no query per invoice.
        :return: the number of links created
        """
        if not moves:
            return 0
        self.env["account.move"].flush_model(["company_id"])
        self.env["res.company"].flush_model(["crm_paylink_validity_days"])
        self.flush_model(["move_id", "revoked"])
        secret = self._secret()
        created = 0
        now = fields.Datetime.now()
        for batch in split_every(BATCH, moves.ids):
            rows = self.env.execute_query(
                SQL(
                    """
                    SELECT move.id, move.company_id, company.crm_paylink_validity_days
                      FROM account_move move
                      JOIN res_company company ON company.id = move.company_id
                     WHERE move.id IN %s
                       AND NOT EXISTS (
                           SELECT 1 FROM crm_invoices_pay_link link
                            WHERE link.move_id = move.id AND link.revoked IS NOT TRUE
                       )
                    """,
                    tuple(batch),
                )
            )
            values = []
            for move_id, company_id, days in rows:
                salt = pay_token.new_salt()
                digest = pay_token.token_digest(pay_token.link_token(secret, salt))
                expiry = now + timedelta(days=days) if days else None
                values.append(
                    SQL(
                        "(%s, %s, %s, %s, %s, false, 0, %s, %s, %s, %s)",
                        move_id,
                        company_id,
                        salt,
                        digest,
                        expiry,
                        self.env.uid,
                        now,
                        self.env.uid,
                        now,
                    )
                )
            if not values:
                continue
            inserted = self.env.execute_query(
                SQL(
                    """
                    INSERT INTO crm_invoices_pay_link
                           (move_id, company_id, salt, token_digest, expiry_date,
                            revoked, attempt_count,
                            create_uid, create_date, write_uid, write_date)
                    VALUES %s
                    ON CONFLICT DO NOTHING
                    RETURNING id
                    """,
                    SQL(", ").join(values),
                )
            )
            created += len(inserted)
        if created:
            self.invalidate_model()
        return created

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

    def action_renew(self):
        """Revoke these links and give their open invoices new ones."""
        moves = self.move_id
        self._check_manage(moves)
        self.sudo().write({"revoked": True})
        self.flush_model(["revoked"])
        self.sudo()._create_for(moves.filtered(lambda m: m._crm_needs_pay_link()))
        return True

    def action_revoke(self):
        self._check_manage(self.move_id)
        self.sudo().write({"revoked": True})
        return True

    def _mark_opened(self):
        """A page view writes the "last opened" stamp, nothing else."""
        self.env.execute_query(
            SQL(
                "UPDATE crm_invoices_pay_link SET last_opened = %s WHERE id = %s",
                fields.Datetime.now(),
                self.id,
            )
        )

    def _count_attempt(self):
        self.env.execute_query(
            SQL(
                "UPDATE crm_invoices_pay_link SET attempt_count = attempt_count + 1 "
                "WHERE id = %s",
                self.id,
            )
        )
        self.invalidate_recordset(["attempt_count"])

    def _send_fresh_link(self):
        """Email the customer a new link in place of this expired one.

        Once per expired link: the renewal revokes it, so asking again with it
        finds nothing (two requests at once update the same row; the second
        is retried by Odoo and finds the link revoked).

        :return: whether an email went out
        """
        self.ensure_one()
        move = self.move_id
        if self.revoked or not move._crm_needs_pay_link() or not move.partner_id.email:
            return False
        self.sudo().write({"revoked": True})
        self.flush_recordset(["revoked"])
        self.sudo()._create_for(move)
        template = self.env.ref(
            "crm_invoices_payment_link.mail_template_pay_link_renewed"
        )
        move.sudo().with_context(mail_notify_force_send=False).message_post_with_source(
            template, message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        return True
