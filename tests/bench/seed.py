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
    """Create ``args.database`` with ``module`` (no demo data), or update
    ``module`` in it when it exists (a database of an older checkout has
    older tables), with the Odoo of ``ODOO_BIN`` and ``args.odoo_args``."""
    exists = args.database in db_service.list_dbs(True)
    print("Updating" if exists else "Creating", args.database, "...", flush=True)
    subprocess.run(
        [
            os.environ.get("ODOO_BIN", "odoo"),
            *args.odoo_args,
            f"--addons-path={addons_path}",
            "-d",
            args.database,
            # updated with the base addon, which the others extend
            "-u" if exists else "-i",
            module if module == "crm_invoices" else f"crm_invoices,{module}",
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


def seed_history(env, count, partners, today=None, days=730, due_days=30):
    """Clone ``count`` posted invoices dated over the last ``days`` days, due
    ``due_days`` after their date, most of them paid (a payment dated early or
    up to ~2 months late, reconciled with the invoice as Odoo reconciles it:
    a payment entry and a partial reconciliation of the two receivable
    lines); one in twenty never paid.  The trend's common case: two years of
    history, not one open invoice each."""
    today = today or date.today()
    cr = env.cr
    template = make_template(env, partners)
    payment = (
        env["account.payment.register"]
        .with_context(active_model="account.move", active_ids=template.ids)
        .create({"payment_date": template.invoice_date})
        ._create_payments()
    )
    env.flush_all()
    receivable = template.line_ids.filtered(
        lambda line: line.account_id.account_type == "asset_receivable"
    )
    partial = receivable.matched_credit_ids
    move_cols = _columns(cr, "account_move")
    line_cols = _columns(cr, "account_move_line")
    partial_cols = _columns(cr, "account_partial_reconcile")
    invoice_date = "%(today)s::date - (g %% %(days)s)"
    # the payment's delay in days after the due date: -20 to +59
    paid_on = f"({invoice_date} + %(due_days)s + (g * 37 %% 80) - 20)"
    paid = f"(g %% 20 <> 0 AND {paid_on} <= %(today)s)"
    invoice = {
        "name": "%(prefix)s || lpad((%(base)s + g)::text, 7, '0')",
        "sequence_number": "%(base)s + g",
        "partner_id": "(%(partners)s::int[])[1 + g %% %(npartners)s]",
        "commercial_partner_id": "(%(partners)s::int[])[1 + g %% %(npartners)s]",
        "invoice_date": invoice_date,
        "date": invoice_date,
        "invoice_date_due": f"{invoice_date} + %(due_days)s",
        "payment_state": f"CASE WHEN {paid} THEN 'paid' ELSE 'not_paid' END",
        "amount_residual": f"CASE WHEN {paid} THEN 0 ELSE m.amount_total END",
        "amount_residual_signed": f"CASE WHEN {paid} THEN 0"
        " ELSE m.amount_total_signed END",
        "crm_status": f"CASE WHEN {paid} THEN 'paid' ELSE 'unpaid' END",
        "payment_reference": "NULL",
        "access_token": "NULL",
        "inalterable_hash": "NULL",
        "secure_sequence_number": "NULL",
    }
    payment_move = {
        "name": "%(pay_prefix)s || lpad(n.sequence_number::text, 7, '0')",
        "sequence_number": "n.sequence_number",
        "partner_id": "n.partner_id",
        "commercial_partner_id": "n.partner_id",
        "date": "n.paid_on",
        "ref": "NULL",
        "payment_reference": "NULL",
        "access_token": "NULL",
        "inalterable_hash": "NULL",
        "secure_sequence_number": "NULL",
    }

    def line_select(source, moves):
        return ", ".join(
            {
                "move_id": f"{moves}.id",
                "move_name": f"{moves}.name",
                "partner_id": f"{moves}.partner_id",
                "date": f"{moves}.date",
                "invoice_date": f"{moves}.invoice_date",
                "date_maturity": f"CASE WHEN {source}.date_maturity IS NULL"
                f" THEN NULL ELSE {moves}.invoice_date_due END",
                "reconciled": "false",
                "amount_residual": "0",
                "amount_residual_currency": "0",
                "reconcile_model_id": "NULL",
                "full_reconcile_id": "NULL",
            }.get(col, f'{source}."{col}"')
            for col in line_cols
        )

    def quoted(cols):
        return ", ".join(f'"{col}"' for col in cols)

    for table, move in (
        ("bench_invoice_line", template),
        ("bench_pay_line", payment.move_id),
    ):
        cr.execute(f"DROP TABLE IF EXISTS {table}")
        cr.execute(
            f"CREATE TEMP TABLE {table} AS"  # noqa: S608 - trusted names
            " SELECT * FROM account_move_line WHERE move_id = %s",
            [move.id],
        )
    started = time.time()
    done = 0
    while done < count:
        size = min(BATCH if done else 500, count - done)
        cr.execute(
            f"""
            WITH new_moves AS (
                INSERT INTO account_move ({quoted(move_cols)})
                SELECT {", ".join(invoice.get(c, f'm."{c}"') for c in move_cols)}
                  FROM account_move m, generate_series(1, %(size)s) g
                 WHERE m.id = %(template)s
             RETURNING id, name, partner_id, date, invoice_date, invoice_date_due,
                       sequence_number, payment_state
            ),
            new_lines AS (
                INSERT INTO account_move_line ({quoted(line_cols)})
                SELECT {line_select("l", "n")}
                  FROM new_moves n, bench_invoice_line l
             RETURNING id, move_id, account_id
            ),
            paid AS (
                SELECT n.*, n.invoice_date_due - 20
                       + ((n.sequence_number - %(base)s) * 37 %% 80) AS paid_on
                  FROM new_moves n WHERE n.payment_state = 'paid'
            ),
            new_payments AS (
                INSERT INTO account_move ({quoted(move_cols)})
                SELECT {", ".join(payment_move.get(c, f'm."{c}"') for c in move_cols)}
                  FROM account_move m, paid n
                 WHERE m.id = %(payment_move)s
             RETURNING id, name, partner_id, date, invoice_date, invoice_date_due,
                       sequence_number
            ),
            payment_lines AS (
                INSERT INTO account_move_line ({quoted(line_cols)})
                SELECT {line_select("l", "n")}
                  FROM new_payments n, bench_pay_line l
             RETURNING id, move_id, account_id
            )
            INSERT INTO account_partial_reconcile ({quoted(partial_cols)})
            SELECT {
                ", ".join(
                    {
                        "debit_move_id": "invoice_line.id",
                        "credit_move_id": "payment_line.id",
                        "max_date": "payment.date",
                        "full_reconcile_id": "NULL",
                        "exchange_move_id": "NULL",
                    }.get(col, f'p."{col}"')
                    for col in partial_cols
                )
            }
              FROM account_partial_reconcile p,
                   new_payments payment
              JOIN new_moves invoice
                ON invoice.sequence_number = payment.sequence_number
              JOIN new_lines invoice_line ON invoice_line.move_id = invoice.id
                                         AND invoice_line.account_id = %(receivable)s
              JOIN payment_lines payment_line
                ON payment_line.move_id = payment.id
               AND payment_line.account_id = %(receivable)s
             WHERE p.id = %(partial)s
            """,  # noqa: S608 - trusted, generated column lists
            {
                "size": size,
                "template": template.id,
                "payment_move": payment.move_id.id,
                "partial": partial.id,
                "receivable": receivable.account_id.id,
                "prefix": "HIST/",
                "pay_prefix": "HPAY/",
                "base": done,
                "partners": partners.ids,
                "npartners": len(partners),
                "today": today,
                "days": days,
                "due_days": due_days,
            },
        )
        done += size
        for table in ("account_move", "account_move_line", "account_partial_reconcile"):
            cr.execute(f"ANALYZE {table}")  # noqa: S608 - trusted names
    cr.execute("DROP TABLE bench_invoice_line")
    cr.execute("DROP TABLE bench_pay_line")
    env.invalidate_all()
    return template, time.time() - started
