from odoo import models

from odoo.addons.account.models.chart_template import template

from ..lib.ro_taxes import RO_SALE_TAXES


class AccountChartTemplate(models.AbstractModel):
    _inherit = "account.chart.template"

    @template("ro", "account.tax")
    def _get_ro_crm_efactura_account_tax(self):
        """The e-Factura VAT category of the Romanian chart's sales taxes, for
        the companies that load the chart from now on (the install hook sets
        it on those that have it already)."""
        return {
            xmlid: {
                "ubl_cii_tax_category_code": category,
                "ubl_cii_tax_exemption_reason_code": code or False,
                "crm_efactura_exemption_reason": reason or False,
            }
            for xmlid, (category, code, reason) in RO_SALE_TAXES.items()
        }
