from odoo import api, fields, models
from odoo.tools import SQL

from ..lib import pay_qr, pay_rules
from .crm_invoices_pay_link import PAYMENT_HOLD, STATES


class AccountMove(models.Model):
    _inherit = "account.move"

    crm_pay_link_ids = fields.One2many(
        "crm.invoices.pay.link", "move_id", string="Pay Links", readonly=True
    )
    crm_pay_link_id = fields.Many2one(
        "crm.invoices.pay.link",
        string="Pay Link Record",
        compute="_compute_crm_pay_link",
    )
    crm_pay_link_url = fields.Char(string="Pay Link", compute="_compute_crm_pay_link")
    crm_pay_link_qr = fields.Char(string="QR Code", compute="_compute_crm_pay_link")
    crm_pay_link_state = fields.Selection(
        STATES, string="Pay Link State", compute="_compute_crm_pay_link"
    )
    crm_paid_online = fields.Boolean(
        string="Paid Online",
        compute="_compute_crm_paid_online",
        store=True,
        index=True,
        help="A payment of this invoice came through an online payment provider.",
    )

    @api.depends(
        "crm_pay_link_ids.revoked",
        "crm_pay_link_ids.expiry_date",
        "state",
        "payment_state",
        "amount_residual",
    )
    def _compute_crm_pay_link(self):
        for move in self:
            link = move.crm_pay_link_ids.filtered(lambda link: not link.revoked)[:1]
            move.crm_pay_link_id = link
            move.crm_pay_link_state = link.state
            # the URL only while the link takes payments (pay_rules decides)
            works = link.state == "active"
            move.crm_pay_link_url = link.url if works else False
            move.crm_pay_link_qr = link.qr_code if works else False

    @api.depends("transaction_ids.state", "transaction_ids.operation")
    def _compute_crm_paid_online(self):
        for move in self:
            move.crm_paid_online = any(
                tx.state == "done" and tx.operation != "validation"
                for tx in move.transaction_ids
            )

    def _crm_needs_pay_link(self):
        """A posted customer invoice with money left needs a pay link
        (:data:`pay_rules.NEEDS_PAY_LINK`, also searched as a domain)."""
        self.ensure_one()
        return pay_rules.needs_pay_link(
            {name: self[name] for name, _op, _value in pay_rules.NEEDS_PAY_LINK}
        )

    def _post(self, soft=True):
        posted = super()._post(soft)
        self.env["crm.invoices.pay.link"].sudo()._create_for(
            posted.filtered(lambda move: move._crm_needs_pay_link())
        )
        return posted

    def _crm_pay_urls(self):
        """The hosted pay-now link where the invoice has a usable one (not
        revoked, not expired), else where ``crm_invoices`` sends customers."""
        urls = super()._crm_pay_urls()
        links = self._crm_open_links()
        urls.update({move_id: url for move_id, url in links.items() if url})
        return urls

    def _crm_open_links(self):
        """``{invoice id: URL of its pay link}`` for those of ``self`` whose
        link takes payments (:func:`pay_rules.link_state_search_domain`:
        the rule the link's state is computed with), in three queries."""
        if not self.ids:
            return {}
        links = (
            self.env["crm.invoices.pay.link"]
            .sudo()
            .search(
                [
                    ("move_id", "in", self.ids),
                    *pay_rules.link_state_search_domain(
                        "active", fields.Datetime.now()
                    ),
                ]
            )
        )
        urls = links._urls()
        return {link.move_id.id: urls.get(link.id) for link in links}

    def _crm_statement_pay_url(self):
        """The statement's one pay link for all of ``self`` (a customer's
        overdue invoices), or ``None`` when they cannot be paid together
        (several currencies): the statement then links each invoice's own."""
        link = self.env["crm.invoices.statement.link"].sudo()._issue(self)
        return link._urls()[link.id] if link else None

    def _crm_payments_in_progress(self):
        """Those of ``self`` a payment started on may still charge: a
        transaction (of a pay link, a statement link, the portal) pending or
        authorized, or started less than :data:`PAYMENT_HOLD` ago and not
        finished.  A second payment of them is refused meanwhile (never
        charged twice); an abandoned attempt stops holding them after that
        delay."""
        if not self:
            return self
        started_since = fields.Datetime.now() - PAYMENT_HOLD
        transactions = (
            self.env["payment.transaction"]
            .sudo()
            .search(
                [
                    ("invoice_ids", "in", self.ids),
                    ("operation", "!=", "validation"),
                    "|",
                    ("state", "in", ("pending", "authorized")),
                    "&",
                    ("state", "=", "draft"),
                    ("create_date", ">", started_since),
                ]
            )
        )
        return self & transactions.invoice_ids

    def _crm_lock_for_payment(self):
        """Lock the open pay links of ``self`` in id order (no deadlock
        between two payments of overlapping invoices), until the end of the
        transaction."""
        if self:
            self.env.execute_query(
                SQL(
                    "SELECT id FROM crm_invoices_pay_link "
                    "WHERE move_id IN %s AND revoked IS NOT TRUE "
                    "ORDER BY id FOR UPDATE",
                    tuple(self.ids),
                )
            )

    def _crm_count_payment_attempt(self):
        """Count a payment attempt on the open pay links of ``self``."""
        if self:
            self.env.execute_query(
                SQL(
                    "UPDATE crm_invoices_pay_link "
                    "SET attempt_count = attempt_count + 1 "
                    "WHERE move_id IN %s AND revoked IS NOT TRUE",
                    tuple(self.ids),
                )
            )
            self.env["crm.invoices.pay.link"].invalidate_model(["attempt_count"])

    def _crm_pay_link_for_print(self):
        """The pay link printed on the invoice (as a QR code), while it works."""
        self.ensure_one()
        if not self._crm_needs_pay_link():
            return False
        return self.sudo()._crm_open_links().get(self.id) or False

    def _crm_qr_data_uri(self, url):
        return pay_qr.qr_data_uri(url)

    def action_crm_renew_pay_links(self):
        """Revoke the pay links of these invoices and issue new ones."""
        self.env["crm.invoices.pay.link"]._check_manage(self)
        self.crm_pay_link_ids.filtered(lambda link: not link.revoked).action_renew()
        missing = self.filtered(
            lambda move: move._crm_needs_pay_link() and not move.crm_pay_link_id
        )
        self.env["crm.invoices.pay.link"].sudo()._create_for(missing)
        return self._crm_bulk_result(
            self.env._("%(count)s pay link(s) issued."),
            self.filtered(lambda move: move._crm_needs_pay_link()),
            {},
        )
