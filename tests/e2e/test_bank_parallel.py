"""Bank statement lines reconciled by two Odoo processes at the same instant.

Ten invoices; for each, two statement lines that both pay it exactly (the
same transfer imported twice through two banks, say).  Two processes match
and reconcile "their" lines at once: every invoice is paid exactly once, the
other line of each pair stays to review, and no line is reconciled twice.
"""

import time
from concurrent.futures import ThreadPoolExecutor

from conftest import shell

PAIRS = 10

SETUP = """
import json
from datetime import date
from odoo import Command
company = env.company
partner = env["res.partner"].create(
    {{"name": "Parallel Bank Payer SRL", "is_company": True}}
)
moves = env["account.move"].create([{{
    "move_type": "out_invoice", "partner_id": partner.id,
    "invoice_date": date.today(), "invoice_payment_term_id": False,
    "invoice_date_due": date.today(),
    "invoice_line_ids": [Command.create({{
        "name": "Servicii", "quantity": 1, "price_unit": 1000 + n,
        "tax_ids": [Command.clear()],
    }})],
}} for n in range({pairs})])
moves.action_post()
journals = [
    env["account.journal"].create(
        {{"name": f"E2E Bank {{n}}", "code": f"E2B{{n}}", "type": "bank"}}
    )
    for n in range(2)
]
lines = []
for journal in journals:
    statements = env["account.bank.statement"]
    statements = statements.with_context(crm_bank_defer_matching=True)
    statement = statements.create({{
        "journal_id": journal.id,
        "line_ids": [Command.create({{
            "date": date.today(), "payment_ref": f"plata {{move.name}}",
            "amount": move.amount_total,
        }}) for move in moves],
    }})
    lines.append(statement.line_ids.ids)
env.cr.commit()
print(json.dumps({{"moves": moves.ids, "lines": lines}}))
"""

RUN = """
import json, time
time.sleep(max(0.0, {start} - time.time()))
lines = env["account.bank.statement.line"].browse({lines})
done = lines._crm_match_and_reconcile()
env.cr.commit()
print(json.dumps({{"done": len(done)}}))
"""

CHECK = """
import json
moves = env["account.move"].browse({moves})
lines = env["account.bank.statement.line"].browse({lines})
print(json.dumps({{
    "paid": [move.payment_state for move in moves],
    "payments_per_invoice": [
        len(move.line_ids.filtered(
            lambda l: l.account_id.account_type == "asset_receivable"
        ).matched_credit_ids)
        for move in moves
    ],
    "reconciled_lines": len(lines.filtered("is_reconciled")),
}}))
"""


def test_two_processes_never_pay_an_invoice_twice(odoo_shell):
    setup = shell(odoo_shell, SETUP.format(pairs=PAIRS))
    start = time.time() + 12  # both shells are loaded by then
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = list(
            pool.map(
                lambda lines: shell(odoo_shell, RUN.format(start=start, lines=lines)),
                setup["lines"],
            )
        )
    all_lines = setup["lines"][0] + setup["lines"][1]
    check = shell(odoo_shell, CHECK.format(moves=setup["moves"], lines=all_lines))
    assert check["paid"] == ["paid"] * PAIRS, check
    assert check["payments_per_invoice"] == [1] * PAIRS, check
    assert check["reconciled_lines"] == PAIRS, (check, runs)
