from datetime import timedelta

from odoo import Command, api, fields, models

from odoo.addons.crm_invoices.lib.perfex_recurrence import Recurrence

from ..lib import schedule_dates

#: (customer xmlid, line, amount, days ago issued, recurrence)
DEMO_SCHEDULES = [
    (
        "crm_invoices.demo_partner_carpati",
        "Hosting and maintenance (monthly)",
        450.0,
        27,
        Recurrence(1, "month"),
    ),
    (
        "base.res_partner_12",
        "Support retainer (weekly)",
        180.0,
        22,
        Recurrence(1, "week", cycles=8, custom=True),
    ),
    (
        "base.res_partner_2",
        "Software licence (quarterly)",
        1200.0,
        80,
        Recurrence(3, "month", cycles=4),
    ),
]


class CrmInvoicesDemo(models.AbstractModel):
    _inherit = "crm.invoices.demo"

    @api.model
    def _load_demo_schedules(self):
        """Three invoices that repeat (monthly, weekly, quarterly), and what
        the job has made of them so far."""
        if self.env["contract.contract"].search_count(
            [("crm_source_invoice_id", "!=", False)]
        ):
            return
        company = self.env.ref("base.main_company")
        today = fields.Date.context_today(self)
        schedules = self.env["contract.contract"]
        for xmlid, label, amount, days_ago, recurrence in DEMO_SCHEDULES:
            partner = self.env.ref(xmlid, raise_if_not_found=False)
            if not partner:
                continue
            issued = today - timedelta(days=days_ago)
            invoice = (
                self.env["account.move"]
                .with_company(company)
                .create(
                    {
                        "move_type": "out_invoice",
                        "partner_id": partner.id,
                        "invoice_date": issued,
                        "invoice_date_due": issued + timedelta(days=30),
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "name": label,
                                    "quantity": 1,
                                    "price_unit": amount,
                                    "tax_ids": [Command.clear()],
                                }
                            )
                        ],
                    }
                )
            )
            invoice.action_post()
            # from the invoice's date: what the job made since is there
            invoice._crm_set_schedule(
                recurrence,
                issued + schedule_dates.step(recurrence.unit, recurrence.interval),
            )
            schedules |= invoice.crm_schedule_id
        # what the job has made by today (no commit: inside the install)
        schedules.with_company(company)._recurring_create_invoice(today)
