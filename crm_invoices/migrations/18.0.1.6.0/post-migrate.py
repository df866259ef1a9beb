"""Customer statements are kept on a record of their own, readable only by
those who may see the company's invoices: those sent before were posted on
the customers' contacts, which every employee reads, with the link that pays
them; they move to their statements."""

from odoo import SUPERUSER_ID, api

from odoo.addons.crm_invoices.migration import move_statements_off_contacts


def migrate(cr, version):
    move_statements_off_contacts(api.Environment(cr, SUPERUSER_ID, {}))
