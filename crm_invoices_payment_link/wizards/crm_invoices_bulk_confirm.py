from odoo import api, fields, models


class CrmInvoicesBulkConfirm(models.TransientModel):
    _inherit = "crm.invoices.bulk.confirm"

    operation = fields.Selection(
        selection_add=[("renew_links", "Renew Pay Links")],
        ondelete={"renew_links": "cascade"},
    )

    @api.model
    def _crm_operations(self):
        return {
            **super()._crm_operations(),
            "renew_links": (
                "action_crm_renew_pay_links",
                self.env._(
                    "%(count)s invoice(s) will get a new pay link: their current "
                    "links stop working at once."
                ),
            ),
        }
