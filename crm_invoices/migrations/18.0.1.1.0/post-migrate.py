"""The reminder job moved from account.move to crm.invoices.reminder.engine
(its cron record is noupdate: point it at the new model here)."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    cron = env.ref("crm_invoices.ir_cron_crm_send_reminders", raise_if_not_found=False)
    if cron:
        cron.write(
            {
                "model_id": env["ir.model"]._get_id("crm.invoices.reminder.engine"),
                "code": "model._cron_send_reminders()",
            }
        )
