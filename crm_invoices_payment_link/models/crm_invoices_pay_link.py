from datetime import timedelta
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import split_every

from .. import queries
from ..lib import pay_amount, pay_qr, pay_rules

#: The states of a link (decided by :func:`pay_rules.link_state`).
STATES = [
    ("active", "Active"),
    ("paid", "Paid"),
    ("revoked", "Revoked"),
    ("expired", "Expired"),
    ("closed", "Closed (invoice in draft or nothing due)"),
    ("cancelled", "Invoice Cancelled"),
]

#: Links created at once when many invoices need one (installation).
BATCH = 5000


class CrmInvoicesPayLink(models.Model):
    """A pay-now link of a customer invoice: ``https://<host>/pay/<token>``
    (the token, life and counters: :class:`crm.invoices.pay.link.mixin`).

    An open invoice has one link that is not revoked (a unique index says so).
    """

    _name = "crm.invoices.pay.link"
    _inherit = "crm.invoices.pay.link.mixin"
    _description = "Pay Link"
    _order = "id desc"
    _rec_name = "move_id"
    _pay_kind = ""
    _pay_purpose = "crm_pay_link"
    _pay_transaction_field = "crm_pay_link_id"
    _pay_summary_template = "crm_invoices_payment_link.pay_summary"

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
    transaction_ids = fields.One2many(
        "payment.transaction", "crm_pay_link_id", string="Transactions"
    )
    state = fields.Selection(
        STATES,
        compute="_compute_state",
        search="_search_state",
        help="Paid: the invoice has nothing left to pay. A cancelled invoice's link "
        "says the invoice is no longer payable.",
    )
    qr_code = fields.Char(string="QR Code", compute="_compute_url")

    def init(self):
        res = super().init()
        queries.create_one_open_link_index(self.env.cr)
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

    def _search_state(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, str):
            raise UserError(self.env._("Unsupported search on the pay link state."))
        domain = pay_rules.link_state_search_domain(value, fields.Datetime.now())
        return domain if operator == "=" else ["!", *domain]

    def _compute_url(self):
        res = super()._compute_url()
        for link in self:
            link.qr_code = link.url and pay_qr.qr_data_uri(link.url)
        return res

    # ------------------------------------------------------------------
    # Creating and renewing
    # ------------------------------------------------------------------

    @api.model
    def _create_for(self, moves):
        """Give each of ``moves`` that has none a link, in batches.

        Used when invoices are posted and, for every open invoice, when the
        addon is installed: a few queries per batch, none per invoice.
        :return: the number of links created
        """
        created = 0
        now = fields.Datetime.now()
        moves = moves.sudo()
        for batch in split_every(BATCH, moves.ids, moves.browse):
            missing = batch.search_fetch(
                [
                    ("id", "in", batch.ids),
                    ("crm_pay_link_ids", "not any", [("revoked", "=", False)]),
                ],
                ["company_id"],
            )
            days_of = {
                company: company.crm_paylink_validity_days
                for company in missing.company_id
            }
            links = self.create(
                [
                    {
                        "move_id": move.id,
                        "expiry_date": now + timedelta(days=days_of[move.company_id])
                        if days_of[move.company_id]
                        else False,
                        **self._new_token_values(),
                    }
                    for move in missing
                ]
            )
            created += len(links)
        return created

    def action_renew(self):
        """Revoke these links and give their open invoices new ones."""
        moves = self.move_id
        self._check_manage(moves)
        self.sudo().write({"revoked": True})
        self.flush_model(["revoked"])
        self.sudo()._create_for(moves.filtered(lambda m: m._crm_needs_pay_link()))
        return True

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

    # ------------------------------------------------------------------
    # What the link pays (crm.invoices.pay.link.mixin)
    # ------------------------------------------------------------------

    def _pay_all_invoices(self):
        return self.move_id

    def _pay_invoices(self):
        return self.sudo().move_id

    def _pay_partner(self):
        return self.sudo().move_id.partner_id

    def _pay_allows_part(self):
        return self.sudo().move_id.company_id.crm_paylink_partial

    def _pay_amount(self, requested=None):
        """The amount due, or the part the customer asked for when the
        company allows it.  Without part payments an amount sent by the
        browser is ignored: the server's amount due is what is paid, even if
        it changed since the page loaded.

        :raise pay_amount.AmountRefused: a part that cannot be paid
        """
        invoice = self.sudo().move_id
        company = invoice.company_id
        if not company.crm_paylink_partial:
            requested = None
        return Decimal(
            pay_amount.amount_to_pay(
                requested,
                invoice.amount_residual,
                invoice.currency_id.decimal_places,
                company.crm_paylink_partial,
                company.crm_paylink_min_amount,
            )
        )

    def _pay_page_values(self):
        invoice = self.sudo().move_id
        return {
            "invoice": invoice,
            "title": self.env._("Pay %(invoice)s", invoice=invoice.name),
        }
