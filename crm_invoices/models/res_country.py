from odoo import api, fields, models
from odoo.tools import SQL

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
        """Perfex's country ids, by ISO code, in one statement."""
        self.flush_model(["code", "crm_perfex_id"])
        codes, ids = zip(*sorted(PERFEX_COUNTRY_IDS.items()), strict=True)
        self.env.execute_query(
            SQL(
                """
                UPDATE res_country country
                   SET crm_perfex_id = perfex.id
                  FROM unnest(%s::varchar[], %s::int[]) AS perfex(code, id)
                 WHERE country.code = perfex.code
                   AND country.crm_perfex_id IS DISTINCT FROM perfex.id
                """,
                list(codes),
                list(ids),
            )
        )
        self.invalidate_model(["crm_perfex_id"])
