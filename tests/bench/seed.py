"""Seed many posted customer invoices fast, by cloning a template in SQL.

The ORM creates and posts a few hundred invoices a second; a benchmark needs
100,000.  One template invoice is made by the ORM (so every column holds what
Odoo would write), then cloned with ``INSERT ... SELECT generate_series`` in
batches, lines included.  Seeding time is not a figure of any benchmark.
"""

import os
import subprocess
import time
from datetime import date

import odoo
from odoo import Command, fields
from odoo.service import db as db_service

BATCH = 20_000


def ensure_database(args, module, addons_path):
    """Create ``args.database`` with ``module`` (no demo data) unless it
    exists, with the Odoo of ``ODOO_BIN`` and ``args.odoo_args``."""
    if args.database in db_service.list_dbs(True):
        return
    print("Creating", args.database, "...", flush=True)
    subprocess.run(
        [
            os.environ.get("ODOO_BIN", "odoo"),
            *args.odoo_args,
            f"--addons-path={addons_path}",
            "-d",
            args.database,
            "-i",
            module,
            "--without-demo=all",
            "--stop-after-init",
            "--log-level=warn",
        ],
        check=True,
    )
    odoo.tools.config.parse_config([*args.odoo_args, f"--addons-path={addons_path}"])


def _columns(cr, table, skip=("id",)):
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = %s ORDER BY ordinal_position",
        [table],
    )
    return [name for (name,) in cr.fetchall() if name not in skip]


def make_template(env, partners):
    move = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": partners[0].id,
            "invoice_date": fields.Date.today(),
            "invoice_payment_term_id": False,
            "invoice_date_due": fields.Date.today(),
            "invoice_line_ids": [
                Command.create(
                    {
                        "name": "Bench service",
                        "quantity": 1,
                        "price_unit": 100.0,
                        "tax_ids": [Command.clear()],
                    }
                )
            ],
        }
    )
    move.action_post()
    env.flush_all()
    return move


def seed_invoices(env, count, partners, today=None, spread_days=240):
    """Clone ``count`` posted, unpaid invoices; due dates spread over
    ``spread_days`` around today so that about half are late."""
    today = today or date.today()
    cr = env.cr
    template = make_template(env, partners)
    move_cols = _columns(cr, "account_move")
    line_cols = _columns(cr, "account_move_line")
    overrides = {
        "name": "%(prefix)s || lpad((%(base)s + g)::text, 7, '0')",
        "sequence_number": "%(base)s + g",
        "partner_id": "(%(partners)s::int[])[1 + g %% %(npartners)s]",
        "commercial_partner_id": "(%(partners)s::int[])[1 + g %% %(npartners)s]",
        "invoice_date": "%(today)s::date - (g %% %(spread)s)",
        "date": "%(today)s::date - (g %% %(spread)s)",
        "invoice_date_due": "%(today)s::date - (g %% %(spread)s) + 120",
        "crm_status": "'unpaid'",
        "payment_reference": "NULL",
        "access_token": "NULL",
        "inalterable_hash": "NULL",
        "secure_sequence_number": "NULL",
    }
    select = ", ".join(overrides.get(col, f'm."{col}"') for col in move_cols)
    # the template's lines in a small table of their own, joined with each
    # batch
    cr.execute("DROP TABLE IF EXISTS bench_template_line")
    cr.execute(
        "CREATE TEMP TABLE bench_template_line AS "
        "SELECT * FROM account_move_line WHERE move_id = %s",
        [template.id],
    )
    cr.execute("ANALYZE bench_template_line")
    started = time.time()
    done = 0
    while done < count:
        # a small first batch, then statistics: on a table the planner thinks
        # empty, the foreign-key checks of a big batch scan it row by row
        size = min(BATCH if done else 500, count - done)
        cr.execute(
            f"""
            WITH new_moves AS (
                INSERT INTO account_move ({", ".join(f'"{c}"' for c in move_cols)})
                SELECT {select}
                  FROM account_move m, generate_series(1, %(size)s) g
                 WHERE m.id = %(template)s
             RETURNING id, name, partner_id, invoice_date, invoice_date_due
            )
            INSERT INTO account_move_line ({", ".join(f'"{c}"' for c in line_cols)})
            SELECT {
                ", ".join(
                    {
                        "move_id": "n.id",
                        "move_name": "n.name",
                        "partner_id": "n.partner_id",
                        "date": "n.invoice_date",
                        "invoice_date": "n.invoice_date",
                        "date_maturity": "CASE WHEN l.date_maturity IS NULL "
                        "THEN NULL ELSE n.invoice_date_due END",
                        "reconcile_model_id": "NULL",
                        "full_reconcile_id": "NULL",
                    }.get(col, f'l."{col}"')
                    for col in line_cols
                )
            }
              FROM new_moves n, bench_template_line l
            """,  # noqa: S608 - trusted, generated column lists
            {
                "size": size,
                "template": template.id,
                "prefix": f"BENCH/{today.year}/",
                "base": done,
                "partners": partners.ids,
                "npartners": len(partners),
                "today": today,
                "spread": spread_days,
            },
        )
        done += size
        cr.execute("ANALYZE account_move")
        cr.execute("ANALYZE account_move_line")
    cr.execute("DROP TABLE bench_template_line")
    env.invalidate_all()
    return template, time.time() - started


def partners_for(env, count=50):
    existing = env["res.partner"].search([("name", "=like", "Bench customer %")])
    missing = count - len(existing)
    if missing > 0:
        existing |= env["res.partner"].create(
            [{"name": f"Bench customer {i:03d}"} for i in range(len(existing), count)]
        )
    return existing[:count]


def ensure_invoices(env, count, today=None):
    """Seed bench invoices until there are ``count`` of them (ANALYZE after)."""
    cr = env.cr
    cr.execute("SELECT count(*) FROM account_move WHERE name LIKE 'BENCH/%%'")
    have = cr.fetchone()[0]
    if have >= count:
        return
    print(f"Seeding {count - have:,} invoices ...", flush=True)
    _template, seconds = seed_invoices(
        env, count - have, partners_for(env), today=today
    )
    print(f"  seeded in {seconds:.0f} s (not a figure)")
    cr.execute("ANALYZE account_move")
    cr.execute("ANALYZE account_move_line")
