from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..lib import pay_rules

#: What a transaction charges and pays.
CHARGE_FIELDS = {
    "invoice_ids",
    "amount",
    "currency_id",
    "operation",
    "source_transaction_id",
}


class PaymentTransaction(models.Model):
    _name = "payment.transaction"
    _inherit = ["payment.transaction", "crm.invoices.guarded.mixin"]

    crm_pay_link_id = fields.Many2one(
        "crm.invoices.pay.link",
        string="Pay Link",
        index="btree_not_null",
        readonly=True,
        ondelete="set null",
    )
    crm_statement_link_id = fields.Many2one(
        "crm.invoices.statement.link",
        string="Statement Pay Link",
        index="btree_not_null",
        readonly=True,
        ondelete="set null",
    )

    @api.model
    def _crm_guarded_fields(self):
        # which link a payment came through: set by the pay pages only
        return super()._crm_guarded_fields() | {
            "crm_pay_link_id",
            "crm_statement_link_id",
        }

    @api.model_create_multi
    def create(self, vals_list):
        """EXTENDS payment: a charge of customer invoices is created only
        when nothing else may charge them (:meth:`_crm_check_charged_once`),
        whatever door creates it -- a pay link, a statement link, Odoo's
        portal or payment link, a saved card, a call over RPC."""
        transactions = super().create(vals_list)
        transactions._crm_check_charged_once()
        return transactions

    def write(self, vals):
        """EXTENDS payment: a user who may write transactions (billing) and
        changes what one charges or pays is held to the same rule as a new
        one; Odoo's own flows run as superuser."""
        result = super().write(vals)
        if not self.env.su and CHARGE_FIELDS & set(vals):
            self._crm_check_charged_once()
        return result

    def _crm_check_charged_once(self):
        """Refuse (nothing is created) a charge of customer invoices that
        are settled or cancelled, that another payment may still charge
        (:meth:`account.move._crm_payment_refusal`), or of more than is left
        on them.  The invoices are held first
        (:meth:`account.move._crm_hold_for_payment`): two charges of one
        invoice started at once through two doors are checked one after the
        other."""
        for transaction in self:
            if not pay_rules.is_charge(
                transaction.operation, transaction.source_transaction_id
            ):
                continue
            invoices = transaction.invoice_ids.sudo().filtered(
                lambda move: move.move_type == "out_invoice"
            )
            if not invoices:
                continue
            invoices._crm_hold_for_payment()
            refusal = invoices._crm_payment_refusal(exclude=self)
            if refusal:
                raise ValidationError(refusal)
            posted = invoices.filtered(lambda move: move.state == "posted")
            if posted == invoices and len(invoices.currency_id) == 1:
                currency = invoices.currency_id
                left = sum(invoices.mapped("amount_residual"))
                if (
                    transaction.currency_id == currency
                    and currency.compare_amounts(transaction.amount, left) > 0
                ):
                    raise ValidationError(
                        self.env._(
                            "The amount cannot be more than what is left to pay "
                            "(%(left)s).",
                            left=currency.format(left),
                        )
                    )

    def _post_process(self):
        """EXTENDS payment: ``pay_link.paid`` for the invoices a payment made
        through a pay link or a statement link paid."""
        result = super()._post_process()
        through_links = self.filtered(
            lambda tx: (
                tx.state == "done" and (tx.crm_pay_link_id or tx.crm_statement_link_id)
            )
        )
        for tx in through_links:
            self.env["crm.invoices.webhook.event"]._crm_emit(
                "pay_link.paid",
                tx.invoice_ids,
                lambda _move, tx=tx: {
                    "link": "statement" if tx.crm_statement_link_id else "invoice",
                    "amount": f"{tx.amount:.{tx.currency_id.decimal_places}f}",
                    "currency": tx.currency_id.name,
                    "provider": tx.provider_id.name,
                    "reference": tx.reference,
                },
            )
        return result
