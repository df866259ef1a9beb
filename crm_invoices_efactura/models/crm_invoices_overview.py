from odoo import api, models

from ..lib import efactura_states


class CrmInvoicesOverview(models.AbstractModel):
    _inherit = "crm.invoices.overview"

    @api.model
    def _crm_overview_todo(self, company):
        items = super()._crm_overview_todo(company)
        if company.account_fiscal_country_id.code != "RO":
            return items
        domain = [
            ("company_id", "=", company.id),
            ("state", "=", "posted"),
            "|",
            ("crm_efactura_state", "in", efactura_states.TO_CORRECT),
            ("crm_efactura_urgency", "in", ("late", "today")),
        ]
        items.append(
            {
                "key": "efactura",
                "label": self.env._("e-Factura to fix"),
                "count": self.env["account.move"].search_count(domain),
                "help": self.env._(
                    "Rejected by ANAF, in error, or to report today or already late."
                ),
                "action": self._crm_invoices_action(
                    self.env._("e-Factura to Fix"), domain
                ),
            }
        )
        return items
