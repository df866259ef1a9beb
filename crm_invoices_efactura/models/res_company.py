from odoo import api, fields, models


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

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        self.env["res.users"]._crm_efactura_sync_group()
        return companies

    def write(self, vals):
        result = super().write(vals)
        if {"country_id", "account_fiscal_country_id"} & set(vals):
            self.env["res.users"]._crm_efactura_sync_group()
        return result

    # l10n_ro_edi's OAuth credentials, which the exchange job uses: only
    # settings administrators read or write them, through any door (read,
    # search_read, read_group, export, RPC).  l10n_ro_edi declares them
    # without groups; the code that needs them reads them as superuser.
    l10n_ro_edi_client_id = fields.Char(groups="base.group_system")
    l10n_ro_edi_client_secret = fields.Char(groups="base.group_system")
    l10n_ro_edi_access_token = fields.Char(groups="base.group_system")
    l10n_ro_edi_refresh_token = fields.Char(groups="base.group_system")
