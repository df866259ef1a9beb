from odoo import models


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _post_process(self):
        """EXTENDS payment: a card the customer saved while paying an
        invoice of a schedule that charges saved cards is the one its later
        invoices are charged to."""
        result = super()._post_process()
        for transaction in self.filtered(
            lambda tx: (
                tx.state == "done"
                and tx.token_id
                and tx.operation in ("online_redirect", "online_direct")
            )
        ):
            for schedule in transaction.invoice_ids._crm_autopay_schedules():
                if (
                    transaction.token_id.partner_id.commercial_partner_id
                    == schedule.partner_id.commercial_partner_id
                ):
                    schedule.sudo().crm_payment_token_id = transaction.token_id
                    schedule.message_post(
                        body=self.env._(
                            "The customer saved the card %s: the schedule's "
                            "invoices are charged to it when issued.",
                            transaction.token_id.display_name,
                        )
                    )
        return result
