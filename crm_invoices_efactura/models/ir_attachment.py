from odoo import api, models


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    @api.model
    def _crm_efactura_download(self, record, name, raw, mimetype):
        """``raw`` stored as ``name`` on ``record``, and the action that
        downloads it."""
        attachment = self.create(
            {
                "name": name,
                "raw": raw,
                "mimetype": mimetype,
                "res_model": record._name,
                "res_id": record.id,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }
