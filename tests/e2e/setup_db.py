"""Prepare a database for the end-to-end tests; run with ``odoo shell``.

Creates a customer, a token with every scope, a read-only token and a token
limited to LIMIT requests a minute for the admin user, and prints them as one
JSON line (the last line of the output).
"""

# ruff: noqa: F821 - ``env`` is given by odoo shell
import json

LIMIT = 10

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
tokens = {}
for name, scopes, limit in (
    ("e2e-full", ("read", "create", "update", "delete"), 0),
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
            "tax": f"{tax.name}|{tax.amount:.2f}" if tax else "",
        }
    )
)
