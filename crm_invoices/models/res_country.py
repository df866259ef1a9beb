from odoo import api, fields, models

from ..lib.perfex_ids import PERFEX_COUNTRY_IDS


class ResCountry(models.Model):
    _inherit = "res.country"

    crm_perfex_id = fields.Integer(
        string="Perfex Id",
        index="btree_not_null",
        help="The id of this country in Perfex CRM: the REST API reads and writes "
        "billing_country / shipping_country with it.",
    )

    @api.model
    def _crm_load_perfex_ids(self):
        """Perfex's country ids, by ISO code (written together when flushed)."""
        for country in self.with_context(active_test=False).search(
            [("code", "in", list(PERFEX_COUNTRY_IDS))]
        ):
            perfex_id = PERFEX_COUNTRY_IDS[country.code]
            if country.crm_perfex_id != perfex_id:
                country.crm_perfex_id = perfex_id
