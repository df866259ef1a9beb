"""Prepare a database for the end-to-end tests; run with ``odoo shell``.

Creates a customer, a token with every scope, a read-only token and a token
limited to LIMIT requests a minute for the admin user, and prints them as one
JSON line (the last line of the output).

It also makes the database look like one migrated from Perfex CRM, which the
Perfex clients' requests (tests/e2e/test_client_perfex.py) assume as they
are written: the customer with Perfex client id 1, the staff member 1, the
taxes CGST and SGST of 9 %, and invoice 1 of 2020 (the module's examples are
dated 2020) with its items 1, 2 and 3 (the first invoice and lines of a new
database).
"""

# ruff: noqa: F821 - ``env`` is given by odoo shell
import json
from datetime import date

from odoo import Command

LIMIT = 10

# Perfex's ids first, so that the first invoice and lines get ids 1, 2, 3
perfex_client = env["res.partner"].create(
    {
        "name": "Trueline SRL",
        "email": "accounts@trueline.example.com",
        "is_company": True,
        "crm_perfex_id": 1,
    }
)
env.ref("base.user_admin").crm_perfex_id = 1
invoice_one = env["account.move"].create(
    {
        "move_type": "out_invoice",
        "partner_id": perfex_client.id,
        "invoice_date": date(2020, 8, 1),
        "invoice_payment_term_id": False,
        "invoice_date_due": date(2020, 8, 31),
        "invoice_line_ids": [
            Command.create(
                {"name": name, "quantity": 1, "price_unit": 5, "tax_ids": []}
            )
            for name in ("Camera", "Soundbar", "Cable")
        ],
    }
)
invoice_one.action_post()
perfex_items = invoice_one.invoice_line_ids.sorted("id").ids

customer = env["res.partner"].create(
    {"name": "E2E Client SRL", "email": "e2e@example.com", "is_company": True}
)
tax = env["account.tax"].search(
    [
        ("type_tax_use", "=", "sale"),
        ("company_id", "=", env.company.id),
        ("amount_type", "=", "percent"),
    ],
    limit=1,
)
for name in ("CGST", "SGST"):
    env["account.tax"].create(
        {"name": name, "amount": 9.0, "type_tax_use": "sale", "amount_type": "percent"}
    )
# the webhook receivers of tests/e2e/test_webhooks_n8n.py listen on 127.0.0.1
env["ir.config_parameter"].set_param("crm_invoices.webhook_allow_private", "True")
tokens = {}
for name, scopes, limit in (
    ("e2e-full", ("read", "create", "update", "delete", "webhooks"), 0),
    ("e2e-read", ("read",), 0),
    ("e2e-limited", ("read",), LIMIT),
):
    token = env["crm.invoices.api.token"].create(
        {
            "name": name,
            "user_id": env.ref("base.user_admin").id,
            "rate_limit": limit,
            **{f"scope_{scope}": True for scope in scopes},
        }
    )
    tokens[name] = token.action_generate()["context"]["default_token"]
env.cr.commit()
print(
    json.dumps(
        {
            "clientid": customer.id,
            "token": tokens["e2e-full"],
            "read_token": tokens["e2e-read"],
            "limited_token": tokens["e2e-limited"],
            "limit": LIMIT,
            "perfex_invoice": invoice_one.id,
            "perfex_items": perfex_items,
            "tax": f"{tax.name}|{tax.amount:.2f}" if tax else "",
        }
    )
)
