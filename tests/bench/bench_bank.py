"""Match quality of bank statement lines: OCA's invoice-matching rule alone,
and ours, on a labelled statement.

Run it with the Python that runs Odoo, from the repository root, the OCA
addons on the addons path (bin/test's cache, or ``pip install --no-deps
--target <folder> -r requirements-oca.txt``):

    python tests/bench/bench_bank.py --oca-addons <folder>/odoo/addons -- -c ~/odoo.conf

It creates (once) the database ``crm_invoices_bank_bench`` with
``crm_invoices_bank``, 100,000 open invoices of 2,000 customers (amounts
varied, a third of the customers with a known IBAN) and a 5,000-line
statement whose truth is known, then, in a transaction rolled back, matches
the lines with OCA's rule alone and with ours, and prints for each:
reconciled by itself correctly, wrongly (target 0), suggested correctly,
left unmatched or wrongly suggested, time and query count.  OCA's rule
queries per line: it runs on a sample (``--oca-sample``, 500 by default),
and ours runs on the same sample and on the whole statement.

With ``--import-sizes 100,1000,5000,20000`` it times instead what the user
waits for: the whole import of CAMT.053 files of these sizes through the
wizard (parse, create, match, reconcile), ours -- past 500 lines the lines
are created, matched and reconciled by the background job, timed apart --
and OCA's
import with its own invoice-matching rule alone (up to ``--oca-import-max``
lines: it takes about 0.4 s a line), each in a transaction rolled back, and
prints seconds, queries per line and the time ratio.

The statement mixes, with a fixed seed: references typed the ways people
type them with the exact amount; references with typos (a digit swapped,
the year left out) from a known IBAN; one payment for two or three invoices
of a customer; part payments; no reference but a known IBAN and the exact
amount; the same amount owed by several customers with nothing else; bank
fees and interest that pay no invoice.
"""

import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from unittest.mock import patch

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_args  # noqa: E402 - beside this script

sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "crm_invoices_bank" / "tests"))

STATEMENT = "BENCH-STATEMENT-5000"


def parse_args():
    parser = bench_args.parser(__doc__, "crm_invoices_bank_bench", invoices=100_000)
    parser.add_argument("--lines", type=int, default=5000)
    parser.add_argument("--oca-sample", type=int, default=500)
    parser.add_argument("--oca-addons", default=os.environ.get("ODOO_OCA_ADDONS", ""))
    parser.add_argument(
        "--import-sizes",
        default="",
        help="time the whole import of CAMT.053 statements of these sizes "
        "(comma separated, e.g. 100,1000,5000) instead of the matching alone",
    )
    parser.add_argument(
        "--background-max",
        type=int,
        default=5000,
        help="the largest statement whose lines the background job then "
        "creates, matches and reconciles in the run (about 0.3 s a line); "
        "past it only what the user waits for is timed",
    )
    parser.add_argument(
        "--oca-import-max",
        type=int,
        default=1000,
        help="the largest statement imported with OCA's rule alone too",
    )
    return bench_args.parse(parser)


def addons_path(args):
    return ",".join(path for path in (str(ROOT), args.oca_addons) if path)


def ensure_database(args):
    from seed import ensure_database as create  # noqa: PLC0415

    create(args, "crm_invoices_bank", addons_path(args))


def seed(env, args):
    """100,000 open invoices with varied amounts, 2,000 customers, IBANs."""
    from schwifty import IBAN  # noqa: PLC0415
    from seed import seed_invoices  # noqa: PLC0415

    cr = env.cr
    cr.execute("SELECT count(*) FROM account_move WHERE name LIKE 'BENCH/%%'")
    if cr.fetchone()[0] >= args.invoices:
        return
    partners = env["res.partner"].create(
        [
            {"name": f"Bank bench customer {i:04d}", "is_company": True}
            for i in range(2000)
        ]
    )
    env["res.partner.bank"].create(
        [
            {
                "partner_id": partner.id,
                "acc_number": IBAN.generate(
                    "RO", bank_code="BTRL", account_code=f"RONCRT{partner.id:010d}"
                ).compact,
            }
            for partner in partners[::3]
        ]
    )
    print(f"Seeding {args.invoices:,} invoices ...", flush=True)
    seed_invoices(env, args.invoices, partners, today=date.today(), spread_days=300)
    # varied amounts: 50.00 to 9,999.99, cents included; one invoice in
    # five at one of 97 round prices (the same amount owed by many customers)
    cr.execute(
        """
        WITH amounts AS (
            SELECT id,
                   CASE WHEN id % 5 = 0
                        THEN 100 * (1 + (id::bigint * 7919) % 97)
                        ELSE round(
                            (50 + (id::bigint * 7919) % 995000 / 100.0)::numeric, 2
                        )
                   END AS amount
              FROM account_move WHERE name LIKE 'BENCH/%'
        )
        UPDATE account_move m
           SET amount_untaxed = a.amount, amount_total = a.amount,
               amount_residual = a.amount, amount_untaxed_signed = a.amount,
               amount_total_signed = a.amount, amount_residual_signed = a.amount,
               amount_total_in_currency_signed = a.amount,
               amount_untaxed_in_currency_signed = a.amount
          FROM amounts a WHERE m.id = a.id
        """
    )
    cr.execute(
        """
        UPDATE account_move_line l
           SET balance = CASE WHEN acc.account_type = 'asset_receivable'
                              THEN m.amount_total ELSE -m.amount_total END,
               debit = CASE WHEN acc.account_type = 'asset_receivable'
                            THEN m.amount_total ELSE 0 END,
               credit = CASE WHEN acc.account_type = 'asset_receivable'
                             THEN 0 ELSE m.amount_total END,
               amount_currency = CASE WHEN acc.account_type = 'asset_receivable'
                                      THEN m.amount_total ELSE -m.amount_total END,
               amount_residual = CASE WHEN acc.account_type = 'asset_receivable'
                                      THEN m.amount_total ELSE 0 END,
               amount_residual_currency =
                   CASE WHEN acc.account_type = 'asset_receivable'
                        THEN m.amount_total ELSE 0 END,
               price_unit = CASE WHEN l.display_type = 'product' THEN m.amount_total
                                 ELSE l.price_unit END,
               price_subtotal = CASE WHEN l.display_type = 'product' THEN m.amount_total
                                     ELSE l.price_subtotal END,
               price_total = CASE WHEN l.display_type = 'product' THEN m.amount_total
                                  ELSE l.price_total END
          FROM account_move m, account_account acc
         WHERE l.move_id = m.id AND acc.id = l.account_id AND m.name LIKE 'BENCH/%'
        """
    )
    cr.execute("ANALYZE account_move")
    cr.execute("ANALYZE account_move_line")
    env.cr.commit()


def references_as_odoo_writes_them(env):
    """Each invoice's payment reference and receivable line label are its
    number, as Odoo writes them when it posts an invoice (the seeding clones
    one template's): OCA's rule matches a line's details against that label."""
    cr = env.cr
    cr.execute(
        """
        UPDATE account_move SET payment_reference = name
         WHERE name LIKE 'BENCH/%' AND payment_reference IS DISTINCT FROM name
        """
    )
    cr.execute(
        """
        UPDATE account_move_line l SET name = m.name
          FROM account_move m, account_account a
         WHERE m.id = l.move_id AND a.id = l.account_id
           AND a.account_type = 'asset_receivable' AND m.name LIKE 'BENCH/%'
           AND l.name IS DISTINCT FROM m.name
        """
    )
    env.cr.commit()
    env.invalidate_all()


def mangle(rng, name):
    """An invoice number as a person types it."""
    _prefix, year, number = name.split("/")
    number = int(number)
    forms = [
        f"{name}",
        f"INV {year} {number}",
        f"c/v fact {name}",
        f"ff {number}/{year}",
        f"factura nr. {number} din "
        f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.{year}",
        f"BENCH-{year}-{number:07d}",
        f"plata fact. BENCH {year}/{number}",
    ]
    return rng.choice(forms)


def typo(rng, name):
    """A reference with a mistake: no year, or two digits swapped."""
    _prefix, year, number = name.split("/")
    digits = list(str(int(number)))
    if len(digits) > 2 and rng.random() < 0.5:
        i = rng.randrange(len(digits) - 1)
        digits[i], digits[i + 1] = digits[i + 1], digits[i]
        return f"fact {''.join(digits)}/{year}"
    return f"plata factura {int(number)}"


def labelled_entries(env, count, seed=20261125):
    """``count`` statement entries (plain dicts, as :mod:`camt` writes them)
    and, per entry, the invoices it pays."""
    rng = random.Random(seed)
    cr = env.cr
    cr.execute(
        """
        SELECT m.id, m.name, m.commercial_partner_id, m.amount_residual
          FROM account_move m
         WHERE m.name LIKE 'BENCH/%' AND m.payment_state = 'not_paid'
         ORDER BY m.id
        """
    )
    invoices = cr.fetchall()
    by_partner = {}
    for row in invoices:
        by_partner.setdefault(row[2], []).append(row)
    cr.execute(
        "SELECT partner_id, acc_number FROM res_partner_bank "
        "WHERE partner_id = ANY(%s)",
        [list(by_partner)],
    )
    ibans = dict(cr.fetchall())
    by_amount = {}
    for row in invoices:
        by_amount.setdefault(row[3], []).append(row)
    shared_amounts = [
        amount for amount, rows in by_amount.items() if len({r[2] for r in rows}) > 1
    ]
    used = set()
    entries, truth = [], []
    today = date.today()

    def pick(with_iban=None):
        while True:
            row = rng.choice(invoices)
            if row[0] in used:
                continue
            if with_iban is not None and (row[2] in ibans) != with_iban:
                continue
            used.add(row[0])
            return row

    for _n in range(count):
        kind = rng.random()
        iban = None
        if kind < 0.55:
            row = pick()
            text, amount, paid = mangle(rng, row[1]), row[3], [row[0]]
            iban = ibans.get(row[2]) if rng.random() < 0.5 else None
        elif kind < 0.65:
            row = pick(with_iban=True)
            text, amount, paid = typo(rng, row[1]), row[3], [row[0]]
            iban = ibans[row[2]]
        elif kind < 0.73:
            row = pick()
            group = [
                r for r in by_partner[row[2]] if r[0] not in used and r[0] != row[0]
            ][:2]
            group = [row, *group]
            for r in group:
                used.add(r[0])
            text = "facturi " + ", ".join(r[1] for r in group)
            amount, paid = sum(r[3] for r in group), [r[0] for r in group]
        elif kind < 0.80:
            row = pick()
            part = round(float(row[3]) * rng.choice([0.3, 0.5, 0.7]), 2)
            text, amount, paid = f"avans {mangle(rng, row[1])}", part, [row[0]]
        elif kind < 0.90:
            row = pick(with_iban=True)
            text, amount, paid = "plata servicii", row[3], [row[0]]
            iban = ibans[row[2]]
        elif kind < 0.95 and shared_amounts:  # none in a tiny run
            amount = rng.choice(shared_amounts)
            row = by_amount[amount][0]
            text, paid = "transfer", [row[0]]
        else:
            text = rng.choice(["Comision administrare", "Dobanda", "Rambursare chirie"])
            amount, paid = round(rng.uniform(0.1, 80), 2), []
        entries.append(
            {
                "date": today - timedelta(days=rng.randint(0, 5)),
                "text": text,
                "amount": float(amount),
                "iban": iban,
            }
        )
        truth.append(paid)
    return entries, truth


def build_statement(env, args):
    """The labelled statement: lines and, per line, the invoices it pays."""
    from odoo import Command  # noqa: PLC0415

    entries, truth = labelled_entries(env, args.lines)
    lines = [
        Command.create(
            {
                "date": entry["date"],
                "payment_ref": entry["text"],
                "amount": entry["amount"],
                "account_number": entry["iban"],
            }
        )
        for entry in entries
    ]
    journal = env["account.journal"].search([("type", "=", "bank")], limit=1)
    statement = (
        env["account.bank.statement"]
        .with_context(crm_bank_defer_matching=True)
        .create({"name": STATEMENT, "journal_id": journal.id, "line_ids": lines})
    )
    return statement, truth


def classify(results, truth_of):
    """``{auto_right, auto_wrong, suggested_right, unmatched}``."""
    counts = dict.fromkeys(
        ("auto_right", "auto_wrong", "suggested_right", "unmatched"), 0
    )
    for line_id, (auto, invoice_ids) in results.items():
        truth = sorted(truth_of[line_id])
        found = sorted(invoice_ids)
        if auto:
            counts["auto_right" if found == truth and truth else "auto_wrong"] += 1
        elif found and found == truth:
            counts["suggested_right"] += 1
        else:
            counts["unmatched"] += 1
    return counts


def run_ours(lines):
    env = lines.env
    env.invalidate_all()
    queries = env.cr.sql_log_count
    started = time.perf_counter()
    matches = lines._crm_match()
    elapsed = time.perf_counter() - started
    results = {
        line_id: (m.kind == "auto", m.invoice_ids) for line_id, m in matches.items()
    }
    return results, elapsed, env.cr.sql_log_count - queries


def oca_rule(env, company):
    """OCA's own invoice-matching rule, reconciling by itself."""
    return env["account.reconcile.model"].create(
        {
            "name": "OCA invoice matching (bench)",
            "rule_type": "invoice_matching",
            "auto_reconcile": True,
            "match_nature": "amount_received",
            "match_partner": False,
            "match_text_location_label": True,
            "match_same_currency": True,
            "allow_payment_tolerance": False,
            "company_id": company.id,
        }
    )


def run_oca(lines):
    env = lines.env
    model = oca_rule(env, lines.company_id)
    env.invalidate_all()
    queries = env.cr.sql_log_count
    started = time.perf_counter()
    results = {}
    for line in lines:
        found = model._apply_rules(line, line._retrieve_partner())
        moves = found.get("amls", env["account.move.line"]).move_id.ids if found else []
        results[line.id] = (bool(found.get("auto_reconcile")), moves)
    return results, time.perf_counter() - started, env.cr.sql_log_count - queries


def import_statement(env, entries, truth, oca=False, background=True):
    """Import ``entries`` as a CAMT.053 file through the wizard, as a user
    does, with our matching or (``oca``) with OCA's import and its own
    invoice-matching rule alone; the seconds, the queries, and the lines
    reconciled rightly and wrongly."""
    import base64  # noqa: PLC0415

    import camt  # noqa: PLC0415

    journal = env["account.journal"].search([("type", "=", "bank")], limit=1)
    currency = journal.currency_id or journal.company_id.currency_id
    data = camt.statement(
        entries, currency=currency.name, name=f"BENCH-IMPORT-{len(entries)}"
    )
    wizard = (
        env["account.statement.import"]
        .with_context(journal_id=journal.id)
        .create(
            {"statement_file": base64.b64encode(data), "statement_filename": "s.xml"}
        )
    )
    if oca:
        env["account.reconcile.model"].search(
            [("crm_bank_matching", "=", True)]
        ).active = False
        oca_rule(env, journal.company_id)
        # the wizard's import as OCA's addons define it (ours bypassed)
        ours = next(
            klass
            for klass in type(wizard).__mro__
            if klass.__module__.endswith(
                "crm_invoices_bank.wizards.account_statement_import"
            )
        )
        run = super(ours, wizard)._import_file
    else:
        run = wizard._import_file
    env.flush_all()
    env.invalidate_all()
    queries = env.cr.sql_log_count
    started = time.perf_counter()
    if oca:
        # OCA's import creates every line while the user waits (patched on
        # the class, not in a parameter: a parameter's cache outlives the
        # rollback and would slow the next run of ours)
        chunks_class = type(env["crm.invoices.bank.import.chunk"])
        with patch.object(chunks_class, "_create_now_limit", lambda self: 10**9):
            result = run()
    else:
        result = run()
    env.flush_all()
    elapsed = time.perf_counter() - started
    queries = env.cr.sql_log_count - queries
    # past the lines created while the user waits, the background job
    # creates, matches and reconciles the rest, chunk by chunk; past the
    # lines reconciled while the user waits, the other job reconciles them,
    # batch by batch: as the cron would run them
    later = later_queries = 0.0
    if not oca and not background:
        return elapsed, queries, None, None, None, 0
    matcher = env["crm.invoices.bank.matcher"]
    chunks = env["crm.invoices.bank.import.chunk"]
    line_model = env["account.bank.statement.line"]
    started, before = time.perf_counter(), env.cr.sql_log_count
    while not oca and chunks.search_count([("error", "=", False)]):
        chunks._cron_create_lines()
        env.flush_all()
    while not oca and line_model.search_count([("crm_reconcile_queued", "=", True)]):
        matcher._cron_reconcile_queued()
        env.flush_all()
    later = time.perf_counter() - started
    later_queries = env.cr.sql_log_count - before
    env.invalidate_all()  # the lines the background job created
    lines = env["account.bank.statement"].browse(result["statement_ids"]).line_ids
    lines = lines.sorted(lambda line: (line.sequence, line.id))
    right = wrong = 0
    for line, paid in zip(lines.sorted("id"), truth, strict=True):
        if not line.is_reconciled:
            continue
        moves = line.move_id.line_ids.matched_debit_ids.debit_move_id.move_id
        if sorted(moves.ids) == sorted(paid):
            right += 1
        else:
            wrong += 1
    return elapsed, queries, right, wrong, later, later_queries


def bench_imports(registry, args):
    """The whole import (parse, create, match, reconcile) of statements of
    ``--import-sizes`` lines: ours, and OCA's with its own rule alone."""
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    sizes = [int(size) for size in args.import_sizes.split(",") if size]
    rows = []
    for size in sizes:
        figures = {}
        for oca in (False, True):
            if oca and size > args.oca_import_max:
                continue
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                entries, truth = labelled_entries(env, size, seed=size)
                figures[oca] = import_statement(
                    env,
                    entries,
                    truth,
                    oca=oca,
                    background=size <= args.background_max,
                )
                cr.rollback()
            later = figures[oca][4]
            print(
                f"  {size:>6} lines, {'OCA' if oca else 'ours'}: "
                f"{figures[oca][0]:.1f} s the user waits"
                + (
                    f" + {later:.1f} s in the background"
                    if later is not None
                    else " (the background not run)"
                )
                + f", {figures[oca][1] + figures[oca][5]:.0f} queries",
                flush=True,
            )
        rows.append((size, figures))
    print(
        f"\nStatement import, end to end (CAMT.053 through the wizard: parse, "
        f"create, match, reconcile), against {args.invoices:,} open invoices"
    )
    print(
        "| lines | ours: import s (user waits) | ours: background s "
        "| ours queries/line | ours reconciled (wrong) "
        "| OCA s | OCA queries/line | OCA reconciled (wrong) | ratio ours/OCA |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size, figures in rows:
        ours = figures[False]
        oca = figures.get(True)
        if ours[4] is None:  # what the user waits for only
            print(
                f"| {size:,} | {ours[0]:.1f} | not run | {ours[1] / size:.1f} "
                "(the import alone) | | | | | |"
            )
            continue
        cells = [
            f"{size:,}",
            f"{ours[0]:.1f}",
            f"{ours[4]:.1f}" if ours[4] > 0.05 else "-",
            f"{(ours[1] + ours[5]) / size:.1f}",
            f"{ours[2]} ({ours[3]})",
        ]
        if oca:
            cells += [
                f"{oca[0]:.1f}",
                f"{oca[1] / size:.1f}",
                f"{oca[2]} ({oca[3]})",
                f"{(ours[0] + ours[4]) / oca[0]:.2f}",
            ]
        else:
            cells += ["-", "-", "-", f"(OCA not run past {args.oca_import_max:,})"]
        print("| " + " | ".join(cells) + " |")
    print(
        "ratio: ours (import and background) / OCA's import, which reconciles "
        "with its own rule while the user waits"
    )


def main():
    args = parse_args()
    import odoo  # noqa: PLC0415
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    odoo.tools.config.parse_config(
        [*args.odoo_args, f"--addons-path={addons_path(args)}"]
    )
    ensure_database(args)
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        seed(env, args)
        references_as_odoo_writes_them(env)
    if args.import_sizes:
        bench_imports(registry, args)
        return
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        statement, truth = build_statement(env, args)
        lines = statement.line_ids.sorted("id")
        truth_of = dict(zip(lines.ids, truth, strict=True))
        rng = random.Random(7)
        sample = lines.browse(
            sorted(rng.sample(lines.ids, min(args.oca_sample, len(lines))))
        )
        ours_all, ours_time, ours_queries = run_ours(lines)
        ours_sample, sample_time, sample_queries = run_ours(sample)
        oca, oca_time, oca_queries = run_oca(sample)
        small, _t, small_queries = run_ours(lines[:50])
        cr.rollback()

    print(
        f"\nBank matching: {len(lines):,} statement lines against "
        f"{args.invoices:,} open invoices (2,000 customers)"
    )
    header = (
        f"  {'':34} {'auto right':>10} {'auto WRONG':>10} {'suggested':>10} "
        f"{'unmatched':>10} {'time':>9} {'queries':>8}"
    )
    print(header)

    def row(label, results, seconds, queries):
        c = classify(results, truth_of)
        print(
            f"  {label:34} {c['auto_right']:>10} {c['auto_wrong']:>10} "
            f"{c['suggested_right']:>10} {c['unmatched']:>10} "
            f"{seconds:8.1f}s {queries:>8}"
        )

    row(f"OCA's rule, {len(sample)} lines", oca, oca_time, oca_queries)
    row(f"ours, the same {len(sample)} lines", ours_sample, sample_time, sample_queries)
    row(f"ours, all {len(lines):,} lines", ours_all, ours_time, ours_queries)
    print(
        f"  ours: {small_queries} queries for 50 lines, "
        f"{ours_queries} for {len(lines):,} "
        "(per batch of 2,000 lines, not per line)"
    )


if __name__ == "__main__":
    main()
