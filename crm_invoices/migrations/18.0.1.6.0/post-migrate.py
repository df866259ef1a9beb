"""18.0.1.6.0:

- Customer statements are kept on a record of their own, readable only by
  those who may see the company's invoices: those sent before were posted on
  the customers' contacts, which every employee reads, with the link that
  pays them; they move to their statements.
- An invoice settled by credit notes alone is *credited*, no longer
  *cancelled* (a collector reads "cancelled" as voided).
"""

from odoo import SUPERUSER_ID, api

from odoo.addons.crm_invoices.migration import move_statements_off_contacts


def migrate(cr, version):
    move_statements_off_contacts(api.Environment(cr, SUPERUSER_ID, {}))
    cr.execute(
        """
        UPDATE account_move SET crm_status = 'credited'
         WHERE move_type = 'out_invoice' AND state = 'posted'
           AND payment_state = 'reversed' AND crm_status = 'cancelled'
        """
    )
