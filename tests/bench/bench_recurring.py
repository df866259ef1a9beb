"""Benchmark the recurring invoices job: 10,000 schedules due on one day.

    python tests/bench/bench_recurring.py --schedules 10000 \\
        --oca-addons <folder>/odoo/addons -- -c ~/odoo.conf

It makes its own database (``crm_invoices_recurring`` and OCA's
``contract``, no demo data) and seeds ``--schedules`` monthly schedules of
50 customers (two lines each, as the Make Recurring button makes them),
all due today; seeded once, reused.  Every case runs in one transaction
that is rolled back (the job's batch commits are switched off the way
Odoo's test mode does it), so the database is left as it was.  Printed:

- the job (``cron_recurring_create_invoice``) invoicing every schedule due,
  the invoices posted: time, queries, queries per invoice;
- the same job on the same day again: nothing made, its time and queries;
- the same schedules through OCA's own invoicing (``contract``'s
  ``_recurring_create_invoice`` of the class it defines, drafts, one
  period each, no lock): the ratio ours / OCA's;
- a tenth of the schedules, to read the cost per invoice at two sizes.
"""

import os
import sys
import threading
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_args  # noqa: E402 - beside this script

TAG = "BENCH-RECURRING"


def parse_args():
    parser = bench_args.parser(__doc__, "crm_invoices_bench_recurring")
    parser.add_argument("--schedules", type=int, default=10_000)
    parser.add_argument("--oca-addons", default=os.environ.get("ODOO_OCA_ADDONS", ""))
    return bench_args.parse(parser)


def addons_path(args):
    return ",".join(path for path in (str(ROOT), args.oca_addons) if path)


def seed(env, count, today):
    """``count`` monthly schedules due ``today`` (made once, reused)."""
    from odoo import Command  # noqa: PLC0415

    from odoo.addons.crm_invoices.lib.perfex_recurrence import (  # noqa: PLC0415
        Recurrence,
    )

    contracts = env["contract.contract"]
    have = contracts.search_count([("code", "=", TAG)])
    if have >= count:
        return
    partners = env["res.partner"].search([("name", "like", f"{TAG} %")])
    for index in range(len(partners), 50):
        partners |= env["res.partner"].create({"name": f"{TAG} {index:02d}"})
    templates = []
    for partner in partners:
        invoice = env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": today,
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Hosting", "quantity": 1, "price_unit": 120.0}
                    ),
                    Command.create(
                        {"name": "Support", "quantity": 2, "price_unit": 35.0}
                    ),
                ],
            }
        )
        values = contracts._crm_schedule_values(invoice, Recurrence(1, "month"), today)
        values.update(code=TAG, crm_source_invoice_id=False, crm_autopay=False)
        templates.append(values)
    missing = count - have
    for start in range(0, missing, 500):
        size = min(500, missing - start)
        contracts.create([templates[(start + i) % len(templates)] for i in range(size)])
        env.cr.commit()
        print(f"  seeded {have + start + size:,} schedules", flush=True)


def due_today(env, count, today):
    """Exactly ``count`` bench schedules due today, the others next month."""
    cr = env.cr
    cr.execute(
        """
        WITH ranked AS (
            SELECT id, row_number() OVER (ORDER BY id) AS n
              FROM contract_contract WHERE code = %(tag)s
        )
        UPDATE contract_contract contract
           SET active = ranked.n <= %(count)s
          FROM ranked WHERE ranked.id = contract.id
        """,
        {"tag": TAG, "count": count},
    )
    env.invalidate_all()
    return env["contract.contract"].search([("code", "=", TAG)])


def measure(env, function):
    env.invalidate_all()
    queries = env.cr.sql_log_count
    start = time.perf_counter()
    result = function()
    return (time.perf_counter() - start) * 1000, env.cr.sql_log_count - queries, result


def main():
    args = parse_args()
    from seed import ensure_database  # noqa: PLC0415

    import odoo  # noqa: PLC0415
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    odoo.tools.config.parse_config(
        [*args.odoo_args, f"--addons-path={addons_path(args)}"]
    )
    ensure_database(args, "crm_invoices_recurring", addons_path(args))
    registry = odoo.modules.registry.Registry(args.database)
    today = date.today()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tz": "UTC"})
        seed(env, args.schedules, today)

    from odoo.addons.contract.models.contract import (  # noqa: PLC0415
        ContractContract as OcaContract,
    )

    threading.current_thread().testing = True  # no batch commit: all rolled back
    print(f"\nRecurring invoices job, schedules due on one day ({today})", flush=True)
    for size in sorted({args.schedules, max(1, args.schedules // 10)}):
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tz": "UTC"})
            job = env["contract.contract"]
            env.company.crm_recurring_invoice_state = "posted"
            due_today(env, size, today)
            ms, queries, made = measure(
                env, lambda job=job: job.cron_recurring_create_invoice(today)
            )
            print(
                f"  {size:>7,} due: {len(made):>7,} invoices posted in "
                f"{ms / 1000:8.1f} s ({ms / max(len(made), 1):6.1f} ms, "
                f"{queries / max(len(made), 1):5.1f} queries per invoice)",
                flush=True,
            )
            ms2, queries2, again = measure(
                env, lambda job=job: job.cron_recurring_create_invoice(today)
            )
            print(
                f"  {'':>7}  same day again: {len(again)} made, {ms2:8.1f} ms, "
                f"{queries2} queries",
                flush=True,
            )
            assert not again, "a second run the same day made invoices"
            assert len(made) == size, (len(made), size)
            cr.rollback()
            env.invalidate_all()
            env.company.crm_recurring_invoice_state = "draft"
            due_today(env, size, today)
            ms_d, q_d, drafts = measure(
                env, lambda job=job: job.cron_recurring_create_invoice(today)
            )
            cr.rollback()
            env.invalidate_all()
            contracts = due_today(env, size, today)
            ms_oca, q_oca, oca = measure(
                env,
                lambda contracts=contracts, env=env: (
                    OcaContract._recurring_create_invoice(
                        contracts.with_company(env.company), today
                    )
                ),
            )
            cr.rollback()
            print(
                f"  {'':>7}  drafts: ours {ms_d / 1000:.1f} s "
                f"({q_d / max(len(drafts), 1):.1f} queries/invoice) vs OCA's "
                f"contract {ms_oca / 1000:.1f} s "
                f"({q_oca / max(len(oca), 1):.1f} queries/invoice): "
                f"x{ms_d / ms_oca:.2f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
