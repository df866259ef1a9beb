from odoo import api, fields, models
from odoo.tools import SQL

from .. import queries
from ..lib import ar_metrics, ar_trend
from ..lib import invoice_status as status_rules


class CrmInvoicesArTrend(models.Model):
    """AR over the last 24 months: one row per month, company, customer and
    salesperson, measured at the month's end from the books' history (see
    :mod:`..lib.ar_trend`).

    DSO and the on-time rate are ratios of sums (the ratio mixin), right for
    any grouping: per company, customer or salesperson.
    """

    _name = "crm.invoices.ar.trend"
    _inherit = "crm.invoices.ar.measures.mixin"
    _description = "Accounts Receivable Trend"
    _auto = False
    _order = "month"

    month = fields.Date(readonly=True, help="The month, measured at its end.")
    receivable = fields.Monetary(
        currency_field="currency_id",
        readonly=True,
        help="What customers owed at the month's end: invoices less what had "
        "been paid on them by then, less open credit notes.",
    )
    credit_sales_window = fields.Monetary(
        help="Invoiced minus credited in the 90 days up to the month's end."
    )
    dso = fields.Float(
        help="Days sales outstanding at the month's end: receivable / credit "
        "sales of the 90 days up to it x 90."
    )
    due_count = fields.Integer(
        help="Invoices whose due date falls in the month (up to today)."
    )
    paid_on_time_count = fields.Integer(
        help="Of the invoices due in the month, those paid in full on or "
        "before their due date."
    )
    on_time_rate = fields.Float(
        help="Invoices due in the month paid by their due date / invoices due "
        "in the month."
    )
    overdue_1_30 = fields.Monetary(
        string="Overdue 1-30 Days", currency_field="currency_id", readonly=True
    )
    overdue_31_60 = fields.Monetary(
        string="Overdue 31-60 Days", currency_field="currency_id", readonly=True
    )
    overdue_61_90 = fields.Monetary(
        string="Overdue 61-90 Days", currency_field="currency_id", readonly=True
    )
    overdue_90_plus = fields.Monetary(
        string="Overdue > 90 Days", currency_field="currency_id", readonly=True
    )
    overdue = fields.Monetary(
        string="Overdue",
        currency_field="currency_id",
        readonly=True,
        help="Money left on invoices past their due date at the month's end.",
    )
    collected = fields.Monetary(
        currency_field="currency_id",
        readonly=True,
        help="Money received on invoices in the month (payments and bank "
        "transfers; credit notes are not money).",
    )
    collected_manual = fields.Monetary(
        string="Collected by Hand",
        currency_field="currency_id",
        readonly=True,
        help="Payments registered by hand.",
    )

    reminders_started = fields.Integer(
        readonly=True,
        aggregator="max",
        help="1 in the month the company sent its first payment reminder: "
        "where collection by reminders began.",
    )

    _ratio_measures = {
        "dso": ("receivable", "credit_sales_window", ar_metrics.DSO_WINDOW_DAYS),
        "on_time_rate": ("paid_on_time_count", "due_count", 100),
    }

    _depends = {
        "account.move": [
            "move_type",
            "state",
            "company_id",
            "commercial_partner_id",
            "invoice_user_id",
            "invoice_date",
            "invoice_date_due",
            "amount_total_signed",
            "amount_residual_signed",
            "payment_state",
        ],
        "account.move.line": [
            "move_id",
            "account_id",
            "payment_id",
            "statement_line_id",
        ],
        "account.partial.reconcile": ["amount", "max_date"],
        "crm.invoices.reminder": ["date", "company_id"],
    }

    def _trend_sums(self):
        """The measures summed month by month (their group's figure is the
        sum of its rows), in the order of the query's columns: the base
        measures, the money of each channel (:meth:`_trend_channels`) and
        each marker (:meth:`_trend_markers`) -- an addon that adds a channel
        or a marker adds its field, nothing here."""
        return (
            "receivable",
            "credit_sales_window",
            "due_count",
            "paid_on_time_count",
            *(f"overdue_{key}" for key in ar_trend.OVERDUE_BUCKETS),
            "collected",
            *(f"collected_{key}" for key in self._trend_channel_keys()),
            *self._trend_markers(),
        )

    @property
    def _table_query(self):
        """The trend in one statement, in time linear in the invoices and
        their reconciliations (no row per invoice and month):

        - what is open today is owed from the month of its date on, and is
          more than 90 days late from the month its 91st day late falls in:
          both are running sums over the months (``running``);
        - what was settled after a month's end was still owed at it
          (``settled_later``: a row per reconciliation and month in between);
        - the younger buckets of what is open today (at most four months
          each), the credit sales of the 90 days up to each month's end (at
          most four months each), the invoices due in each month and the money
          collected in it.
        """
        today = fields.Date.context_today(self)
        first_day = ar_trend.first_month(today)
        months = SQL(", ").join(
            SQL("(%s::date, %s::date, %s)", first, end, ar_trend.month_number(first))
            for first, end in ar_trend.months(today)
        )
        measures = self._trend_sums()

        def facts(values, source, keys="moves", month="months"):
            """One branch of the facts: ``values`` of some measures per month
            and the row's keys (of the tables ``month`` and ``keys``), summed;
            the other measures are 0, added after the sums (summing zeros row
            by row costs as much as summing figures)."""
            names = [name for name in measures if name in values]
            return SQL(
                "SELECT branch.month, branch.company_id, branch.partner_id,"
                " branch.invoice_user_id, %s FROM (SELECT %s.month AS month,"
                " %s.company_id AS company_id, %s.partner_id AS partner_id,"
                " %s.invoice_user_id AS invoice_user_id, %s %s GROUP BY 1, 2, 3, 4)"
                " AS branch",
                SQL(", ").join(
                    SQL("branch.%s", SQL.identifier(name))
                    if name in values
                    else SQL("0 AS %s", SQL.identifier(name))
                    for name in measures
                ),
                SQL.identifier(month),
                SQL.identifier(keys),
                SQL.identifier(keys),
                SQL.identifier(keys),
                SQL(", ").join(
                    SQL("SUM(%s) AS %s", values[name], SQL.identifier(name))
                    for name in names
                ),
                source,
            )

        def aging(days_sql):
            """The aging bucket's key of ``days_sql`` days late."""
            return SQL(ar_metrics.aging_sql_case(days_sql))  # noqa: S608

        def bucket_of(bucket, amount_sql, *keys):
            """``{overdue_<key>: amount when the bucket is key}``."""
            return {
                f"overdue_{key}": SQL(
                    "CASE WHEN %s = %s THEN %s ELSE 0 END", bucket, key, amount_sql
                )
                for key in keys
            }

        def months_of(month_number, days):
            """Joins ``months`` from that numbered ``month_number`` on, as many
            as a span of ``days`` days can touch: an equality join per row,
            not a scan of every month (the caller keeps the months its span
            covers)."""
            return SQL(
                "CROSS JOIN generate_series(0, %s) AS step"
                " JOIN months ON months.number = %s + step",
                (days - 1) // 28 + 1,
                SQL.identifier("moves", month_number),
            )

        young = tuple(key for key in ar_trend.OVERDUE_BUCKETS if key != "90_plus")
        channel = self._trend_channel_sql()
        return SQL(
            """
            WITH months(month, month_end, number) AS (VALUES %(months)s),
            moves AS (
                SELECT move.id, move.company_id,
                       -- 0 for none: the keys join by equality (hashed)
                       COALESCE(move.commercial_partner_id, 0) AS partner_id,
                       COALESCE(move.invoice_user_id, 0) AS invoice_user_id,
                       move.move_type, move.invoice_date,
                       move.invoice_date_due AS due, move.payment_state,
                       move.amount_total_signed AS total,
                       move.amount_residual_signed AS residual,
                       -- the first month at whose end it existed
                       GREATEST(date_trunc('month', move.invoice_date)::date,
                                %(first_day)s) AS from_month,
                       %(invoice_month)s AS invoice_month,
                       %(due_month)s AS due_month,
                       %(late_month)s AS late_month
                  FROM account_move move
                 WHERE move.move_type IN ('out_invoice', 'out_refund')
                   AND move.state = 'posted'
                   AND move.invoice_date <= %(today)s
            ),
            receivable_accounts AS (
                SELECT id FROM account_account
                 WHERE account_type = 'asset_receivable'
            ),
            -- each reconciliation of a receivable: what it settled (positive
            -- on an invoice, negative on a credit note), when, and with what;
            -- read from the reconciliations (fewer than the lines)
            -- each reconciliation with its two sides' entries and accounts
            parts AS (
                SELECT part.max_date AS date, part.amount,
                       %(part_month)s AS date_month,
                       debit.move_id AS debit_move_id,
                       debit.account_id AS debit_account_id,
                       credit.move_id AS credit_move_id,
                       credit.account_id AS credit_account_id,
                       -- what entered each side (stored on the lines)
                       debit.payment_id AS debit_payment_id,
                       debit.statement_line_id AS debit_statement_line_id,
                       credit.payment_id AS credit_payment_id,
                       credit.statement_line_id AS credit_statement_line_id
                  FROM account_partial_reconcile part
                  JOIN account_move_line debit ON debit.id = part.debit_move_id
                  JOIN account_move_line credit ON credit.id = part.credit_move_id
            ),
            -- each reconciliation of a receivable, with its move's keys: what
            -- it settled (positive on an invoice, whose receivable is a debit,
            -- negative on a credit note, a credit), when, and with what
            settlements AS (
                SELECT moves.id AS move_id, moves.company_id, moves.partner_id,
                       moves.invoice_user_id, moves.move_type, moves.due,
                       moves.invoice_month, moves.residual,
                       parts.date, parts.date_month, parts.amount,
                       parts.credit_payment_id AS counterpart_payment_id,
                       parts.credit_statement_line_id
                           AS counterpart_statement_line_id
                  FROM parts
                  JOIN moves ON moves.id = parts.debit_move_id
                            AND moves.move_type = 'out_invoice'
                 WHERE parts.debit_account_id IN (SELECT id FROM receivable_accounts)
                UNION ALL
                SELECT moves.id, moves.company_id, moves.partner_id,
                       moves.invoice_user_id, moves.move_type, moves.due,
                       moves.invoice_month, moves.residual,
                       parts.date, parts.date_month, -parts.amount,
                       parts.debit_payment_id, parts.debit_statement_line_id
                  FROM parts
                  JOIN moves ON moves.id = parts.credit_move_id
                            AND moves.move_type = 'out_refund'
                 WHERE parts.credit_account_id IN (SELECT id FROM receivable_accounts)
            ),
            -- the day each fully settled invoice was settled for good
            settled AS (
                SELECT move_id AS id, MAX(date) AS settled_on
                  FROM settlements
                 WHERE residual = 0
              GROUP BY move_id
            ),
            -- what is open today, from the month it is owed (and 90 days
            -- late) on: running sums over the months, per row key
            running_deltas AS (
                SELECT month, company_id, partner_id, invoice_user_id,
                       SUM(receivable) AS receivable, SUM(late) AS late
                  FROM (
                    SELECT moves.from_month AS month, moves.company_id,
                           moves.partner_id, moves.invoice_user_id,
                           moves.residual AS receivable, 0 AS late
                      FROM moves
                     WHERE moves.residual <> 0
                    UNION ALL
                    SELECT GREATEST(date_trunc('month', moves.due + 91)::date,
                                    %(first_day)s),
                           moves.company_id, moves.partner_id,
                           moves.invoice_user_id, 0, moves.residual
                      FROM moves
                     WHERE moves.residual <> 0
                       AND moves.move_type = 'out_invoice'
                       AND moves.due + 91 <= %(today)s
                  ) AS delta
              GROUP BY 1, 2, 3, 4
            ),
            running AS (
                SELECT months.month, keys.company_id, keys.partner_id,
                       keys.invoice_user_id,
                       SUM(COALESCE(delta.receivable, 0)) OVER keyed AS receivable,
                       SUM(COALESCE(delta.late, 0)) OVER keyed AS late
                  FROM months
                 CROSS JOIN (SELECT DISTINCT company_id, partner_id, invoice_user_id
                               FROM running_deltas) AS keys
                  LEFT JOIN running_deltas delta
                         ON delta.month = months.month
                        AND delta.company_id = keys.company_id
                        AND delta.partner_id = keys.partner_id
                        AND delta.invoice_user_id = keys.invoice_user_id
                WINDOW keyed AS (
                    PARTITION BY keys.company_id, keys.partner_id,
                                 keys.invoice_user_id
                    ORDER BY months.month
                )
            ),
            -- what was settled after a month's end was still owed at it
            settled_later AS (
                SELECT months.month, settlement.company_id, settlement.partner_id,
                       settlement.invoice_user_id, settlement.amount,
                       -- an invoice's, by days late (a credit note is not late)
                       CASE WHEN settlement.move_type = 'out_invoice'
                            THEN %(later_bucket)s END AS bucket
                  FROM settlements settlement
                 -- the months from the move's first to the one before the
                 -- settlement's (or to today's, for a settlement dated later)
                 CROSS JOIN LATERAL generate_series(
                     GREATEST(settlement.invoice_month, %(first_month)s),
                     CASE WHEN settlement.date > %(today)s
                          THEN settlement.date_month
                          ELSE settlement.date_month - 1 END) AS owed (number)
                  JOIN months ON months.number = owed.number
                             AND settlement.date > months.month_end
            ),
            facts AS (
                %(running_facts)s
                UNION ALL
                %(later_facts)s
                UNION ALL
                %(young_facts)s
                UNION ALL
                %(sales_facts)s
                UNION ALL
                %(due_facts)s
                UNION ALL
                %(collected_facts)s
                UNION ALL
                %(marker_facts)s
            )
            SELECT ROW_NUMBER() OVER (ORDER BY facts.month, facts.company_id,
                                      facts.partner_id, facts.invoice_user_id) AS id,
                   facts.month, facts.company_id,
                   %(currency)s AS currency_id,
                   NULLIF(facts.partner_id, 0) AS partner_id,
                   NULLIF(facts.invoice_user_id, 0) AS invoice_user_id,
                   %(sums)s,
                   %(overdue)s AS overdue,
                   SUM(facts.receivable) * %(window)s
                       / NULLIF(SUM(facts.credit_sales_window), 0) AS dso,
                   100.0 * SUM(facts.paid_on_time_count)
                       / NULLIF(SUM(facts.due_count), 0) AS on_time_rate
              FROM facts
              JOIN %(currency_table)s
                ON account_currency_table.company_id = facts.company_id
          GROUP BY facts.month, facts.company_id, account_currency_table.rate,
                   facts.partner_id, facts.invoice_user_id
            HAVING %(something)s
            """,
            months=months,
            later_bucket=aging("(months.month_end - settlement.due)"),
            part_month=SQL(ar_trend.month_number_sql("part.max_date")),
            first_month=ar_trend.month_number(first_day),
            invoice_month=SQL(ar_trend.month_number_sql("move.invoice_date")),
            due_month=SQL(ar_trend.month_number_sql("move.invoice_date_due")),
            late_month=SQL(ar_trend.month_number_sql("move.invoice_date_due + 1")),
            today=today,
            first_day=first_day,
            window=ar_metrics.DSO_WINDOW_DAYS,
            running_facts=facts(
                {
                    "receivable": SQL("running.receivable"),
                    "overdue_90_plus": SQL("running.late"),
                },
                SQL("FROM running"),
                keys="running",
                month="running",
            ),
            later_facts=facts(
                {
                    "receivable": SQL("settled_later.amount"),
                    **bucket_of(
                        SQL("settled_later.bucket"),
                        SQL("settled_later.amount"),
                        *ar_trend.OVERDUE_BUCKETS,
                    ),
                },
                SQL("FROM settled_later"),
                keys="settled_later",
                month="settled_later",
            ),
            young_facts=facts(
                bucket_of(
                    aging("(months.month_end - moves.due)"),
                    SQL("moves.residual"),
                    *young,
                ),
                SQL(
                    # by due date first: the buckets depend on nothing else
                    "FROM (SELECT company_id, partner_id, invoice_user_id, due,"
                    " late_month, SUM(residual) AS residual FROM moves"
                    " WHERE residual <> 0 AND move_type = 'out_invoice'"
                    " GROUP BY 1, 2, 3, 4, 5) AS moves"
                    " %s WHERE months.month_end BETWEEN moves.due + 1"
                    " AND moves.due + %s",
                    months_of("late_month", ar_metrics.DSO_WINDOW_DAYS),
                    ar_metrics.DSO_WINDOW_DAYS,
                ),
            ),
            sales_facts=facts(
                {"credit_sales_window": SQL("moves.total")},
                SQL(
                    # by invoice date first: the window depends on nothing else
                    "FROM (SELECT company_id, partner_id, invoice_user_id,"
                    " invoice_date, invoice_month, SUM(total) AS total FROM moves"
                    " GROUP BY 1, 2, 3, 4, 5) AS moves"
                    " %s WHERE months.month_end < moves.invoice_date + %s",
                    months_of("invoice_month", ar_metrics.DSO_WINDOW_DAYS),
                    ar_metrics.DSO_WINDOW_DAYS,
                ),
            ),
            due_facts=facts(
                {
                    "due_count": SQL("1"),
                    "paid_on_time_count": SQL("(settled.settled_on <= moves.due)::int"),
                },
                SQL(
                    "FROM moves JOIN months"
                    " ON months.number = moves.due_month"
                    " AND moves.due <= months.month_end"
                    " AND moves.move_type = 'out_invoice'"
                    " AND moves.payment_state IS DISTINCT FROM %s"
                    " LEFT JOIN settled ON settled.id = moves.id",
                    status_rules.REVERSED_PAYMENT_STATE,
                ),
            ),
            collected_facts=facts(
                {
                    "collected": SQL("settlement.amount"),
                    **{
                        f"collected_{key}": SQL(
                            "CASE WHEN %s = %s THEN settlement.amount ELSE 0 END",
                            channel,
                            key,
                        )
                        for key in self._trend_channel_keys()
                    },
                },
                SQL(
                    """FROM settlements settlement
                      -- the counterpart entry's origin, as its lines store it
                      CROSS JOIN LATERAL (
                          SELECT settlement.counterpart_payment_id
                                     AS origin_payment_id,
                                 settlement.counterpart_statement_line_id
                                     AS statement_line_id
                      ) AS counterpart
                       JOIN months ON months.number = settlement.date_month
                                  AND settlement.date <= months.month_end
                      WHERE settlement.move_type = 'out_invoice'
                        AND (counterpart.origin_payment_id IS NOT NULL
                             OR counterpart.statement_line_id IS NOT NULL)"""
                ),
                keys="settlement",
            ),
            marker_facts=SQL(" UNION ALL ").join(
                facts(
                    {name: SQL("1")},
                    SQL(
                        "FROM (%s) AS marker (company_id, day)"
                        " JOIN months ON marker.day BETWEEN months.month"
                        " AND months.month_end"
                        " CROSS JOIN LATERAL (SELECT marker.company_id,"
                        " 0 AS partner_id, 0 AS invoice_user_id) AS keys",
                        first_days,
                    ),
                    keys="keys",
                )
                for name, first_days in self._trend_markers().items()
            ),
            # money in the current company's currency, at today's rate (as
            # Odoo's invoice analysis): companies of several currencies never
            # add lei to dollars; counts and ratios as they are
            currency=self.env.company.currency_id.id,
            currency_table=self.env["res.currency"]._crm_currency_table(
                self.env.companies
            ),
            sums=SQL(", ").join(
                SQL(
                    "SUM(facts.%s)%s AS %s",
                    SQL.identifier(name),
                    SQL(" * account_currency_table.rate")
                    if self._fields[name].type == "monetary"
                    else SQL(""),
                    SQL.identifier(name),
                )
                for name in measures
            ),
            overdue=SQL(" + ").join(
                SQL(
                    "SUM(facts.%s) * account_currency_table.rate",
                    SQL.identifier(f"overdue_{key}"),
                )
                for key in ar_trend.OVERDUE_BUCKETS
            ),
            something=SQL(" OR ").join(
                SQL("SUM(facts.%s) <> 0", SQL.identifier(name)) for name in measures
            ),
        )

    #: Balances at a month's end: what was owed then.  A group of several
    #: months has none (a sum of month ends is no figure: the pivot's totals
    #: over months stay empty); a group within one month (a customer, a
    #: salesperson) has the sum of its rows.
    _trend_balances = (
        "receivable",
        "credit_sales_window",
        "overdue",
        *(f"overdue_{key}" for key in ar_trend.OVERDUE_BUCKETS),
        "dso",
    )

    @api.model
    def _read_group_select(self, aggregate_spec, query):
        """EXTENDS the ratio mixin: a balance (:attr:`_trend_balances`) of a
        group that spans several months is empty, never their sum."""
        aggregate = super()._read_group_select(aggregate_spec, query)
        if aggregate_spec.split(":", 1)[0] not in self._trend_balances:
            return aggregate
        return SQL(
            "(CASE WHEN COUNT(DISTINCT %s) = 1 THEN %s END)",
            self._field_to_sql(self._table, "month", query),
            aggregate,
        )

    @api.model
    def _read_group(self, *args, **kwargs):
        """PostgreSQL's JIT compiler, which its cost estimate of this one big
        statement triggers, spends longer compiling than the statement runs
        (1.3 of 3.4 s on 100,000 invoices): off for this transaction."""
        queries.plan_one_big_statement(self.env.cr)
        return super()._read_group(*args, **kwargs)

    def _trend_markers(self):
        """``{measure: SQL of (company_id, day)}``: the day each company began
        something whose effect the trend should show (a 1 in that month).
        Here: its first payment reminder; the pay link addon adds its first
        pay link with ``super()``."""
        return {
            "reminders_started": SQL(
                "SELECT company_id, MIN(date)::date FROM crm_invoices_reminder"
                " GROUP BY company_id"
            ),
        }

    def _trend_channels(self):
        """``{key: SQL condition on counterpart}``: how the money of a
        settlement was collected, as SQL on ``counterpart`` (the payment's or
        the bank statement line's entry); each key has its measure
        ``collected_<key>``.  Money no channel claims was collected by hand
        (:data:`..lib.ar_trend.BY_HAND`).  The pay link and bank addons add
        theirs with ``super()``."""
        return {}

    def _trend_channel_keys(self):
        return (*self._trend_channels(), ar_trend.BY_HAND)

    def _trend_channel_sql(self):
        """The channel of a settlement (one of :meth:`_trend_channel_keys`)."""
        channels = self._trend_channels()
        if not channels:
            return SQL("%s", ar_trend.BY_HAND)
        return SQL(
            "CASE %s ELSE %s END",
            SQL(" ").join(
                SQL("WHEN %s THEN %s", condition, key)
                for key, condition in channels.items()
            ),
            ar_trend.BY_HAND,
        )
