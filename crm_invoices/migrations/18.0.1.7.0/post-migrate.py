"""18.0.1.7.0:

- a customer statement is rendered on its own record (the reminder job posts
  them all through Odoo's mail composer at once): the statement template
  moves from the customer's contact to the statement;
- a reminder keeps the currency of the amount it showed (a snapshot).
"""

from odoo import SUPERUSER_ID, api

from odoo.addons.crm_invoices.migration import move_statement_template


def migrate(cr, version):
    move_statement_template(api.Environment(cr, SUPERUSER_ID, {}))
    cr.execute(
        """
        UPDATE crm_invoices_reminder reminder
           SET currency_id = move.currency_id
          FROM account_move move
         WHERE move.id = reminder.move_id AND reminder.currency_id IS NULL
        """
    )
