from odoo import api, models


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        self._crm_efactura_sync_group()
        return users

    def write(self, vals):
        result = super().write(vals)
        if {"company_ids", "company_id", "share", "groups_id", "active"} & set(vals):
            self._crm_efactura_sync_group()
        return result

    @api.model
    def _crm_efactura_sync_group(self):
        """e-Factura (its menus, buttons, columns and filters) is shown to
        the internal users who work for a Romanian company, and to nobody
        else: the group :ref:`crm_invoices_efactura.group_efactura` holds
        exactly them (a company moving country, a user given or taken a
        company, keep it so)."""
        group = self.env.ref(
            "crm_invoices_efactura.group_efactura", raise_if_not_found=False
        )
        if not group:  # the module is being installed: its hook syncs it
            return
        romanian = (
            self.env["res.company"]
            .sudo()
            .search([("account_fiscal_country_id.code", "=", "RO")])
        )
        members = (
            self.sudo()
            .with_context(active_test=False)
            .search([("share", "=", False), ("company_ids", "in", romanian.ids)])
            if romanian
            else self.browse()
        )
        if set(group.sudo().users.ids) != set(members.ids):
            group.sudo().with_context(crm_efactura_syncing=True).users = members
