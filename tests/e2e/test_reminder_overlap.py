"""Two processes run the payment reminder job at once on one customer's
invoices: every due invoice gets exactly one reminder (none twice, none lost).

The processes are real ``odoo shell`` processes on the e2e database; their
jobs start at the same instant and commit in small batches, so they meet on
the same invoices and the same customer.
"""

import time
from concurrent.futures import ThreadPoolExecutor

from conftest import shell

INVOICES = 60

SETUP = f"""
import json
from datetime import timedelta
from odoo import Command, fields
# a signup invitation in each email used to write the customer
env["ir.config_parameter"].set_param("auth_signup.invitation_scope", "b2c")
customer = env["res.partner"].create(
    {{"name": "Overlap Customer SRL", "email": "overlap@example.com"}}
)
today = fields.Date.context_today(customer)
moves = env["account.move"].create([
    {{
        "move_type": "out_invoice",
        "partner_id": customer.id,
        "invoice_date": today - timedelta(days=40),
        "invoice_payment_term_id": False,
        "invoice_date_due": today - timedelta(days=10),
        "invoice_line_ids": [Command.create(
            {{"name": "Overlap", "quantity": 1, "price_unit": 100,
              "tax_ids": [Command.clear()]}}
        )],
    }}
    for _i in range({INVOICES})
])
moves.action_post()
env.cr.commit()
print(json.dumps({{"ids": moves.ids, "customer": customer.id}}))
"""

RUN = """
import json, time
time.sleep(max(0.0, {start} - time.time()))
sent = env["crm.invoices.reminder.engine"]._cron_send_reminders(batch_size=7)
env.cr.commit()
print(json.dumps({{"sent": sent}}))
"""

CHECK = """
import json
ids = {ids}
rows = env["crm.invoices.reminder"].read_group(
    [("move_id", "in", ids)], ["move_id"], ["move_id"]
)
counts = {{row["move_id"][0]: row["move_id_count"] for row in rows}}
customer = env["res.partner"].browse({customer})
print(json.dumps({{
    "counts": [counts.get(move_id, 0) for move_id in ids],
    "signup_type": customer.signup_type or None,
}}))
"""


def test_two_reminder_runs_at_once_send_each_reminder_exactly_once(odoo_shell):
    setup = shell(odoo_shell, SETUP)
    start = time.time() + 12  # both shells are loaded by then
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = list(
            pool.map(lambda _run: shell(odoo_shell, RUN.format(start=start)), range(2))
        )
    check = shell(odoo_shell, CHECK.format(**setup))
    assert check["counts"] == [1] * INVOICES, (runs, check["counts"])
    assert sum(run["sent"] for run in runs) >= INVOICES
    assert all(run["sent"] > 0 for run in runs), runs  # they did overlap
    assert check["signup_type"] is None
