from odoo import api, fields, models

from odoo.addons.crm_invoices.lib import invoice_status

from .. import queries
from ..lib import pay_qr, pay_rules
from .crm_invoices_pay_link import STATES
from .crm_invoices_pay_link_mixin import PAYMENT_HOLD


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
    crm_payment_started = fields.Datetime(
        string="Online Payment Started",
        readonly=True,
        copy=False,
        help="When a payment of this invoice was last started online (pay "
        "link, statement link, portal). Payments of one invoice are started "
        "one at a time.",
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

    @api.model
    def _crm_guarded_fields(self):
        return super()._crm_guarded_fields() | {"crm_payment_started"}

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

    def _crm_payments_in_progress(self, exclude=None):
        """Those of ``self`` a payment started on may still charge, or has
        charged without Odoo having recorded it yet: a transaction (of a pay
        link, a statement link, Odoo's portal or any other door) pending or
        authorized, confirmed by the provider but not post-processed, or
        started less than :data:`PAYMENT_HOLD` ago and not finished.  A
        second payment of them is refused meanwhile (never charged twice);
        an abandoned attempt stops holding them after that delay.

        :param exclude: transactions not to count (the one being created)
        """
        if not self:
            return self
        transactions = (
            self.env["payment.transaction"]
            .sudo()
            .search(
                [
                    ("invoice_ids", "in", self.ids),
                    ("id", "not in", (exclude or self.env["payment.transaction"]).ids),
                    *pay_rules.in_progress_domain(fields.Datetime.now() - PAYMENT_HOLD),
                ]
            )
        )
        return self & transactions.invoice_ids

    def _crm_payment_refusal(self, exclude=None):
        """Why a payment of ``self`` cannot start now, in the customer's
        words, or ``None``: nothing is left to pay on one of them, or a
        payment of one of them may still charge (see
        :meth:`_crm_payments_in_progress`).  Every door asks it: the pay
        links, the statement links, and every transaction created
        (:meth:`payment.transaction._crm_check_charged_once`)."""
        in_dispute = self.filtered(
            lambda move: move.payment_state == invoice_status.IN_DISPUTE
        )
        if in_dispute:
            return self.env._(
                "%(invoices)s cannot be paid online at the moment: please contact "
                "%(company)s.",
                invoices=", ".join(in_dispute.mapped("name")),
                company=in_dispute[0].company_id.name,
            )
        settled = self.filtered(
            lambda move: (
                move.state == "cancel"
                or (move.state == "posted" and not move._crm_needs_pay_link())
            )
        )
        if settled:
            return self.env._(
                "Nothing is left to pay on %(invoices)s.",
                invoices=", ".join(settled.mapped("name")),
            )
        busy = self._crm_payments_in_progress(exclude)
        if busy:
            return self.env._(
                "A payment of %(invoices)s is already in progress or has just been "
                "confirmed: reload this page in a moment to see it, or try again in "
                "a few minutes.",
                invoices=", ".join(busy.mapped("name")),
            )
        return None

    def _crm_hold_for_payment(self):
        """Take the right to start a payment of ``self``, until the end of
        the transaction: their rows are locked in id order (no deadlock
        between two payments of overlapping invoices) and stamped.  A
        payment started at the same time through any door waits here; when
        the first one commits, the stamp it wrote makes the second one's
        request fail to serialize, and Odoo runs it again: it then sees the
        first one's transaction, and is refused."""
        if not self:
            return
        queries.lock_invoices_for_payment(self.env, self, fields.Datetime.now())

    def _crm_post_process_confirmed(self):
        """Record the payments of ``self`` that the provider confirmed and
        Odoo has not posted yet (any door: a pay link, a statement link, the
        portal), as Odoo's status poll and its cron do: the payment is
        posted and reconciled, the invoice reads paid.  A transaction that
        another request or the cron is recording is left to it.

        :return: the transactions recorded
        """
        transactions = self.env["payment.transaction"].sudo()
        if not self:
            return transactions
        confirmed = transactions.search(
            [
                ("invoice_ids", "in", self.ids),
                ("state", "=", "done"),
                ("is_post_processed", "=", False),
            ]
        )
        if not confirmed:
            return transactions
        confirmed = queries.lock_unrecorded_transactions(self.env, confirmed)
        confirmed.invalidate_recordset()
        confirmed._post_process()
        return confirmed

    def _has_to_be_paid(self):
        """EXTENDS account_payment: Odoo's portal offers no payment while
        one may still charge the customer through another door."""
        return super()._has_to_be_paid() and not self._crm_payments_in_progress()

    def _get_online_payment_error(self):
        """EXTENDS account_payment: and says why."""
        error = super()._get_online_payment_error()
        if self._crm_payments_in_progress():
            busy = self.env._(
                "A payment of this invoice is already in progress or has just been "
                "confirmed: reload this page in a moment to see it."
            )
            error = "\n".join(part for part in (error, busy) if part)
        return error

    def _crm_pay_link_for_print(self):
        """The pay link printed on the invoice (as a QR code), while it works."""
        self.ensure_one()
        if not self._crm_needs_pay_link():
            return False
        return self.sudo()._crm_open_links().get(self.id) or False

    def _crm_qr_data_uri(self, url):
        return pay_qr.qr_data_uri(url)

    def _crm_bulk_rules(self, operation):
        if operation != "renew_links":
            return super()._crm_bulk_rules(operation)
        return {
            self.env._("nothing left to pay by link"): lambda move: (
                not move._crm_needs_pay_link()
            ),
        }

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
