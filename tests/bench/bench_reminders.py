"""Benchmark the payment reminder job over 100,000 open invoices.

Run it like ``bench_invoices.py`` (same database, same seeding):

    python tests/bench/bench_reminders.py --invoices 100000 -- -c ~/odoo.conf

Every case runs in one transaction that is rolled back: the job's batch
commits are switched off the way Odoo's test mode does it (the ``testing``
flag of the thread), so the database is left as it was.  Printed: the job's
time and query count when no reminder is due, when 100 and 200 are due among
100,000 open invoices, and when 200 are due among 1,000; the queries per
email; the selection's query count against the number of open invoices.
"""

import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_args  # noqa: E402 - beside this script


def parse_args():
    parser = bench_args.parser(__doc__, "crm_invoices_bench", invoices=100_000)
    return bench_args.parse(parser)


def prepare(env, open_count, due_count, today):
    """``open_count`` bench invoices open and 3 days late (no level due yet),
    ``due_count`` of them 8 days late (the first level due); the others paid."""
    cr = env.cr
    cr.execute("DELETE FROM crm_invoices_reminder")
    cr.execute(
        """
        WITH ranked AS (
            SELECT id, row_number() OVER (ORDER BY id) AS n
              FROM account_move WHERE name LIKE 'BENCH/%%'
        )
        UPDATE account_move move
           SET payment_state = CASE WHEN ranked.n <= %(open)s
                                    THEN 'not_paid' ELSE 'paid' END,
               crm_status = CASE WHEN ranked.n <= %(open)s
                                 THEN 'overdue' ELSE 'paid' END,
               invoice_date_due = CASE WHEN ranked.n <= %(due)s THEN %(late)s::date
                                       ELSE %(recent)s::date END
          FROM ranked
         WHERE ranked.id = move.id
        """,
        {
            "open": open_count,
            "due": due_count,
            "late": today - timedelta(days=8),
            "recent": today - timedelta(days=3),
        },
    )
    env.invalidate_all()


def run_job(env):
    """``(ms, queries, reminders, emails)`` of one run of the job."""
    engine = env["crm.invoices.reminder.engine"]
    start_queries = env.cr.sql_log_count
    start = time.perf_counter()
    sent = engine._cron_send_reminders()
    elapsed = (time.perf_counter() - start) * 1000
    queries = env.cr.sql_log_count - start_queries
    emails = len(env["crm.invoices.reminder"].search([]).mail_message_id)
    return elapsed, queries, sent, emails


def main():
    args = parse_args()
    from bench_invoices import ensure_database  # noqa: PLC0415
    from seed import ensure_invoices, partners_for  # noqa: PLC0415

    import odoo  # noqa: PLC0415
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    odoo.tools.config.parse_config([*args.odoo_args, f"--addons-path={ROOT}"])
    ensure_database(args)
    registry = odoo.modules.registry.Registry(args.database)
    today = date.today()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        ensure_invoices(env, args.invoices, today=today)
        for partner in partners_for(env):
            if not partner.email:
                partner.email = f"ar-{partner.id}@bench.example.com"

    threading.current_thread().testing = True  # no batch commit: all is rolled back
    cases = [
        (f"{args.invoices:,} open, 0 due", args.invoices, 0, "invoice"),
        (f"{args.invoices:,} open, 100 due", args.invoices, 100, "invoice"),
        (f"{args.invoices:,} open, 200 due", args.invoices, 200, "invoice"),
        ("1,000 open, 200 due", 1000, 200, "invoice"),
        (f"{args.invoices:,} open, 100 due", args.invoices, 100, "customer"),
        (f"{args.invoices:,} open, 200 due", args.invoices, 200, "customer"),
    ]
    results = []
    for label, open_count, due_count, grouping in cases:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tz": "UTC"})
            env.company.crm_reminder_grouping = grouping
            prepare(env, open_count, due_count, today)
            env["crm.invoices.reminder.engine"]._due(today)  # warm the caches
            results.append((label, grouping, *run_job(env)))
            cr.rollback()

    print(f"\nPayment reminder job (_cron_send_reminders), {args.invoices:,} invoices")
    for label, grouping, ms, queries, sent, emails in results:
        print(
            f"  {label:<26} per {grouping:<8} {ms:9.1f} ms  {queries:6d} queries  "
            f"{sent:4d} reminders in {emails:4d} emails"
        )
    base = results[0][3]
    print(f"  selection alone: {base} queries whatever the number of invoices")
    for grouping, row in (("invoice", 2), ("customer", 5)):
        _label, _grouping, _ms, queries, sent, emails = results[row]
        print(
            f"  per {grouping}: each email costs {(queries - base) / emails:.1f} "
            f"queries, {(queries - base) / sent:.1f} per invoice reminded"
        )
    ratio = results[2][3] / results[3][3]
    print(f"  queries, 100,000 open vs 1,000 open (200 emails each): x{ratio:.2f}")


if __name__ == "__main__":
    main()
