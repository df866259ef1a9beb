"""e-Factura is shown to the users of Romanian companies only: the group
that says who they are is filled for an existing database."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    api.Environment(cr, SUPERUSER_ID, {})["res.users"]._crm_efactura_sync_group()
