"""Benchmark the daily overdue job and the invoice list over many invoices.

Run it with the Python that runs Odoo, from the repository root, with the
options that connect Odoo to PostgreSQL (``-c odoo.conf`` or ``--db_host``...):

    python tests/bench/bench_invoices.py --invoices 100000 -- -c ~/odoo.conf

It creates (once) the database ``crm_invoices_bench`` with ``crm_invoices``
installed without demo data, seeds the invoices it lacks (in SQL, batched;
the seeding time is not a figure), then prints for the overdue job and for the
list's first page (its ``web_search_read``) and for the AR trend's 24 months
the time and the number of queries, and the ratios between a small and the
full workload (for the trend: against today's AR metrics; over unpaid invoices
only -- ``bench_trend.py`` times it over two years of paid history).  Nothing is
timed in the test suite: figures live here.
"""

import statistics
import sys
import time
from datetime import date
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_args  # noqa: E402 - beside this script


def parse_args():
    parser = bench_args.parser(__doc__, "crm_invoices_bench", invoices=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    return bench_args.parse(parser)


def ensure_database(args):
    from seed import ensure_database as create  # noqa: PLC0415

    create(args, "crm_invoices", ROOT)


def measure(env, function, repeat):
    """Median wall time (ms) and query count of ``function()`` over ``repeat`` runs."""
    timings, queries = [], []
    for _run in range(repeat):
        env.invalidate_all()
        start_queries = env.cr.sql_log_count
        start = time.perf_counter()
        function()
        timings.append((time.perf_counter() - start) * 1000)
        queries.append(env.cr.sql_log_count - start_queries)
    return statistics.median(timings), max(queries)


def list_spec(env):
    """The fields the Invoices list reads, taken from its view."""
    view = env.ref("crm_invoices.account_move_view_list")
    arch = etree.fromstring(env["account.move"].get_view(view.id, "list")["arch"])
    model = env["account.move"]
    spec = {}
    for node in arch.xpath("//list/field"):
        name = node.get("name")
        field = model._fields[name]
        spec[name] = (
            {"fields": {"display_name": {}}} if field.type == "many2one" else {}
        )
    return spec


def bench_overdue_job(env, repeat):
    """The daily job moving 1,000, 10,000 and all of the late invoices: each
    run first marks every late bench invoice overdue (the others unpaid),
    then only the ``limit`` due first back to unpaid -- the job moves exactly
    those (the late ones are chosen with the status rule's own domain, which
    the job selects with)."""
    from odoo.addons.crm_invoices.lib import invoice_status  # noqa: PLC0415

    moves = env["account.move"]
    cr = env.cr
    today = date.today()
    late = moves.search(
        invoice_status.overdue_domain(today) + [("name", "=like", "BENCH/%")],
        order="invoice_date_due, id",
    ).ids

    def reopen(limit):
        cr.execute(
            """UPDATE account_move
                  SET crm_status = CASE WHEN id = ANY(%s) THEN 'overdue'
                                        ELSE 'unpaid' END
                WHERE name LIKE 'BENCH/%%'""",
            [late],
        )
        cr.execute(
            "UPDATE account_move SET crm_status = 'unpaid' WHERE id = ANY(%s)",
            [late[:limit]],
        )
        env.invalidate_all()

    results = {}
    cases = (
        ("1,000 late", 1000, True, repeat),
        (f"{len(late):,} late (all)", len(late), True, repeat),
        ("1,000 late, tracked", 1000, False, repeat),
        ("10,000 late, tracked", 10_000, False, 1),
    )
    for label, limit, quiet, runs in cases:
        timings, queries, moved = [], [], 0
        job = moves.with_context(tracking_disable=quiet)
        for _run in range(runs):
            reopen(limit)
            cr.precommit.clear()
            start_queries = cr.sql_log_count
            start = time.perf_counter()
            moved = len(job._crm_mark_overdue())
            cr.precommit.run()  # the chatter's tracking messages, as at commit
            timings.append((time.perf_counter() - start) * 1000)
            queries.append(cr.sql_log_count - start_queries)
        results[label] = (statistics.median(timings), max(queries), moved)
    return results


def bench_list(env, repeat):
    moves = env["account.move"].with_context(
        default_move_type="out_invoice", tz="UTC", lang="en_US"
    )
    spec = list_spec(env)
    base = [("move_type", "in", ("out_invoice", "out_refund"))]
    order = "invoice_date desc, name desc, id desc"
    cases = {
        "first page, no filter": base,
        "first page, status = overdue": base + [("crm_status", "=", "overdue")],
        "first page, overdue > 30 days": base
        + [
            ("crm_status", "=", "overdue"),
            ("crm_days_overdue", ">", 30),
        ],
    }
    results = {}
    for label, domain in cases.items():
        moves.web_search_read(domain, spec, limit=80, order=order)  # warm caches
        results[label] = measure(
            env,
            lambda d=domain: moves.web_search_read(d, spec, limit=80, order=order),
            repeat,
        )
    results["group by status"] = measure(
        env,
        lambda: moves.web_read_group(base, ["crm_status"], ["crm_status"]),
        repeat,
    )
    return results


def bench_trend(env, repeat):
    """The AR trend's graph (24 months, its measures), grouped by month and
    by month and customer, and today's AR metrics for scale."""
    trend = env["crm.invoices.ar.trend"]
    graph = ["dso:sum", "on_time_rate:sum", "overdue:sum", "collected:sum"]
    pivot = [
        "receivable:sum",
        *graph,
        "overdue_1_30:sum",
        "overdue_31_60:sum",
        "overdue_61_90:sum",
        "overdue_90_plus:sum",
    ]
    metrics = env["crm.invoices.ar.report"]
    return {
        "graph, by month": measure(
            env, lambda: trend.read_group([], graph, ["month:month"]), repeat
        ),
        "pivot, by month and customer": measure(
            env,
            lambda: trend.read_group(
                [], pivot, ["month:month", "partner_id"], lazy=False
            ),
            repeat,
        ),
        "today's AR metrics (one month)": measure(
            env,
            lambda: metrics.read_group(
                [], ["amount_residual:sum", "dso:sum"], ["partner_id"]
            ),
            repeat,
        ),
    }


def main():
    args = parse_args()
    import odoo  # noqa: PLC0415
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    odoo.tools.config.parse_config([*args.odoo_args, f"--addons-path={ROOT}"])
    ensure_database(args)
    registry = odoo.modules.registry.Registry(args.database)

    from seed import ensure_invoices  # noqa: PLC0415

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        ensure_invoices(env, args.invoices, today=date.today())
        cr.execute("SELECT count(*) FROM account_move WHERE move_type = 'out_invoice'")
        total = cr.fetchone()[0]

    with registry.cursor() as cr:
        admin = api.Environment(cr, SUPERUSER_ID, {}).ref("base.user_admin")
        env = api.Environment(cr, admin.id, {"tz": "UTC", "lang": "en_US"})
        job = bench_overdue_job(env, args.repeat)
        listing = bench_list(env, args.repeat)
        trend = bench_trend(env, args.repeat)
        cr.rollback()

    runs = f"median of {args.repeat} runs"
    print(f"\ncrm_invoices benchmark: {total:,} customer invoices, {runs}")
    print("\nDaily overdue job (_crm_mark_overdue, tracked in the chatter)")
    for label, (ms, queries, moved) in job.items():
        print(f"  {label:<30} {ms:10.1f} ms  {queries:7d} queries  {moved:,} moved")
    (small_ms, small_q, _m), (big_ms, big_q, _m2) = list(job.values())[:2]
    time_ratio, query_ratio = big_ms / small_ms, big_q / small_q
    print(
        f"  without tracking, full/small: time x{time_ratio:.1f}, "
        f"queries x{query_ratio:.2f}"
    )
    print("\nInvoices list (web_search_read, 80 rows, as admin)")
    for label, (ms, queries) in listing.items():
        print(f"  {label:<32} {ms:8.1f} ms  {queries:3d} queries")
    print("\nAR trend, 24 months (read_group, as admin)")
    for label, (ms, queries) in trend.items():
        print(f"  {label:<32} {ms:8.1f} ms  {queries:3d} queries")
    graph_ms = trend["graph, by month"][0]
    today_ms = trend["today's AR metrics (one month)"][0]
    print(f"  24 months / today's metrics: x{graph_ms / today_ms:.1f}")


if __name__ == "__main__":
    main()
