from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    crm_perfex_id = fields.Integer(
        string="Perfex Staff Id",
        copy=False,
        index="btree_not_null",
        help="The id of this user in Perfex CRM, for REST API clients that kept "
        "Perfex's ids ('sale_agent'). Without one, the API uses the Odoo id.",
    )

    _sql_constraints = [
        (
            "crm_perfex_id_uniq",
            "UNIQUE(crm_perfex_id)",
            "Another user has this Perfex staff id.",
        ),
    ]
