from odoo import api, models

#: The fields whose change is ``payment.updated``.
UPDATED_BY = frozenset({"amount", "date", "partner_id", "journal_id", "memo", "state"})


class AccountPayment(models.Model):
    """The webhook events of customer payments (money received): created,
    updated, deleted."""

    _inherit = "account.payment"

    def _crm_customer_payments(self):
        return self.filtered(
            lambda payment: (
                payment.sudo().payment_type == "inbound"
                and payment.sudo().partner_type == "customer"
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        payments = super().create(vals_list)
        self.env["crm.invoices.webhook.event"]._crm_emit(
            "payment.created", payments._crm_customer_payments()
        )
        return payments

    def write(self, vals):
        result = super().write(vals)
        if UPDATED_BY & set(vals):
            self.env["crm.invoices.webhook.event"]._crm_emit(
                "payment.updated", self._crm_customer_payments()
            )
        return result

    def unlink(self):
        self.env["crm.invoices.webhook.event"]._crm_emit(
            "payment.deleted",
            self._crm_customer_payments(),
            lambda payment: {
                "amount": str(payment.amount),
                "date": str(payment.date),
                "currency": payment.currency_id.name,
            },
        )
        return super().unlink()

    def _crm_webhook_rows(self):
        """``{payment id: data}`` as Perfex's payment records read (amounts
        as text)."""
        return {
            payment.id: {
                "id": str(payment.id),
                "paymentid": str(payment.id),
                "invoiceid": ",".join(
                    str(i) for i in payment.reconciled_invoice_ids.ids
                )
                or None,
                "amount": f"{payment.amount:.{payment.currency_id.decimal_places}f}",
                "currency": payment.currency_id.name,
                "date": str(payment.date),
                "paymentmode": payment.journal_id.name,
                "transactionid": payment.memo or None,
                "clientid": str(payment.partner_id.commercial_partner_id.id),
                "state": payment.state,
            }
            for payment in self
        }
