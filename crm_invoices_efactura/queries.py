"""The SQL of e-Factura: what makes an invoice go to ANAF once.

Each query is named for what it does and tested (``tests/test_queries.py``);
the models call these, never ``cr.execute``:

- the partial unique index that allows one live upload per invoice (the ORM
  declares none), and the claim that relies on it without an error;
- the next invoice to upload, locked, skipping those another run holds.
"""

from odoo.tools import SQL

from .lib import efactura_states


def create_one_live_submission_index(cr):
    """At most one live submission (uploaded, being uploaded, or whose
    outcome is unknown) per invoice."""
    cr.execute(
        SQL(
            "CREATE UNIQUE INDEX IF NOT EXISTS "
            "crm_invoices_efactura_submission_one_live "
            "ON crm_invoices_efactura_submission (move_id) WHERE state IN %s",
            efactura_states.LIVE_SUBMISSIONS,
        )
    )


def claim_upload(submissions, move, attachment, now):
    """The submission of an upload of ``move`` about to start (its XML:
    ``attachment``), or an empty recordset when the invoice has a live one:
    the unique index decides, without an error in the log."""
    submissions.flush_model()
    rows = submissions.env.execute_query(
        SQL(
            """
            INSERT INTO crm_invoices_efactura_submission
                   (move_id, company_id, state, xml_attachment_id,
                    attempt_date, check_count, adopted,
                    create_uid, create_date, write_uid, write_date)
            VALUES (%s, %s, 'uploading', %s, %s, 0, false, %s, %s, %s, %s)
            ON CONFLICT DO NOTHING
            RETURNING id
            """,
            move.id,
            move.company_id.id,
            attachment.id,
            now,
            submissions.env.uid,
            now,
            submissions.env.uid,
            now,
        )
    )
    return submissions.browse([row[0] for row in rows])


def take_next_to_upload(moves, exclude):
    """The posted invoice waiting to be uploaded that is most urgent (its
    deadline first), locked; those in ``exclude`` (ids) and those another
    run holds are skipped.  An empty recordset when none is left."""
    moves.flush_model(["crm_efactura_state", "crm_efactura_deadline", "state"])
    rows = moves.env.execute_query(
        SQL(
            """
            SELECT id FROM account_move
             WHERE crm_efactura_state = 'to_send' AND state = 'posted'
               AND id NOT IN %s
             ORDER BY crm_efactura_deadline NULLS LAST, id
             LIMIT 1
             FOR UPDATE SKIP LOCKED
            """,
            tuple(exclude) or (0,),
        )
    )
    return moves.browse([row[0] for row in rows])
