"""The webhooks against a live server, as the n8n PerfexCRM trigger node
uses them: it subscribes with ``X-API-KEY`` under ``/api/v1``, reads
``data.id``, checks ``X-Webhook-Signature`` over the body it parsed, and
unsubscribes.  The delivery lanes are real ``odoo shell`` processes (the
server runs no cron): two at once send each event once; a receiver that is
down gets its events when it is back; a lane killed while it waits for an
answer leaves the event to be sent again, under the same event id.
"""

import hashlib
import hmac
import json
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from conftest import shell
from test_client import invoice

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "crm_invoices" / "tests"))
from webhook_receiver import Receiver  # noqa: E402 - the Odoo tests' receiver

LANE = """
import json
env["crm.invoices.webhook.delivery"]._cron_deliver()
env.cr.commit()
print(json.dumps({"lane": "done"}))
"""

STATE = """
import json
hook = env["crm.invoices.webhook"].with_context(active_test=False).browse({hook})
print(json.dumps({{
    "deliveries": [
        [d.event_id.res_id, d.event_id.name, d.state, d.attempts]
        for d in hook.delivery_ids.sorted("id")
    ],
}}))
"""

EXPIRE_LEASE = """
import json
hook = env["crm.invoices.webhook"].browse({hook})
hook.sudo().delivery_state_ids.write({{"lease_until": False}})
env.cr.commit()
print(json.dumps({{"lease": "ended"}}))
"""


def n8n(base_url, token, method, path, **kwargs):
    return requests.request(
        method,
        base_url + path,
        headers={"X-API-KEY": token},
        timeout=30,
        **kwargs,
    )


def subscribe(base_url, token, url, events=("invoice_created",)):
    answer = n8n(
        base_url,
        token,
        "POST",
        "/api/v1/webhooks",
        json={"name": "n8n e2e", "url": url, "events": list(events)},
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    return int(body["data"]["id"]), body["secret"]


def create_invoice(client, clientid):
    return client.create(invoice(clientid))["id"]


def received_for(receiver, invoice_id):
    return [
        (headers, raw)
        for headers, raw in list(receiver.received)
        if json.loads(raw)["data"].get("id") == str(invoice_id)
    ]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_n8n_node_subscribes_receives_once_and_unsubscribes(
    base_url, token, client, clientid, odoo_shell
):
    receiver = Receiver().start()
    try:
        hook, secret = subscribe(base_url, token, receiver.url)
        assert secret.startswith("whsec_")
        assert (
            n8n(base_url, token, "GET", f"/api/v1/webhooks/{hook}").json()["data"][
                "url"
            ]
            == receiver.url
        )
        invoice_id = create_invoice(client, clientid)
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(lambda _lane: shell(odoo_shell, LANE), range(2)))
        [(headers, raw)] = received_for(receiver, invoice_id)
        body = json.loads(raw)
        assert body["event"] == "invoice.created"
        assert body["data"]["total"]
        # what the n8n node checks: the body it parsed, written back
        rewritten = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
        expected = hmac.new(
            secret.encode(), rewritten.encode(), hashlib.sha256
        ).hexdigest()
        assert headers["X-Webhook-Signature"] == expected
        # what a Perfex receiver checks: t + "." + the raw body
        parts = dict(
            part.split("=", 1) for part in headers["X-Perfex-Signature"].split(",")
        )
        signed = hmac.new(
            secret.encode(), parts["t"].encode() + b"." + raw, hashlib.sha256
        ).hexdigest()
        assert parts["v1"] == signed
        assert abs(int(parts["t"]) - time.time()) < 300
        assert headers["X-Perfex-Event-Id"] == body["id"]

        deleted = n8n(base_url, token, "DELETE", f"/api/v1/webhooks/{hook}")
        assert deleted.json()["status"] is True
        assert (
            n8n(base_url, token, "GET", f"/api/v1/webhooks/{hook}").status_code == 404
        )
    finally:
        receiver.stop()


def test_a_receiver_down_then_back_and_a_lane_killed_mid_delivery(
    base_url, token, client, clientid, odoo_shell
):
    port = free_port()
    hook, _secret = subscribe(base_url, token, f"http://127.0.0.1:{port}/hook")
    receiver = None
    try:
        # down: the attempt is logged as failed, the event waits
        first = create_invoice(client, clientid)
        shell(odoo_shell, LANE)
        logs = n8n(base_url, token, "GET", f"/api/webhooks/{hook}/logs").json()
        assert logs["data"][0]["status"] == "failed"
        assert logs["data"][0]["error_message"]
        state = shell(odoo_shell, STATE.format(hook=hook))
        assert [first, "invoice.created", "pending", 1] in state["deliveries"]

        # back: switched off and on again, its queued events are due at once
        receiver = Receiver(port=port).start()
        for _twice in range(2):
            n8n(base_url, token, "POST", f"/api/webhooks/{hook}/toggle")
        shell(odoo_shell, LANE)
        assert len(received_for(receiver, first)) == 1

        # a lane killed while the receiver has the event but has not answered
        receiver.answers = [(200, 20)]
        second = create_invoice(client, clientid)
        arriving = receiver.arriving
        lane = subprocess.Popen(  # noqa: S603 - the e2e database's odoo shell
            odoo_shell,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        lane.stdin.write(LANE)
        lane.stdin.close()
        deadline = time.monotonic() + 120
        while receiver.arriving == arriving and time.monotonic() < deadline:
            time.sleep(0.2)
        assert receiver.arriving > arriving, "the lane never sent"
        lane.kill()
        lane.wait()
        state = shell(odoo_shell, STATE.format(hook=hook))
        assert [second, "invoice.created", "pending", 0] in state["deliveries"]
        # its lease ends (as time would end it): the next lane sends it again
        shell(odoo_shell, EXPIRE_LEASE.format(hook=hook))
        shell(odoo_shell, LANE)
        deadline = time.monotonic() + 30
        while len(received_for(receiver, second)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        copies = received_for(receiver, second)
        assert len(copies) == 2, "at least once: the receiver had it, unanswered"
        assert len({headers["X-Perfex-Event-Id"] for headers, _raw in copies}) == 1
        state = shell(odoo_shell, STATE.format(hook=hook))
        assert [second, "invoice.created", "delivered", 1] in state["deliveries"]
    finally:
        n8n(base_url, token, "DELETE", f"/api/webhooks/{hook}")
        if receiver:
            receiver.stop()
