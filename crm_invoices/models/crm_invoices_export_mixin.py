from odoo import models

from ..lib import spreadsheet


class CrmInvoicesExportMixin(models.AbstractModel):
    """Exports of records whose text comes from outside (bank files,
    customers, API clients) are safe to open in a spreadsheet: text that a
    spreadsheet would run as a formula is exported as text
    (:func:`spreadsheet.inert`), in CSV and XLSX alike."""

    _name = "crm.invoices.export.mixin"
    _description = "Spreadsheet-safe export"

    def export_data(self, fields_to_export):
        result = super().export_data(fields_to_export)
        if result.get("datas"):
            result["datas"] = spreadsheet.inert_rows(result["datas"])
        return result
