from odoo import api, models

from odoo.addons.crm_invoices.lib import perfex_recurrence


class CrmInvoicesApi(models.AbstractModel):
    _inherit = "crm.invoices.api"

    @api.model
    def _serialize(self, invoices, detail=False, shape="perfex"):
        """Perfex's recurring keys say how each invoice repeats, how many
        invoices its schedule made and when, and which invoice a schedule's
        invoice repeats."""
        rows = super()._serialize(invoices, detail=detail, shape=shape)
        if shape == "typed":
            return rows
        moves = invoices.sudo()
        schedules = moves.crm_schedule_ids | moves.crm_recurring_contract_id
        schedules.fetch(["crm_source_invoice_id", "active"])
        by_id = {move.id: move for move in moves}
        for row in rows:
            move = by_id.get(int(row.get("id") or 0))
            if not move or "recurring" not in row:
                continue
            schedule = move.crm_schedule_id
            source = move.crm_recurring_contract_id.crm_source_invoice_id
            made = move.crm_schedule_ids
            row.update(
                perfex_recurrence.answer(
                    schedule._crm_recurrence() if schedule else None,
                    total_cycles=sum(made.mapped("crm_total_cycles")),
                    last_date=max(
                        (d for d in made.mapped("crm_last_recurring_date") if d),
                        default=None,
                    ),
                    source_id=source.id,
                )
            )
        return rows
