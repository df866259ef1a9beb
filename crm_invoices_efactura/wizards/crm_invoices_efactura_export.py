import io
import zipfile

from odoo import fields, models
from odoo.exceptions import UserError


class CrmInvoicesEfacturaExport(models.TransientModel):
    """A ZIP of a period's e-Factura files: the XML ANAF has of each invoice
    and ANAF's answer (its signed ZIP, or its errors)."""

    _name = "crm.invoices.efactura.export"
    _description = "Export e-Factura Files"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To", required=True)

    def _moves(self):
        return self.env["account.move"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("state", "=", "posted"),
                ("invoice_date", ">=", self.date_from),
                ("invoice_date", "<=", self.date_to),
                ("crm_efactura_submission_ids", "!=", False),
            ],
            order="invoice_date, name",
        )

    def _zip(self, moves):
        buffer = io.BytesIO()
        submissions = moves.crm_efactura_submission_ids.sudo()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for move in moves:
                name = move.name.replace("/", "_")
                mine = submissions.filtered(lambda sub, move=move: sub.move_id == move)
                last = mine.filtered("xml_attachment_id")[:1]
                if last:
                    archive.writestr(f"{name}/{name}.xml", last.xml_attachment_id.raw)
                for submission in mine.filtered("answer_attachment_id"):
                    archive.writestr(
                        f"{name}/anaf_{submission.index}.zip",
                        submission.answer_attachment_id.raw,
                    )
        return buffer.getvalue()

    def action_export(self):
        self.ensure_one()
        if self.date_from > self.date_to:
            raise UserError(self.env._("The period ends before it starts."))
        moves = self._moves()
        if not moves:
            raise UserError(self.env._("No invoice of the period was sent to ANAF."))
        return self.env["ir.attachment"]._crm_efactura_download(
            self,
            f"efactura_{self.date_from}_{self.date_to}.zip",
            self._zip(moves),
            "application/zip",
        )
