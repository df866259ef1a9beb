from odoo import models


class AccountMoveSend(models.AbstractModel):
    _inherit = "account.move.send"

    def _call_web_service_after_invoice_pdf_render(self, invoices_data):
        """OVERRIDE of l10n_ro_edi's step ("Send E-Factura to SPV" in Odoo's
        send wizard): the invoice is checked with ANAF's rules now and queued
        for the exchange job, which uploads it once; the check's errors show
        in the wizard like Odoo's."""
        for invoice, invoice_data in invoices_data.items():
            extra = invoice_data.get("extra_edis") or {}
            if "ro_edi" not in extra or not invoice._crm_efactura_in_scope():
                continue
            invoice_data["extra_edis"] = {edi for edi in extra if edi != "ro_edi"}
            invoice.action_crm_efactura_send()
            if invoice.crm_efactura_state == "error":
                invoice_data["error"] = {
                    "error_title": self.env._(
                        "The e-Factura does not pass ANAF's rules"
                    ),
                    "errors": invoice._crm_efactura_error_lines(),
                }
        return super()._call_web_service_after_invoice_pdf_render(invoices_data)
