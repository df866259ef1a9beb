from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    crm_no_payment_reminders = fields.Boolean(
        string="No Payment Reminders",
        help="Never send automatic or manual payment reminders to this customer "
        "(its contacts included).",
    )

    def _commercial_fields(self):
        # Contacts follow their company's choice.
        return super()._commercial_fields() + ["crm_no_payment_reminders"]

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
