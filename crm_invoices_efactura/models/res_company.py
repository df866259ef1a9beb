from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    crm_efactura_auto_send = fields.Boolean(
        string="Send e-Factura Automatically",
        default=True,
        help="Posted customer invoices and credit notes are checked and sent to "
        "ANAF by the exchange job, without a click.",
    )
    crm_efactura_accountant_id = fields.Many2one(
        "res.users",
        string="e-Factura Accountant",
        help="Receives the daily e-Factura digest: invoices late, due today, "
        "rejected or in error.",
    )
