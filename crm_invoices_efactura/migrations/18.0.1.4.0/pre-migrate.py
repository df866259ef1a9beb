"""What ANAF has of an invoice is now read from l10n_ro_edi's own state;
the rest (waiting, being uploaded, refused here or by ANAF) is the exchange's
step, kept beside it.  Before the update: the step of each invoice from the
state it had (the state becomes computed from both)."""

from odoo.addons.crm_invoices_efactura.lib import efactura_states


def migrate(cr, version):
    cr.execute(
        "ALTER TABLE account_move ADD COLUMN IF NOT EXISTS crm_efactura_step varchar"
    )
    cr.execute(
        "UPDATE account_move SET crm_efactura_step = crm_efactura_state "
        "WHERE crm_efactura_state IN %s AND crm_efactura_step IS NULL",
        [tuple(key for key, _label in efactura_states.STEPS)],
    )
