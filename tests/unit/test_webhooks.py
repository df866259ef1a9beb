"""The webhooks' rules without a database: events, signatures, targets,
retries, answers."""

import hashlib
import hmac
import json
import socket
import threading
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from odoo.addons.crm_invoices.lib import (
    openapi,
    openapi_webhooks,
    webhook_api,
    webhook_client,
    webhook_delivery,
    webhook_events,
    webhook_sign,
)

CATALOGUE = webhook_events.CATALOGUE


# ---------------------------------------------------------------- events


def test_subscriptions_match_events_groups_and_everything():
    assert webhook_events.matches(["invoice.paid"], "invoice.paid")
    assert not webhook_events.matches(["invoice.paid"], "invoice.sent")
    assert webhook_events.matches(["invoice.*"], "invoice.sent")
    assert not webhook_events.matches(["invoice.*"], "payment.created")
    assert webhook_events.matches(["*"], "credit_note.deleted")
    assert not webhook_events.matches([], "invoice.paid")


def test_underscore_names_and_commas_read_as_the_dotted_events():
    assert webhook_events.parse(
        "invoice_created, credit_note_credits_applied", CATALOGUE
    ) == [
        "invoice.created",
        "credit_note.credits_applied",
    ]
    assert webhook_events.parse(["Invoice.Paid", "invoice.paid", "*"], CATALOGUE) == [
        "invoice.paid",
        "*",
    ]
    names = webhook_events.parse("invoice.*,nonsense.event,invoice.eaten", CATALOGUE)
    assert webhook_events.unknown(names, CATALOGUE) == [
        "nonsense.event",
        "invoice.eaten",
    ]


def test_the_n8n_nodes_invoice_payment_and_credit_note_events_are_known():
    n8n = [
        "invoice.created",
        "invoice.updated",
        "invoice.sent",
        "invoice.paid",
        "invoice.overdue",
        "invoice.status_changed",
        "invoice.cancelled",
        "invoice.deleted",
        "payment.created",
        "payment.updated",
        "payment.deleted",
        "credit_note.created",
        "credit_note.updated",
        "credit_note.status_changed",
        "credit_note.credits_applied",
        "credit_note.refund_created",
        "credit_note.deleted",
    ]
    assert webhook_events.unknown(n8n, CATALOGUE) == []


# ---------------------------------------------------------------- signatures

SECRET = "whsec_test"


def test_the_body_is_what_javascript_writes_back_and_refuses_floats():
    payload = {"id": "evt_1", "data": {"total": "100.00", "name": "Școala Nr. 5 / SRL"}}
    raw = webhook_sign.body(payload)
    # JSON.stringify(JSON.parse(raw)): compact, unicode as is, "/" as is
    assert (
        raw
        == json.dumps(
            json.loads(raw), separators=(",", ":"), ensure_ascii=False
        ).encode()
    )
    assert "Școala Nr. 5 / SRL".encode() in raw
    with pytest.raises(TypeError, match="float"):
        webhook_sign.body({"total": 1.0})


def test_both_signatures_as_their_receivers_check_them():
    raw = webhook_sign.body({"event": "invoice.paid", "data": {"id": "7"}})
    headers = webhook_sign.headers(SECRET, raw, 1_753_104_000)
    perfex = headers["X-Perfex-Signature"]
    t, v1 = (part.split("=", 1)[1] for part in perfex.split(","))
    expected = hmac.new(SECRET.encode(), f"{t}.".encode() + raw, hashlib.sha256)
    assert (t, v1) == ("1753104000", expected.hexdigest())
    # the n8n node: HMAC of JSON.stringify(body)
    n8n = hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()
    assert headers["X-Webhook-Signature"] == n8n
    assert webhook_sign.verify_perfex(SECRET, raw, perfex, now=1_753_104_100)
    assert not webhook_sign.verify_perfex(SECRET, raw + b" ", perfex, now=1_753_104_100)
    assert not webhook_sign.verify_perfex(SECRET, raw, perfex, now=1_753_104_000 + 3600)
    assert webhook_sign.new_secret().startswith("whsec_")
    assert webhook_sign.new_secret() != webhook_sign.new_secret()


# ---------------------------------------------------------------- targets


def fake_resolver(*addresses):
    def resolve(host, port, type=None):  # noqa: A002 - getaddrinfo's name
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in addresses
        ]

    return resolve


@pytest.mark.parametrize(
    ("address", "refused", "private_allowed"),
    [
        ("93.184.216.34", False, False),
        ("10.0.0.5", True, False),
        ("192.168.1.10", True, False),
        ("100.64.0.1", True, False),
        ("127.0.0.1", True, False),
        ("169.254.169.254", True, True),  # cloud metadata: never
        ("0.0.0.0", True, True),
        ("224.0.0.1", True, True),
        ("::1", True, False),
        ("fe80::1", True, True),
        ("::ffff:127.0.0.1", True, False),
        ("2606:4700:4700::1111", False, False),
    ],
)
def test_only_public_addresses_unless_the_company_network_is_allowed(
    address, refused, private_allowed
):
    assert bool(webhook_client.address_refusal(address)) is refused
    assert bool(webhook_client.address_refusal(address, True)) is private_allowed


def test_urls_are_checked_on_every_address_the_name_resolves_to():
    public = fake_resolver("93.184.216.34")
    webhook_client.check_url("https://hooks.example.com/x", resolver=public)
    # one private address among public ones: refused, whatever the order
    mixed = fake_resolver("93.184.216.34", "10.1.2.3")
    with pytest.raises(webhook_client.Refused, match="private"):
        webhook_client.check_url("https://hooks.example.com/x", resolver=mixed)
    for url, why in [
        ("ftp://hooks.example.com/", "http and https"),
        ("https:///x", "no host"),
        ("https://user:pw@hooks.example.com/", "credentials"),
        ("https://hooks.example.com:99999/", "not a URL"),
    ]:
        with pytest.raises(webhook_client.Refused, match=why):
            webhook_client.check_url(url, resolver=public)


class Receiver(BaseHTTPRequestHandler):
    answers = []
    seen = []

    def do_POST(self):  # noqa: N802 - http.server's name
        length = int(self.headers["Content-Length"])
        Receiver.seen.append((self.path, dict(self.headers), self.rfile.read(length)))
        status, headers = Receiver.answers.pop(0) if Receiver.answers else (200, {})
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(b'{"ok":true}')

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Receiver.answers, Receiver.seen = [], []
    yield f"http://localhost:{server.server_address[1]}"
    server.shutdown()


def test_a_post_reaches_the_address_it_checked_and_follows_no_redirect(receiver):
    raw = b'{"a":1}'
    refused = webhook_client.post(f"{receiver}/hook?x=1", raw, {}, 2)
    assert refused.status is None and "loopback" in refused.error
    assert Receiver.seen == []
    done = webhook_client.post(f"{receiver}/hook?x=1", raw, {"X-A": "1"}, 2, True)
    assert done.ok and done.answer == '{"ok":true}'
    path, headers, body = Receiver.seen[0]
    assert (path, body, headers["X-A"]) == ("/hook?x=1", raw, "1")
    assert headers["Host"].startswith("localhost:")
    Receiver.answers = [(302, {"Location": "http://169.254.169.254/"})]
    moved = webhook_client.post(f"{receiver}/hook", raw, {}, 2, True)
    assert (moved.status, moved.ok) == (302, False) and "redirect" in moved.error
    assert len(Receiver.seen) == 2, "the redirect was not followed"
    Receiver.answers = [(503, {})]
    failed = webhook_client.post(f"{receiver}/hook", raw, {}, 2, True)
    assert (failed.status, failed.ok, failed.error) == (503, False, "HTTP 503")


def test_a_receiver_that_is_down_or_slow_is_a_failure_never_an_exception():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    down = webhook_client.post(f"http://127.0.0.1:{port}/", b"{}", {}, 1, True)
    assert down.status is None and down.error.startswith("no answer")
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    try:
        port = silent.getsockname()[1]
        slow = webhook_client.post(f"http://127.0.0.1:{port}/", b"{}", {}, 0.3, True)
        assert slow.status is None and slow.error.startswith("timeout")
        assert slow.seconds < 2
    finally:
        silent.close()


# ---------------------------------------------------------------- retries


def test_retries_back_off_and_a_day_of_failures_switches_off():
    delays = [webhook_delivery.retry_delay(n) for n in range(1, 9)]
    assert delays == sorted(delays) and delays[0] == timedelta(minutes=1)
    assert delays[-1] == webhook_delivery.BACKOFF[-1]
    start = datetime(2026, 12, 7, 10, 0)
    assert not webhook_delivery.switch_off(None, start)
    assert not webhook_delivery.switch_off(start, start + timedelta(hours=23))
    assert webhook_delivery.switch_off(start, start + timedelta(days=1))


def test_a_record_s_events_go_out_in_order():
    pending = [(1, "a"), (2, "b"), (3, "a"), (4, "c"), (5, "b")]
    # 2 (about b) waits: 5, later about b, waits behind it
    assert webhook_delivery.next_batch(pending, {1, 3, 4, 5}, 10) == [1, 3, 4]
    assert webhook_delivery.next_batch(pending, {1, 2, 3, 4, 5}, 3) == [1, 2, 3]


# ---------------------------------------------------------------- answers


def test_answers_carry_both_clients_shapes():
    presented = webhook_api.present(
        {
            "id": 7,
            "name": "n8n",
            "url": "https://n8n.example.com/webhook",
            "events": "invoice.paid,payment.*",
            "active": True,
            "headers": False,
            "timeout": 10,
            "retry_count": 3,
            "last_triggered": False,
            "success_count": 0,
            "failure_count": 2,
            "create_date": datetime(2026, 12, 7, 9, 0),
            "write_date": datetime(2026, 12, 7, 9, 5),
            "has_secret": True,
        }
    )
    assert presented["events"] == ["invoice.paid", "payment.*"]
    assert (presented["id"], presented["active"], presented["failure_count"]) == (
        "7",
        "1",
        "2",
    )
    created = webhook_api.created(presented, "whsec_x")
    # Perfex's docs read id, the n8n node data.id
    assert created["id"] == created["record_id"] == 7 and created["data"]["id"] == "7"
    assert created["secret"] == "whsec_x"
    assert "secret" not in webhook_api.created(presented)
    one = webhook_api.one(presented)
    assert one["data"] == presented and one["url"] == presented["url"]
    page = webhook_api.page([presented], 1, 25, 1)
    assert page["meta"]["last_page"] == 1 and not page["meta"]["has_more"]
    error = webhook_api.WebhookValidationFailed({"events": "Unknown events: x"})
    assert error.code == 422
    assert error.body()["error"] == "validation_failed"


# ---------------------------------------------------------------- documented


def test_the_documented_webhook_is_the_answered_one():
    now = datetime(2026, 12, 7, 10, 0)
    answered = webhook_api.present(
        {
            "id": 3,
            "name": "n8n",
            "url": "https://example.com/hook",
            "events": "invoice.paid",
            "active": True,
            "headers": False,
            "timeout": 10,
            "retry_count": 3,
            "last_triggered": now,
            "success_count": 0,
            "failure_count": 0,
            "create_date": now,
            "write_date": now,
            "has_secret": True,
        }
    )
    assert set(openapi_webhooks.SCHEMAS["Webhook"]["properties"]) == set(answered)


def test_every_event_is_documented_with_both_signatures():
    document = openapi.document("http://localhost")
    assert set(document["webhooks"]) == set(webhook_events.events_of(CATALOGUE))
    headers = {
        parameter["name"]
        for parameter in document["webhooks"]["invoice.paid"]["post"]["parameters"]
    }
    assert {webhook_sign.PERFEX_HEADER, webhook_sign.N8N_HEADER} <= headers
    refs = json.dumps(document)
    for name in ("Webhook", "WebhookInput", "WebhookEvent"):
        assert f"#/components/schemas/{name}" in refs
        assert name in document["components"]["schemas"]


@pytest.mark.parametrize(
    ("values", "fields"),
    [
        (
            {"name": "n8n", "url": "https://example.com/h", "events": ["invoice.*"]},
            set(),
        ),
        ({"events": "invoice.paid,payment.*", "headers": {"X-A": "1"}}, set()),
        ({"name": 5, "url": ["x"], "secret": None}, {"name", "url", "secret"}),
        ({"events": 7}, {"events"}),
        ({"events": ["invoice.paid", 3]}, {"events"}),
        ({"events": {"a": "b"}}, {"events"}),
        ({"headers": ["X-A"]}, {"headers"}),
        ({"headers": False}, set()),
        (
            {"name": "a\x00b", "secret": "s\x00", "url": "http://h/\x00"},
            {"name", "secret", "url"},
        ),
        (
            {"events": ["invoice.\x00paid"], "headers": {"X": "a\x00"}},
            {"events", "headers"},
        ),
        ({"name": "n" * 257, "url": "https://h/" + "p" * 2048}, {"name", "url"}),
    ],
)
def test_a_webhook_request_names_each_value_of_the_wrong_kind(values, fields):
    assert set(webhook_api.type_errors(values)) == fields
