from odoo import models


class AccountMoveSendWizard(models.TransientModel):
    _inherit = "account.move.send.wizard"

    def action_send_and_print(self, allow_fallback_pdf=False):
        """EXTENDS account: an invoice sent by email says so, and to whom
        (Odoo closes the dialog without a word)."""
        result = super().action_send_and_print(allow_fallback_pdf=allow_fallback_pdf)
        sent_by_email = "email" in (self.sending_methods or [])
        if not sent_by_email or result.get("type") != "ir.actions.act_window_close":
            return result
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": self.env._("Invoice sent"),
                "message": self.env._(
                    "%(invoice)s was sent to %(recipients)s.",
                    invoice=self.move_id.name,
                    recipients=", ".join(
                        self.mail_partner_ids.mapped("email_formatted")
                    )
                    or "-",
                ),
                "next": result,
            },
        }
