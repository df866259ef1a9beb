from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_efactura_artifacts_path = fields.Char(
        string="ANAF Validation Files",
        config_parameter="crm_invoices_efactura.artifacts_path",
        help="Folder of the official validation files (UBL 2.1 XSD, EN 16931 and "
        "CIUS-RO XSLT): see the addon's README. Without them, local validation "
        "is off and nothing is sent.",
    )
    crm_efactura_auto_send = fields.Boolean(
        related="company_id.crm_efactura_auto_send", readonly=False
    )
    crm_efactura_accountant_id = fields.Many2one(
        related="company_id.crm_efactura_accountant_id", readonly=False
    )
