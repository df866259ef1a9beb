from odoo import models


class AccountChartTemplate(models.AbstractModel):
    _inherit = "account.chart.template"

    def _post_load_data(self, template_code, company, template_data):
        """EXTENDS account: loading a chart deletes the company's
        reconciliation models (ours, created with the company, included):
        they are made again once the chart is in place."""
        result = super()._post_load_data(template_code, company, template_data)
        company._crm_bank_reconcile_models()
        return result
