from odoo import api, models
from odoo.tools import is_html_empty


class AccountMoveSend(models.AbstractModel):
    _inherit = "account.move.send"

    @api.model
    def _get_default_mail_body(self, move, mail_template, mail_lang):
        """The invoice email offers the pay link, in the email's language."""
        body = super()._get_default_mail_body(move, mail_template, mail_lang)
        url = move._crm_pay_link_for_print()
        if not url:
            return body
        snippet = str(
            self.env["ir.qweb"]._render(
                "crm_invoices_payment_link.mail_pay_link",
                {"url": url, "invoice": move},
                lang=mail_lang,
            )
        )
        body = str(body or "")
        # above the salesperson's signature, which Odoo's template writes at
        # the end of its text; after the text when it has none (the email's
        # own signature then comes below)
        signature = str(move.invoice_user_id.signature or "")
        at = body.rfind(signature) if not is_html_empty(signature) else -1
        if at >= 0:
            return body[:at] + snippet + body[at:]
        closing = body.rfind("</p>")
        if closing >= 0:
            return body[:closing] + snippet + body[closing:]
        return body + snippet
