"""The SQL of the bank addon: only what the ORM cannot say, or says too
slowly where ``tests/bench/bench_bank.py`` measured it.

Each query is named for what it does and tested (``tests/test_queries.py``);
the models call these, never ``cr.execute``:

- row locks (a line is never reconciled twice, an invoice never paid twice
  by two lines at once; one job per chunk);
- what the matcher reads and writes for a whole statement in a few
  statements (the IBANs and names of every partner a company knows, the
  matches of thousands of lines), where the ORM would build a record per
  partner and write lines one by one;
- the identities of lines not created yet, inside the chunks' JSON.
"""

from odoo.tools import SQL


def bank_account_owners(env, companies):
    """``[(IBAN, commercial partner id)]`` of the active bank accounts usable
    by ``companies`` (theirs and those of no company)."""
    env["res.partner.bank"].flush_model(
        ["sanitized_acc_number", "partner_id", "active", "company_id"]
    )
    env["res.partner"].flush_model(["commercial_partner_id"])
    return env.execute_query(
        SQL(
            """
            SELECT bank.sanitized_acc_number, partner.commercial_partner_id
              FROM res_partner_bank bank
              JOIN res_partner partner ON partner.id = bank.partner_id
             WHERE bank.active
               AND (bank.company_id IS NULL OR bank.company_id IN %s)
            """,
            tuple(companies.ids) or (0,),
        )
    )


def partner_names(env, company):
    """``[(partner id, name, commercial partner id)]`` of every active
    partner ``company`` knows (its own and those of no company): 20,000 rows
    read as tuples, not records."""
    env["res.partner"].flush_model(
        ["name", "commercial_partner_id", "company_id", "active"]
    )
    return env.execute_query(
        SQL(
            """
            SELECT id, name, commercial_partner_id
              FROM res_partner
             WHERE active AND name IS NOT NULL
               AND (company_id IS NULL OR company_id = %s)
            """,
            company.id,
        )
    )


def store_matches(env, lines, results):
    """Write the matches ``{line id: Match}`` of ``lines`` in three
    statements (``UPDATE ... FROM VALUES``, and the suggested invoices
    replaced in the relation) instead of a write per line."""
    lines.flush_model()
    rows = [
        SQL(
            "(%s, %s, %s, %s)",
            line_id,
            match.kind,
            match.confidence,
            ",".join(match.reasons),
        )
        for line_id, match in results.items()
    ]
    env.cr.execute(
        SQL(
            """
            UPDATE account_bank_statement_line line
               SET crm_match_kind = data.kind,
                   crm_match_confidence = data.confidence,
                   crm_match_reasons = NULLIF(data.reasons, '')
              FROM (VALUES %s) AS data(id, kind, confidence, reasons)
             WHERE line.id = data.id
            """,
            SQL(", ").join(rows),
        )
    )
    env.cr.execute(
        SQL(
            "DELETE FROM crm_bank_statement_line_match_rel WHERE line_id IN %s",
            tuple(results),
        )
    )
    pairs = [
        SQL("(%s, %s)", line_id, move_id)
        for line_id, match in results.items()
        for move_id in match.invoice_ids
    ]
    if pairs:
        env.cr.execute(
            SQL(
                "INSERT INTO crm_bank_statement_line_match_rel (line_id, move_id) "
                "VALUES %s ON CONFLICT DO NOTHING",
                SQL(", ").join(pairs),
            )
        )
    lines.invalidate_model(
        [
            "crm_match_kind",
            "crm_match_confidence",
            "crm_match_reasons",
            "crm_match_move_ids",
        ]
    )


def lock_for_reconciliation(env, line, receivables):
    """Lock the statement ``line``, then the invoices' ``receivables`` in id
    order, until the end of the transaction: a second reconciliation of the
    line, or of the invoices by another line, waits, then reads what the
    first one did."""
    env.cr.execute(
        SQL(
            "SELECT id FROM account_bank_statement_line WHERE id = %s FOR UPDATE",
            line.id,
        )
    )
    if receivables:
        env.cr.execute(
            SQL(
                "SELECT id FROM account_move_line WHERE id IN %s "
                "ORDER BY id FOR UPDATE",
                tuple(receivables.ids),
            )
        )


def pending_import_identities(env):
    """``[(import identity,)]`` of the lines the chunks still hold (a file
    imported again before its lines are created is imported already)."""
    return env.execute_query(
        SQL(
            "SELECT line->>'unique_import_id' "
            "FROM crm_invoices_bank_import_chunk chunk, "
            "jsonb_array_elements(chunk.transactions) line "
            "WHERE chunk.error IS NULL"
        )
    )


def take_next_chunk(chunks):
    """The next chunk to create lines from (statement and sequence order),
    locked; one another job holds is skipped (an empty recordset when none
    is left)."""
    rows = chunks.env.execute_query(
        SQL(
            "SELECT id FROM crm_invoices_bank_import_chunk WHERE error IS NULL "
            "ORDER BY statement_id, sequence, id LIMIT 1 FOR UPDATE SKIP LOCKED"
        )
    )
    return chunks.browse([row[0] for row in rows])
