"""The matcher is ``crm.invoices.bank.matcher``, like the rest of the product
(it was ``crm.bank.matcher``)."""

from odoo.addons.crm_invoices.migration import rename_models

RENAMED = {"crm.bank.matcher": "crm.invoices.bank.matcher"}


def migrate(cr, version):
    rename_models(cr, "crm_invoices_bank", RENAMED)
