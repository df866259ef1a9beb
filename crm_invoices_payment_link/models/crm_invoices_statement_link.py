from datetime import timedelta

from odoo import api, fields, models

from ..lib import pay_rules

STATES = [
    ("active", "Active"),
    ("paid", "Paid"),
    ("revoked", "Revoked"),
    ("expired", "Expired"),
    ("closed", "Closed (nothing due)"),
]


class CrmInvoicesStatementLink(models.Model):
    """One pay link for the overdue invoices a statement lists:
    ``https://<host>/pay/statement/<token>`` (the token, life and counters:
    :class:`crm.invoices.pay.link.mixin`).

    Issued when a customer reminded per customer gets a statement: its
    invoices are the statement's (one customer, company and currency).  One
    payment on Odoo's providers pays what is still due on them, and Odoo
    reconciles it against each (a transaction carries several invoices).
    """

    _name = "crm.invoices.statement.link"
    _inherit = "crm.invoices.pay.link.mixin"
    _description = "Statement Pay Link"
    _order = "id desc"
    _rec_name = "partner_id"
    _pay_kind = "statement"
    _pay_purpose = "crm_statement_link"
    _pay_transaction_field = "crm_statement_link_id"
    _pay_summary_template = "crm_invoices_payment_link.pay_statement_summary"

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
    transaction_ids = fields.One2many(
        "payment.transaction", "crm_statement_link_id", string="Transactions"
    )
    amount_due = fields.Monetary(compute="_compute_due", string="Amount Due")
    state = fields.Selection(STATES, compute="_compute_due")

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
            due = link._pay_invoices()
            link.amount_due = sum(due.mapped("amount_residual"))
            link.state = link._state_at(now, due)

    def _state_at(self, now, due=None):
        """The link's state (:func:`pay_rules.statement_state`)."""
        self.ensure_one()
        due = self._pay_invoices() if due is None else due
        return pay_rules.statement_state(
            self.revoked,
            self.expiry_date,
            len(due),
            len(self._pay_paid_invoices()),
            now,
        )

    # ------------------------------------------------------------------
    # What the link pays (crm.invoices.pay.link.mixin)
    # ------------------------------------------------------------------

    def _pay_all_invoices(self):
        return self.move_ids

    def _pay_invoices(self):
        """Its invoices that still need paying (:data:`pay_rules.NEEDS_PAY_LINK`:
        a draft, cancelled, paid or disputed invoice is left out), in full."""
        self.ensure_one()
        return self.sudo().move_ids.filtered_domain(pay_rules.needs_pay_link_domain())

    def _pay_partner(self):
        return self.sudo().partner_id

    def _pay_company(self):
        return self.sudo().company_id

    def _pay_currency(self):
        return self.sudo().currency_id

    def _pay_page_values(self):
        return {"statement": True, "title": self.sudo().company_id.name}

    # ------------------------------------------------------------------
    # Issuing
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
        days = due.company_id.crm_paylink_validity_days
        return self.sudo().create(
            {
                "partner_id": customer.id,
                "company_id": due.company_id.id,
                "currency_id": due.currency_id.id,
                "move_ids": [fields.Command.set(due.ids)],
                "expiry_date": now + timedelta(days=days) if days else False,
                **self._new_token_values(),
            }
        )

    def action_revoke(self):
        """Invoices managers revoke statement links of their companies (as
        the invoice links: on invoices they may write)."""
        self.check_access("read")  # the record rule: their companies
        return super().action_revoke()
