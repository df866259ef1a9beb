from odoo import api, models


class AccountMoveSend(models.AbstractModel):
    _inherit = "account.move.send"

    @api.model
    def _get_default_mail_body(self, move, mail_template, mail_lang):
        """The invoice email offers the pay link, in the email's language."""
        body = super()._get_default_mail_body(move, mail_template, mail_lang)
        url = move._crm_pay_link_for_print()
        if not url:
            return body
        snippet = self.env["ir.qweb"]._render(
            "crm_invoices_payment_link.mail_pay_link",
            {"url": url, "invoice": move},
            lang=mail_lang,
        )
        return f"{body or ''}{snippet}"
