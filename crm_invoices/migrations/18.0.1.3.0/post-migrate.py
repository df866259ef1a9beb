"""Credit notes have statuses of their own (open, applied, refunded): give the
posted ones theirs (they were stored with an invoice's: unpaid, paid...)."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    moves = env["account.move"]
    credit_notes = moves.search(
        [("move_type", "=", "out_refund"), ("state", "=", "posted")]
    )
    env.add_to_compute(moves._fields["crm_status"], credit_notes)
    credit_notes.flush_recordset(["crm_status"])
