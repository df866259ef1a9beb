"""The addon's models are named ``crm.invoices.efactura.*``, like the rest of
the product (they were ``crm.efactura.*``): rename them, their tables and
their XML ids before the update, keeping every submission, answer and pause."""

from odoo.addons.crm_invoices.migration import rename_models

RENAMED = {
    f"crm.efactura.{name}": f"crm.invoices.efactura.{name}"
    for name in ("submission", "answer", "pause", "export", "digest", "exchange", "xml")
}


def migrate(cr, version):
    rename_models(cr, "crm_invoices_efactura", RENAMED)
