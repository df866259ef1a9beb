"""The SQL of the Invoices app: only what the ORM cannot say, or says too
slowly where a benchmark measured it (``tests/bench``).

Each query is named for what it does and tested (``tests/test_queries.py``);
the models call these, never ``cr.execute``:

- row locks and stamps (the ORM takes no lock and always writes
  ``write_date``);
- statements that must run in a transaction of their own (the API's
  request counter);
- the REST API's page: three statements for 100 invoices instead of the
  ORM's per-field reads (``bench_api.py``: the page against Odoo's
  ``search_read``);
- aggregates over reconciliations and the reminder ladder, one statement
  for a whole batch.
"""

from psycopg2.extensions import TRANSACTION_STATUS_IDLE

from odoo.tools import SQL

from .lib import api_token
from .lib.api_fields import ODOO_FIELDS

#: The plain fields' columns, under their API keys (see ``lib/api_fields``).
_PLAIN_COLUMNS = SQL(", ").join(
    SQL("move.%s AS %s", SQL.identifier(field), SQL.identifier(key))
    for key, field in ODOO_FIELDS.items()
)


# ----------------------------------------------------------------------
# the REST API's page
# ----------------------------------------------------------------------


def api_invoice_rows(env, ids):
    """The columns of the invoices ``ids`` the API's answers read (dicts),
    with their customer's, currency's and salesperson's (one statement)."""
    return env.execute_query_dict(
        SQL(
            """
            SELECT move.id, move.name, move.sequence_prefix, move.sequence_number,
                   move.crm_client_number AS client_number,
                   move.commercial_partner_id AS clientid,
                   COALESCE(customer.crm_perfex_id, customer.id) AS perfex_clientid,
                   move.partner_id, move.partner_shipping_id,
                   move.invoice_date, move.invoice_date_due,
                   move.currency_id, currency.name AS currency_name,
                   currency.symbol AS currency_symbol,
                   currency.position AS currency_position,
                   currency.decimal_places,
                   COALESCE(currency.crm_perfex_id::text, currency.name)
                       AS perfex_currency,
                   currency.id = company.currency_id AS is_company_currency,
                   company_currency.decimal_places AS company_digits,
                   move.amount_untaxed, move.amount_tax, move.amount_total,
                   move.amount_residual, move.amount_residual_signed,
                   move.crm_status, move.is_move_sent AS is_sent,
                   move.crm_date_sent AS date_sent,
                   %s,
                   COALESCE(agent.crm_perfex_id, agent.id) AS sale_agent,
                   move.crm_last_reminder_date AS last_reminder_date,
                   move.crm_last_reminder_level_id AS last_reminder_level_id,
                   move.create_uid, move.create_date, move.move_type,
                   move.state, move.payment_state, move.company_id,
                   move.access_token
              FROM account_move move
              JOIN res_currency currency ON currency.id = move.currency_id
              JOIN res_company company ON company.id = move.company_id
              JOIN res_currency company_currency
                   ON company_currency.id = company.currency_id
         LEFT JOIN res_partner customer ON customer.id = move.commercial_partner_id
         LEFT JOIN res_users agent ON agent.id = move.invoice_user_id
             WHERE move.id IN %s
            """,
            _PLAIN_COLUMNS,
            ids,
        )
    )


def api_line_sums(env, ids):
    """``[(invoice id, common discount %, gross, discount, adjustment)]``:
    Perfex's subtotal (quantity x rate before discount), discount, the
    discount of all items when they share one, and the adjustment line."""
    return env.execute_query(
        SQL(
            """
            SELECT line.move_id,
                   CASE WHEN COUNT(DISTINCT line.discount) FILTER (
                                 WHERE line.crm_is_adjustment IS NOT TRUE
                             ) = 1
                        THEN MAX(line.discount) FILTER (
                                 WHERE line.crm_is_adjustment IS NOT TRUE
                             )
                   END,
                   SUM(line.quantity * line.price_unit) FILTER (
                       WHERE line.crm_is_adjustment IS NOT TRUE
                   ),
                   SUM(line.quantity * line.price_unit * line.discount / 100)
                       FILTER (WHERE line.crm_is_adjustment IS NOT TRUE),
                   SUM(line.quantity * line.price_unit) FILTER (
                       WHERE line.crm_is_adjustment
                   )
              FROM account_move_line line
             WHERE line.move_id IN %s
               AND line.display_type = 'product'
          GROUP BY line.move_id
            """,
            ids,
        )
    )


def api_addresses(env, partner_ids):
    """``[(contact id, street, city, state name, zip, country, country id)]``
    (country: its Perfex id, else its ISO code)."""
    return env.execute_query(
        SQL(
            """
            SELECT partner.id, partner.street, partner.city, state.name,
                   partner.zip,
                   COALESCE(country.crm_perfex_id::text, country.code),
                   partner.country_id
              FROM res_partner partner
         LEFT JOIN res_country_state state ON state.id = partner.state_id
         LEFT JOIN res_country country ON country.id = partner.country_id
             WHERE partner.id IN %s
            """,
            partner_ids,
        )
    )


# ----------------------------------------------------------------------
# invoices
# ----------------------------------------------------------------------


def last_receivable_reconciliation_dates(env, moves):
    """``{invoice id: the last date something was reconciled with its
    receivable}`` for ``moves`` (one statement)."""
    env["account.partial.reconcile"].flush_model()
    env["account.move.line"].flush_model(["move_id", "account_id"])
    return dict(
        env.execute_query(
            SQL(
                """
                SELECT line.move_id, MAX(part.max_date)
                  FROM account_move_line line
                  JOIN account_account account ON account.id = line.account_id
                  JOIN account_partial_reconcile part
                    ON line.id IN (part.debit_move_id, part.credit_move_id)
                 WHERE line.move_id IN %s
                   AND account.account_type = 'asset_receivable'
              GROUP BY line.move_id
                """,
                tuple(moves.ids),
            )
        )
    )


def ensure_access_tokens(env, moves):
    """Give those of ``moves`` without one a portal access token, in one
    statement (Odoo's ``_portal_ensure_token`` writes the invoices one at a
    time, each a full ``account.move`` write)."""
    moves.flush_recordset(["access_token"])
    env.execute_query(
        SQL(
            "UPDATE account_move SET access_token = gen_random_uuid()::text "
            "WHERE id IN %s AND access_token IS NULL",
            tuple(moves.ids),
        )
    )
    moves.invalidate_recordset(["access_token"])


# ----------------------------------------------------------------------
# reminders
# ----------------------------------------------------------------------


def reminder_candidates(env, eligible, today):
    """``[(invoice id, company id, days late, [[level id, delay days]])]``:
    the invoices of the query ``eligible`` (the rule's domain, searched under
    the user's record rules) with the levels each already got, in one
    statement."""
    env["crm.invoices.reminder"].flush_model(["move_id", "level_id"])
    env["account.move"].flush_model(["company_id", "invoice_date_due"])
    return env.execute_query(
        SQL(
            """
            SELECT move.id,
                   move.company_id,
                   %(today)s::date - move.invoice_date_due,
                   COALESCE(
                       ARRAY_AGG(ARRAY[level.id, level.delay_days])
                           FILTER (WHERE level.id IS NOT NULL),
                       '{}'
                   )
              FROM account_move move
         LEFT JOIN crm_invoices_reminder reminder ON reminder.move_id = move.id
         LEFT JOIN crm_invoices_reminder_level level ON level.id = reminder.level_id
             WHERE move.id IN %(eligible)s
          GROUP BY move.id
          ORDER BY move.id
            """,
            today=today,
            eligible=eligible.subselect(),
        )
    )


def lock_free_invoices(env, moves):
    """Lock those of ``moves`` no other transaction holds (in id order,
    until the end of the transaction) and return them; the others are left
    out.  A row another run changed since this transaction began raises
    a serialization error (REPEATABLE READ): the caller takes nothing then."""
    rows = env.execute_query(
        SQL(
            "SELECT id FROM account_move WHERE id IN %s "
            "ORDER BY id FOR UPDATE SKIP LOCKED",
            tuple(moves.ids),
        )
    )
    return moves.browse([row[0] for row in rows])


# ----------------------------------------------------------------------
# the REST API's bookkeeping
# ----------------------------------------------------------------------


def claim_idempotency_key(env, token_id, key, request_hash, now, lifetime):
    """Reserve the idempotency ``key`` of the token for this request.

    A key older than ``lifetime`` is forgotten first.  Two requests with one
    key at once: the second waits on the unique index, then (REPEATABLE READ)
    fails to serialize and Odoo retries it, when it finds the first one's
    answer -- expected, so not logged as an error.

    :return: ``(new record id, None)``, or ``(None, (request hash, status,
        body))`` of the request that holds the key
    """
    env.execute_query(
        SQL(
            "DELETE FROM crm_invoices_api_idempotency "
            "WHERE token_id = %s AND key = %s AND created < %s",
            token_id,
            key,
            now - lifetime,
        )
    )
    env.cr.execute(
        SQL(
            """
            INSERT INTO crm_invoices_api_idempotency
                   (token_id, key, request_hash, created)
            VALUES (%s, %s, %s, %s)
            ON CONFLICT (token_id, key) DO NOTHING
            RETURNING id
            """,
            token_id,
            key,
            request_hash,
            now,
        ),
        log_exceptions=False,
    )
    rows = env.cr.fetchall()
    if rows:
        return rows[0][0], None
    [stored] = env.execute_query(
        SQL(
            "SELECT request_hash, status_code, response_body "
            "FROM crm_invoices_api_idempotency WHERE token_id = %s AND key = %s",
            token_id,
            key,
        )
    )
    return None, stored


#: How a request is counted: at once, never failing on a parallel request's
#: count (READ COMMITTED waits for its row lock instead) and without waiting
#: for the disk (bookkeeping, not books).
COUNTING_TRANSACTION = SQL(
    "SET TRANSACTION ISOLATION LEVEL READ COMMITTED;"
    " SET LOCAL synchronous_commit TO OFF"
)


def count_token_request(env, digest, now):
    """Count a request of the token of ``digest`` (its rate window, its
    request count, when it was last used) and read what the request needs,
    in one statement run in a short transaction of its own (READ COMMITTED,
    asynchronous commit): parallel requests of one token wait on the row
    lock for the length of one UPDATE and never fail on it.

    On the request's own cursor when it has not started its transaction yet
    (an API request: authentication comes first): the statement then makes
    its first transaction, committed at once, and the request's work runs in
    the next one -- no second connection borrowed from the pool per request
    (a sixth of a page's time).  Otherwise (and in tests, whose cursors share
    one transaction) on a cursor of its own.

    :return: the token's row (see the ``RETURNING``), or ``None`` when no
        live token has ``digest``
    """
    restarts = SQL(api_token.window_restarts_sql("rate_window_start"), now=now)
    statement = SQL(
        """
        UPDATE crm_invoices_api_token token
           SET rate_window_start = CASE WHEN %(restarts)s THEN %(now)s
                                        ELSE rate_window_start END,
               rate_window_count = CASE WHEN %(restarts)s THEN 1
                                        ELSE rate_window_count + 1 END,
               request_count = COALESCE(request_count, 0) + 1,
               last_used = (now() AT TIME ZONE 'UTC')
         WHERE token_hash = %(digest)s
           AND revoked IS NOT TRUE
           AND (expiry_date IS NULL OR expiry_date > (now() AT TIME ZONE 'UTC'))
     RETURNING id, token_hash, rate_limit, rate_window_start, rate_window_count,
               user_id, company_id,
               scope_read, scope_create, scope_update, scope_delete, scope_webhooks,
               (SELECT active FROM res_users WHERE id = token.user_id),
               (SELECT partner.tz FROM res_users users
                  JOIN res_partner partner ON partner.id = users.partner_id
                 WHERE users.id = token.user_id),
               ARRAY(
                   SELECT rel.company_id
                     FROM crm_invoices_api_token_company_rel rel
                    WHERE rel.token_id = token.id
               ),
               ARRAY(
                   SELECT rel.cid FROM res_company_users_rel rel
                    WHERE rel.user_id = token.user_id
               )
        """,
        restarts=restarts,
        now=now,
        digest=digest,
    )
    cr = env.cr
    testing = env.registry.in_test_mode()
    if not testing and cr._cnx.info.transaction_status == TRANSACTION_STATUS_IDLE:
        cr.execute(SQL("%s; %s", COUNTING_TRANSACTION, statement))
        row = cr.fetchone()
        cr.commit()  # pylint: disable=invalid-commit
        return row
    with env.registry.cursor() as own:
        if not testing:
            own.execute(COUNTING_TRANSACTION)
        own.execute(statement)
        return own.fetchone()


# ----------------------------------------------------------------------
# late-payment interest
# ----------------------------------------------------------------------


def create_one_compensation_index(cr):
    """One recovery compensation per invoice (the ORM declares no partial
    unique index)."""
    cr.execute(
        SQL(
            "CREATE UNIQUE INDEX IF NOT EXISTS crm_invoices_late_charge_one_comp "
            "ON crm_invoices_late_charge (move_id) WHERE kind = 'compensation'"
        )
    )


def late_interest_still_owed(end, since):
    """The condition (on ``account_move``, the alias of an ORM query) of an
    interest-bearing invoice that owes days not charged up to ``end``: days
    after the last one charged, and either still open or paid after them
    (a payment dated from ``since``, the day the company invoices interest
    from, on)."""
    return SQL(
        """
        COALESCE(
            (SELECT max(charge.date_to)
               FROM crm_invoices_late_charge charge
              WHERE charge.move_id = account_move.id
                AND charge.kind = 'interest'),
            account_move.invoice_date_due
        ) < %(end)s
        AND (
            account_move.amount_residual > 0
            OR EXISTS (
                SELECT 1
                  FROM account_move_line line
                  JOIN account_partial_reconcile partial
                    ON partial.debit_move_id = line.id
                 WHERE line.move_id = account_move.id
                   AND partial.max_date > account_move.invoice_date_due
                   AND partial.max_date >= %(since)s
                   AND partial.max_date > COALESCE(
                        (SELECT max(charge.date_to)
                           FROM crm_invoices_late_charge charge
                          WHERE charge.move_id = account_move.id
                            AND charge.kind = 'interest'),
                        account_move.invoice_date_due)
            )
        )
        """,
        end=end,
        since=since,
    )


# ----------------------------------------------------------------------
# reports
# ----------------------------------------------------------------------


def plan_one_big_statement(cr):
    """For the rest of the transaction: no JIT compilation (PostgreSQL's cost
    estimate of the trend's one statement triggers it, and compiling takes
    longer than running: 1.3 of 3.4 s on 100,000 invoices) and room to hash
    its joins in memory."""
    cr.execute(SQL("SET LOCAL jit = off"))
    cr.execute(SQL("SET LOCAL work_mem = '64MB'"))


# ----------------------------------------------------------------------
# webhooks
# ----------------------------------------------------------------------


def lease_next_webhook(webhooks, now, busy, batch):
    """Lease the active webhook whose oldest due delivery is the oldest,
    skipping those another lane holds (row lock or lease) and ``busy``: for
    as long as ``batch`` deliveries may take it (their timeouts) and half a
    minute.  The lease is on the webhook's delivery state, never on the
    webhook's row.  :return: the webhook (an empty recordset when none is
    due)."""
    webhooks.flush_model(["active", "timeout"])
    env = webhooks.env
    env["crm.invoices.webhook.state"].flush_model(["webhook_id", "lease_until"])
    env["crm.invoices.webhook.delivery"].flush_model(
        ["webhook_id", "state", "next_attempt"]
    )
    # a lane that meets another's lease is told so (a serialization failure),
    # which is no error to log: Odoo's cron runner acquires its jobs alike
    env.cr.execute(
        SQL(
            """
            UPDATE crm_invoices_webhook_state state
               SET lease_until = %(now)s
                   + make_interval(secs => hook.timeout * %(batch)s + 30)
              FROM crm_invoices_webhook hook
             WHERE hook.id = state.webhook_id
               AND state.id = (
                   SELECT candidate.id
                     FROM crm_invoices_webhook_state candidate
                     JOIN crm_invoices_webhook active_hook
                       ON active_hook.id = candidate.webhook_id
                     JOIN LATERAL (
                          SELECT min(delivery.next_attempt) AS due
                            FROM crm_invoices_webhook_delivery delivery
                           WHERE delivery.webhook_id = candidate.webhook_id
                             AND delivery.state = 'pending'
                             AND delivery.next_attempt <= %(now)s
                          ) oldest ON oldest.due IS NOT NULL
                    WHERE active_hook.active
                      AND (candidate.lease_until IS NULL
                           OR candidate.lease_until <= %(now)s)
                      AND NOT candidate.webhook_id = ANY(%(busy)s)
                    ORDER BY oldest.due, candidate.webhook_id
                    LIMIT 1
                      FOR UPDATE OF candidate SKIP LOCKED
                   )
         RETURNING state.webhook_id
            """,
            now=now,
            batch=batch,
            busy=list(busy),
        ),
        log_exceptions=False,
    )
    rows = env.cr.fetchall()
    env["crm.invoices.webhook.state"].invalidate_model(["lease_until"])
    webhooks.invalidate_model(["lease_until"])
    return webhooks.browse([row[0] for row in rows])


def stored_move_values(env, ids, names):
    """``{id: {name: value}}`` of the columns ``names`` of the moves ``ids``
    as the database holds them: nothing flushed or recomputed first (what
    they were before the transaction's pending changes)."""
    rows = env.execute_query_dict(
        SQL(
            "SELECT id, %s FROM account_move WHERE id = ANY(%s)",
            SQL(", ").join(SQL.identifier(name) for name in names),
            list(ids),
        )
    )
    return {row.pop("id"): row for row in rows}
