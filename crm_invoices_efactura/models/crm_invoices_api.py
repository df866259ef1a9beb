from odoo import api, models


class CrmInvoicesApi(models.AbstractModel):
    _inherit = "crm.invoices.api"

    @api.model
    def _serialize(self, invoices, detail=False, shape="perfex"):
        """Every invoice of the API says where it stands at ANAF."""
        rows = super()._serialize(invoices, detail=detail, shape=shape)
        values = {
            move["id"]: move
            for move in invoices.sudo().read(
                ["crm_efactura_state", "crm_efactura_index"]
            )
        }
        for row in rows:
            move = values.get(int(row.get("odoo_id") or row.get("id") or 0), {})
            row["efactura_state"] = move.get("crm_efactura_state") or None
            row["efactura_index"] = move.get("crm_efactura_index") or None
        return rows

    @api.model
    def _openapi_invoice_properties(self):
        return {
            **super()._openapi_invoice_properties(),
            "efactura_state": {
                "type": ["string", "null"],
                "enum": [
                    "to_send",
                    "sending",
                    "sent",
                    "accepted",
                    "rejected",
                    "error",
                    None,
                ],
                "description": "Where the invoice stands at ANAF's e-Factura (SPV).",
            },
            "efactura_index": {
                "type": ["string", "null"],
                "description": "ANAF's upload index of the invoice.",
            },
        }
