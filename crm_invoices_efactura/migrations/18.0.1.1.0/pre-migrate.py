"""List views are named ``*_view_list`` (Odoo 18's name): rename the ids
before the update loads the views under their new names."""

from odoo.addons.crm_invoices.migration import list_view_renames, rename_xmlids

#: The list views' ids before this version, and after.
RENAMED = list_view_renames(
    "account_move_view_tree",
)


def migrate(cr, version):
    rename_xmlids(cr, "crm_invoices_efactura", RENAMED)
