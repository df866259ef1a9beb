"""The review list says something of every line: those never matched (an
import before this addon, a line created by hand) are matched now."""

from odoo import SUPERUSER_ID, api

from odoo.addons.crm_invoices_bank.hooks import match_waiting_lines


def migrate(cr, version):
    match_waiting_lines(api.Environment(cr, SUPERUSER_ID, {}))
