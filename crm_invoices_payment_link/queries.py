"""The SQL of the pay links: only what the ORM cannot say.

Each query is named for what it does and tested
(``tests/test_queries.py``); the models call these, never ``cr.execute``.

- row locks (the ORM takes none): one payment of an invoice at a time,
  whatever the door;
- stamps a visitor's request writes without touching the record's
  ``write_date`` or its computed fields (a page view is not a change);
- a partial unique index (the ORM declares none).
"""

from odoo.tools import SQL


def create_one_open_link_index(cr):
    """One link that is not revoked per invoice (renewing revokes the old
    one first)."""
    cr.execute(
        SQL(
            "CREATE UNIQUE INDEX IF NOT EXISTS crm_invoices_pay_link_one_open "
            "ON crm_invoices_pay_link (move_id) WHERE revoked IS NOT TRUE"
        )
    )


def stamp_opened(env, links, now):
    """Write ``now`` as the "last opened" stamp of ``links`` (of any kind of
    link), and nothing else: not its ``write_date``, not its writer."""
    links.flush_recordset(["last_opened"])
    env.execute_query(
        SQL(
            "UPDATE %s SET last_opened = %s WHERE id IN %s",
            SQL.identifier(links._table),
            now,
            tuple(links.ids),
        )
    )
    links.invalidate_recordset(["last_opened"])


def lock_invoices_for_payment(env, moves, now):
    """Lock the rows of ``moves`` in id order (two payments of overlapping
    invoices never deadlock) until the end of the transaction, and stamp
    them ``crm_payment_started``: a payment started at the same time through
    another door waits for the lock, then fails to serialize on the stamp
    and is run again by Odoo, seeing the first one's transaction."""
    ids = tuple(sorted(moves.ids))
    moves.flush_recordset(["crm_payment_started"])
    env.execute_query(
        SQL(
            "SELECT id FROM account_move WHERE id IN %s ORDER BY id FOR NO KEY UPDATE",
            ids,
        )
    )
    env.execute_query(
        SQL(
            "UPDATE account_move SET crm_payment_started = %s WHERE id IN %s",
            now,
            ids,
        )
    )
    moves.invalidate_recordset(["crm_payment_started"])


def lock_unrecorded_transactions(env, transactions):
    """Those of ``transactions`` not post-processed yet that no other
    request or job is recording (locked until the end of the transaction;
    those another one holds are skipped, left to it)."""
    rows = env.execute_query(
        SQL(
            "SELECT id FROM payment_transaction "
            "WHERE id IN %s AND is_post_processed IS NOT TRUE "
            "ORDER BY id FOR NO KEY UPDATE SKIP LOCKED",
            tuple(transactions.ids),
        )
    )
    return transactions.browse([row[0] for row in rows])
