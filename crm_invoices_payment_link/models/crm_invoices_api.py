from odoo import api, models


class CrmInvoicesApi(models.AbstractModel):
    _inherit = "crm.invoices.api"

    @api.model
    def _serialize(self, invoices, detail=False, shape="perfex"):
        """Every invoice of the API says where it is paid: ``payment_link``."""
        rows = super()._serialize(invoices, detail=detail, shape=shape)
        links = invoices.sudo()._crm_open_links()
        for row in rows:
            invoice_id = int(row.get("odoo_id") or row.get("id") or 0)
            row["payment_link"] = links.get(invoice_id)
        return rows

    @api.model
    def _openapi_invoice_properties(self):
        return {
            **super()._openapi_invoice_properties(),
            "payment_link": {
                "type": ["string", "null"],
                "format": "uri",
                "description": "The invoice's hosted pay-now link, while it works.",
            },
        }
