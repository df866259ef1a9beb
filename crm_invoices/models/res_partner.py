from collections import defaultdict

from odoo import api, fields, models


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "crm.invoices.export.mixin"]

    crm_perfex_id = fields.Integer(
        string="Perfex Client Id",
        copy=False,
        index="btree_not_null",
        help="The id of this customer in Perfex CRM, for REST API clients that "
        "kept Perfex's ids ('clientid'). Without one, the API uses the contact's "
        "Odoo id.",
    )
    crm_no_payment_reminders = fields.Boolean(
        string="No Payment Reminders",
        help="Never send automatic or manual payment reminders to this customer "
        "(its contacts included).",
    )

    _sql_constraints = [
        (
            "crm_perfex_id_uniq",
            "UNIQUE(crm_perfex_id)",
            "Another contact has this Perfex client id.",
        ),
    ]

    @api.model
    def _crm_of_api_clientid(self, clientid):
        """The contact an API ``clientid`` names: its Perfex id first, else its
        Odoo id (archived contacts included), under the caller's rights.  The
        one lookup of a customer the API's reader and writer share."""
        partners = self.with_context(active_test=False)
        return partners.search([("crm_perfex_id", "=", clientid)], limit=1) or (
            partners.search([("id", "=", clientid)], limit=1)
        )

    def _commercial_fields(self):
        # Contacts follow their company's choice.
        return super()._commercial_fields() + ["crm_no_payment_reminders"]

    def signup_get_auth_param(self):
        """No signup invitation in the links of a payment reminder.

        Preparing one writes the customer (``signup_type``): two reminder runs
        emailing invoices of the same customer would then conflict.  The
        reminder's links carry the invoice's access token instead.
        """
        if not self.env.context.get("crm_invoices_no_signup"):
            return super().signup_get_auth_param()
        with_users = self.sudo().filtered("user_ids").with_env(self.env)
        params = defaultdict(dict)
        params.update(super(ResPartner, with_users).signup_get_auth_param())
        return params

    def action_crm_open_ar_metrics(self):
        """The AR metrics of this customer (its whole commercial entity)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_invoices.crm_invoices_ar_report_action"
        )
        partner = self.commercial_partner_id
        action["display_name"] = f"{action['name']}: {partner.display_name}"
        action["domain"] = [("partner_id", "=", partner.id)]
        return action
