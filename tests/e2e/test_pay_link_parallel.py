"""Pay links under parallel clients, on a live server.

- A done payment whose customer reloads the status page in many tabs (and
  whose provider notifies at the same time) is posted once: one payment,
  the invoice paid.
- An expired link whose "email me a new link" button is pressed in many
  tabs at once issues one new link and sends one email.
- Payments started on one link from many tabs at once: one transaction is
  created, the others are refused (never two charges).
- Payments started at once through three doors to the same invoice -- a
  statement link, the invoice's own link, Odoo's portal: one transaction.
- A payment confirmed by the provider and not yet recorded by Odoo holds
  every door, many clients at once; the next page opened records it.
"""

import re
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import requests
from conftest import shell

CLIENTS = 8

SETUP = """
import json
from datetime import timedelta
from odoo import Command, fields
provider = env.ref("payment.payment_provider_demo")
journal = env["account.journal"].search(
    [("type", "=", "bank"), ("company_id", "=", env.company.id)], limit=1
)
provider.write({"state": "test", "is_published": True, "journal_id": journal.id})
customer = env["res.partner"].create(
    {"name": "Parallel Payer SRL", "email": "payer@example.com"}
)
def invoice():
    move = env["account.move"].create({
        "move_type": "out_invoice",
        "partner_id": customer.id,
        "invoice_line_ids": [Command.create(
            {"name": "Parallel", "quantity": 1, "price_unit": 250,
             "tax_ids": [Command.clear()]}
        )],
    })
    move.action_post()
    return move
paid, expired, busy = invoice(), invoice(), invoice()
link = paid.crm_pay_link_id
tx = env["payment.transaction"].sudo().create({
    "provider_id": provider.id,
    "payment_method_id": env.ref("payment_demo.payment_method_demo").id,
    "amount": paid.amount_residual,
    "currency_id": paid.currency_id.id,
    "partner_id": customer.id,
    "invoice_ids": [Command.set(paid.ids)],
    "crm_pay_link_id": link.id,
    "operation": "online_direct",
})
tx._set_done()  # done at the provider, not yet post-processed
expired.crm_pay_link_id.expiry_date = fields.Datetime.now() - timedelta(days=1)
env.cr.commit()
token = lambda move: move.crm_pay_link_id.url.rsplit("/", 1)[1]
print(json.dumps({
    "paid": paid.id, "paid_token": token(paid),
    "expired": expired.id, "expired_token": token(expired), "tx": tx.id,
    "busy": busy.id, "busy_token": token(busy),
    "provider": provider.id,
    "method": env.ref("payment_demo.payment_method_demo").id,
}))
"""

CHECK = """
import json
paid = env["account.move"].browse({paid})
expired = env["account.move"].browse({expired})
busy = env["account.move"].browse({busy})
tx = env["payment.transaction"].browse({tx})
links = env["crm.invoices.pay.link"].sudo().search([("move_id", "=", expired.id)])
print(json.dumps({{
    "payments": env["account.payment"].search_count(
        [("payment_transaction_id", "=", tx.id)]
    ),
    "payment_state": paid.payment_state,
    "residual": paid.amount_residual,
    "links": len(links),
    "open_links": len(links.filtered(lambda link: not link.revoked)),
    "renewal_emails": len(expired.message_ids.filtered(
        lambda message: "new link to pay" in (message.subject or "")
    )),
    "busy_transactions": env["payment.transaction"].sudo().search_count(
        [("crm_pay_link_id.move_id", "=", busy.id)]
    ),
}}))
"""


def start_payment(base_url, route, setup, path=None, **params):
    """What Odoo's payment form posts to a link's transaction route (or to
    ``path``): whether a transaction was created (a refusal is an error
    answer, never a 500)."""
    answer = requests.post(
        f"{base_url}{path or f'/pay/{route}/transaction'}",
        json={
            "jsonrpc": "2.0",
            "method": "call",
            "params": {
                "provider_id": setup["provider"],
                "payment_method_id": setup["method"],
                "token_id": None,
                "flow": "direct",
                "tokenization_requested": False,
                "landing_route": "/ignored",
                "is_validation": False,
                "access_token": "ignored",
                **params,
            },
        },
        timeout=60,
    )
    assert answer.status_code == 200, answer.text[:300]
    return "result" in answer.json()


def start_on_door(base_url, setup, index):
    """A payment of the statement's first invoice through one of three doors:
    the statement link, the invoice's own link, Odoo's portal."""
    door = index % 3
    if door == 0:
        return start_payment(base_url, f"statement/{setup['statement_token']}", setup)
    if door == 1:
        return start_payment(base_url, setup["invoice_token"], setup)
    return start_payment(
        base_url,
        None,
        setup,
        path=f"/invoice/transaction/{setup['moves'][0]}",
        access_token=setup["portal_token"],
        amount=100,
    )


def at_once(function, count=CLIENTS):
    """Run ``function(i)`` in ``count`` threads released together."""
    barrier = Barrier(count)

    def run(index):
        barrier.wait()
        return function(index)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def test_parallel_status_pages_and_renewals_act_once(odoo_shell, base_url):
    setup = shell(odoo_shell, SETUP)

    statuses = at_once(
        lambda _i: (
            requests.get(
                f"{base_url}/pay/{setup['paid_token']}/status", timeout=60
            ).status_code
        )
    )
    assert statuses == [200] * CLIENTS

    def renew(_index):
        session = requests.Session()
        page = session.get(f"{base_url}/pay/{setup['expired_token']}", timeout=60)
        assert page.status_code == 410
        csrf = re.search(r'name="csrf_token"\s+value="([^"]+)"', page.text)[1]
        return session.post(
            f"{base_url}/pay/{setup['expired_token']}/renew",
            data={"csrf_token": csrf},
            timeout=60,
        ).status_code

    assert set(at_once(renew)) <= {200, 404}

    def start(_index):
        return start_payment(base_url, setup["busy_token"], setup)

    started = at_once(start)
    assert started.count(True) == 1, started

    check = shell(odoo_shell, CHECK.format(**setup))
    assert check["payments"] == 1, check
    assert check["payment_state"] in ("paid", "in_payment"), check
    assert check["residual"] == 0, check
    assert check["links"] == 2, check  # the expired one, revoked, and one new
    assert check["open_links"] == 1, check
    assert check["renewal_emails"] == 1, check
    assert check["busy_transactions"] == 1, check


STATEMENT_SETUP = """
import json
from odoo import Command
provider = env.ref("payment.payment_provider_demo")
journal = env["account.journal"].search(
    [("type", "=", "bank"), ("company_id", "=", env.company.id)], limit=1
)
provider.write({"state": "test", "is_published": True, "journal_id": journal.id})
customer = env["res.partner"].create(
    {"name": "Statement Payer SRL", "email": "statement@example.com"}
)
moves = env["account.move"]
for amount in (100, 200, 300):
    move = env["account.move"].create({
        "move_type": "out_invoice",
        "partner_id": customer.id,
        "invoice_line_ids": [Command.create(
            {"name": "Statement", "quantity": 1, "price_unit": amount,
             "tax_ids": [Command.clear()]}
        )],
    })
    move.action_post()
    moves |= move
link = env["crm.invoices.statement.link"].sudo()._issue(moves)
env.cr.commit()
print(json.dumps({
    "moves": moves.ids,
    "statement_token": link.url.rsplit("/", 1)[1],
    "invoice_token": moves[0].crm_pay_link_id.url.rsplit("/", 1)[1],
    "portal_token": moves[0]._portal_ensure_token(),
    "provider": provider.id,
    "method": env.ref("payment_demo.payment_method_demo").id,
}))
"""

STATEMENT_CHECK = """
import json
moves = env["account.move"].browse({moves})
transactions = env["payment.transaction"].sudo().search(
    [("invoice_ids", "in", moves.ids)]
)
print(json.dumps({{
    "transactions": len(transactions),
    "first_invoice_in": len(transactions.filtered(
        lambda tx: moves[0] in tx.invoice_ids
    )),
}}))
"""


def test_three_doors_paid_at_once_charge_once(odoo_shell, base_url):
    """Clients start payments at once on a customer's statement link, on the
    own link of one of its invoices and on Odoo's portal for that invoice:
    one transaction takes the invoice, every other request is refused."""
    setup = shell(odoo_shell, STATEMENT_SETUP)
    started = at_once(lambda index: start_on_door(base_url, setup, index), count=9)
    assert started.count(True) == 1, started
    check = shell(odoo_shell, STATEMENT_CHECK.format(**setup))
    assert check == {"transactions": 1, "first_invoice_in": 1}, check


CONFIRM = """
import json
moves = env["account.move"].browse({moves})
tx = env["payment.transaction"].sudo().search(
    [("invoice_ids", "in", moves.ids)], order="id desc", limit=1
)
tx._set_done()  # the provider confirmed it; Odoo has not recorded it yet
env.cr.commit()
print(json.dumps({{"tx": tx.id, "invoices": tx.invoice_ids.ids}}))
"""

PAID_CHECK = """
import json
moves = env["account.move"].browse({moves})
print(json.dumps({{
    "transactions": env["payment.transaction"].sudo().search_count(
        [("invoice_ids", "in", moves.ids)]
    ),
    "payments": env["account.payment"].search_count(
        [("payment_transaction_id.invoice_ids", "in", moves.ids)]
    ),
    "residual": moves.mapped("amount_residual"),
    "credit": moves[0].partner_id.credit,
}}))
"""


def test_a_confirmed_payment_not_recorded_holds_every_door(odoo_shell, base_url):
    """One payment through the invoice's own link, confirmed by the provider
    and not yet recorded by Odoo; then many clients at once through the three
    doors: none is charged again.  The statement page, opened next, records
    the payment and offers what is left; paying it leaves nothing owed twice."""
    setup = shell(odoo_shell, STATEMENT_SETUP)
    assert start_payment(base_url, setup["invoice_token"], setup)
    confirmed = shell(odoo_shell, CONFIRM.format(**setup))
    assert confirmed["invoices"] == setup["moves"][:1], confirmed

    started = at_once(lambda index: start_on_door(base_url, setup, index), count=9)
    assert started.count(True) == 0, started

    page = requests.get(
        f"{base_url}/pay/statement/{setup['statement_token']}", timeout=60
    )
    assert page.status_code == 200
    assert 'data-amount="500.0"' in page.text  # 200 + 300: the first is paid

    def statement(_index):
        return start_payment(base_url, f"statement/{setup['statement_token']}", setup)

    assert at_once(statement).count(True) == 1
    shell(odoo_shell, CONFIRM.format(**setup))
    status = requests.get(
        f"{base_url}/pay/statement/{setup['statement_token']}/status", timeout=60
    )
    assert status.status_code == 200
    check = shell(odoo_shell, PAID_CHECK.format(**setup))
    assert check == {
        "transactions": 2,
        "payments": 2,
        "residual": [0.0, 0.0, 0.0],
        "credit": 0.0,
    }, check
