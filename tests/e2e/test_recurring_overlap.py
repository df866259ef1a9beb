"""Two processes run the recurring invoices job at once: every schedule's
missed periods are invoiced exactly once each (none twice, none lost).

The processes are real ``odoo shell`` processes on the e2e database; their
jobs start at the same instant and commit in small batches, so they meet on
the same schedules.  A run that loses a race to the other one fails to
serialize and runs again, as Odoo's scheduler runs a job again.
"""

import time
from concurrent.futures import ThreadPoolExecutor

from conftest import shell

SCHEDULES = 40
WEEKS_MISSED = 3

SETUP = f"""
import json
from datetime import timedelta
from odoo import Command, fields
from odoo.addons.crm_invoices.lib.perfex_recurrence import Recurrence
env.company.crm_recurring_invoice_state = "posted"
customer = env["res.partner"].create({{"name": "Recurring Overlap SRL"}})
today = fields.Date.context_today(customer)
moves = env["account.move"].create([
    {{
        "move_type": "out_invoice",
        "partner_id": customer.id,
        "invoice_date": today - timedelta(weeks={WEEKS_MISSED}, days=1),
        "invoice_payment_term_id": False,
        "invoice_date_due": today + timedelta(days=30),
        "invoice_line_ids": [Command.create(
            {{"name": "Weekly service", "quantity": 1, "price_unit": 10,
              "tax_ids": [Command.clear()]}}
        )],
    }}
    for _i in range({SCHEDULES})
])
moves.action_post()
for move in moves:
    # from the invoice's week on: the job has three weeks to catch up
    move._crm_set_schedule(
        Recurrence(1, "week", custom=True), move.invoice_date + timedelta(weeks=1)
    )
env.cr.commit()
print(json.dumps({{"ids": moves.ids}}))
"""

RUN = """
import json, time
from psycopg2 import errors
type(env["contract.contract"])._crm_batch_size = 3
time.sleep(max(0.0, {start} - time.time()))
made, retries = 0, 0
for _attempt in range(20):
    try:
        made += len(env["contract.contract"].cron_recurring_create_invoice())
        env.cr.commit()
        break
    except (errors.SerializationFailure, errors.LockNotAvailable):
        env.cr.rollback()
        env.invalidate_all()
        retries += 1
print(json.dumps({{"made": made, "retries": retries}}))
"""

CHECK = """
import json
ids = {ids}
moves = env["account.move"].search(
    [("crm_recurring_contract_id.crm_source_invoice_id", "in", ids)]
)
periods = {{}}
for move in moves:
    key = move.crm_recurring_contract_id.crm_source_invoice_id.id
    periods.setdefault(key, []).append(str(move.crm_recurring_period))
print(json.dumps({{
    "counts": [len(periods.get(move_id, [])) for move_id in ids],
    "distinct": [len(set(periods.get(move_id, []))) for move_id in ids],
}}))
"""


def test_two_recurring_runs_at_once_make_each_period_once(odoo_shell):
    setup = shell(odoo_shell, SETUP)
    start = time.time() + 12  # both shells are loaded by then
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = list(
            pool.map(lambda _run: shell(odoo_shell, RUN.format(start=start)), range(2))
        )
    check = shell(odoo_shell, CHECK.format(**setup))
    assert check["counts"] == [WEEKS_MISSED] * SCHEDULES, (runs, check)
    assert check["distinct"] == [WEEKS_MISSED] * SCHEDULES
    print("runs", runs)
    assert all(run["retries"] < 20 for run in runs), runs
    # a third run the same day makes nothing
    again = shell(odoo_shell, RUN.format(start=0))
    assert again["made"] == 0, again
