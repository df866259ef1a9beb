"""Benchmark the AR trend (24 months) over two years of paid history.

Run it with the Python that runs Odoo, from the repository root, with the
options that connect Odoo to PostgreSQL:

    python tests/bench/bench_trend.py --invoices 100000 -- -c ~/odoo.conf

It creates (once) the database ``crm_invoices_trend_bench`` with
``crm_invoices`` installed without demo data and seeds (in SQL, once; not a
figure) invoices dated over the last 730 days, due 30 days later, most of them
paid by a payment reconciled with them from 20 days early to 59 days late, one
in twenty never paid -- the common case.  ``bench_invoices.py`` measures the
worst case (100,000 invoices none of them paid).  It prints the time and the
number of queries of the trend's graph and pivot, and the ratio against
today's AR metrics (one month: what the user waited for before).
"""

import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_args  # noqa: E402 - beside this script


def parse_args():
    parser = bench_args.parser(__doc__, "crm_invoices_trend_bench", invoices=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    return bench_args.parse(parser)


def main():
    args = parse_args()
    from bench_invoices import bench_trend  # noqa: PLC0415
    from seed import ensure_database, partners_for, seed_history  # noqa: PLC0415

    import odoo  # noqa: PLC0415
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    odoo.tools.config.parse_config([*args.odoo_args, f"--addons-path={ROOT}"])
    ensure_database(args, "crm_invoices", ROOT)
    registry = odoo.modules.registry.Registry(args.database)

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        cr.execute("SELECT count(*) FROM account_move WHERE name LIKE 'HIST/%%'")
        if not cr.fetchone()[0]:
            print(f"Seeding {args.invoices:,} invoices and their payments ...")
            _template, seconds = seed_history(
                env, args.invoices, partners_for(env), today=date.today()
            )
            print(f"  seeded in {seconds:.0f} s (not a figure)")
        cr.execute(
            """SELECT count(*), count(*) FILTER (WHERE payment_state = 'paid'),
                      (SELECT count(*) FROM account_partial_reconcile)
                 FROM account_move WHERE move_type = 'out_invoice'"""
        )
        invoices, paid, reconciliations = cr.fetchone()

    with registry.cursor() as cr:
        admin = api.Environment(cr, SUPERUSER_ID, {}).ref("base.user_admin")
        env = api.Environment(cr, admin.id, {"tz": "UTC", "lang": "en_US"})
        trend = bench_trend(env, args.repeat)
        cr.rollback()

    print(
        f"\nAR trend, 24 months, over {invoices:,} customer invoices "
        f"({paid:,} paid, {reconciliations:,} reconciliations), "
        f"median of {args.repeat} runs"
    )
    for label, (ms, queries) in trend.items():
        print(f"  {label:<32} {ms:8.1f} ms  {queries:3d} queries")
    graph_ms = trend["graph, by month"][0]
    today_ms = trend["today's AR metrics (one month)"][0]
    print(f"  24 months / today's metrics: x{graph_ms / today_ms:.1f}")


if __name__ == "__main__":
    main()
