"""The state of every invoice e-Factura knows, computed again from
l10n_ro_edi's state and the exchange's step (see pre-migrate)."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    moves = env["account.move"].search(
        ["|", ("crm_efactura_state", "!=", False), ("crm_efactura_step", "!=", False)]
    )
    env.add_to_compute(moves._fields["crm_efactura_state"], moves)
    moves.flush_recordset(["crm_efactura_state"])
