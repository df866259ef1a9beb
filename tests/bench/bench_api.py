"""Benchmark ``GET /api/invoices?per_page=100`` against Odoo's JSON-RPC.

Same database and seeding as ``bench_invoices.py``; this one starts an Odoo
server on it (``odoo`` on PATH, or ODOO_BIN), then times, over HTTP:

- the REST API: ``GET /api/invoices?per_page=100`` (a page, its meta, the
  Perfex fields including the customer's billing address);
- Odoo's own JSON-RPC: ``search_read`` of account.move with the invoice fields
  the API serialises, same domain, order and page size.

    python tests/bench/bench_invoices.py --invoices 100000 -- -c ~/odoo.conf  # seeds
    python tests/bench/bench_api.py -- -c ~/odoo.conf

It prints the median and 90th percentile of each, and the ratio (target 1.0 or
less), then the cost of the token check and usage counter (one UPDATE in its
own transaction) with 1 and with 10 clients at once.

The database should have seen updates (the overdue job moves half of the
invoices): the first run here runs the job when nothing is overdue yet.
"""

import argparse
import contextlib
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))

FIELDS = [
    "name",
    "sequence_prefix",
    "sequence_number",
    "commercial_partner_id",
    "partner_id",
    "invoice_date",
    "invoice_date_due",
    "currency_id",
    "amount_untaxed",
    "amount_tax",
    "amount_total",
    "amount_residual",
    "amount_residual_signed",
    "crm_status",
    "is_move_sent",
    "crm_date_sent",
    "crm_client_note",
    "crm_admin_note",
    "narration",
    "invoice_user_id",
    "crm_no_reminders",
    "create_date",
    "move_type",
    "state",
    "payment_state",
    "company_id",
    "crm_days_overdue",
    "crm_last_reminder_level_id",
    "access_token",
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="crm_invoices_bench")
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--per-page", type=int, default=100)
    parser.add_argument("odoo_args", nargs="*", help="options for Odoo, after --")
    return parser.parse_args()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def odoo_bin():
    return os.environ.get("ODOO_BIN", "odoo")


@contextlib.contextmanager
def live_server(database, odoo_args):
    """An Odoo server on ``database`` (``odoo`` on PATH, or ODOO_BIN) for the
    time of the block; yields its base URL once it answers."""
    port = free_port()
    server = subprocess.Popen(
        [
            odoo_bin(),
            *odoo_args,
            f"--addons-path={ROOT}",
            "-d",
            database,
            f"--db-filter=^{database}$",
            f"--http-port={port}",
            f"--gevent-port={free_port()}",
            "--max-cron-threads=0",
            "--log-level=warn",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _wait in range(120):
            try:
                requests.get(f"{base}/web/health", timeout=2)
                break
            except requests.ConnectionError:
                time.sleep(1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def make_token(args):
    import odoo  # noqa: PLC0415
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    odoo.tools.config.parse_config([*args.odoo_args, f"--addons-path={ROOT}"])
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        cr.execute("SELECT count(*) FROM account_move WHERE move_type = 'out_invoice'")
        total = cr.fetchone()[0]
        cr.execute("SELECT count(*) FROM account_move WHERE crm_status = 'overdue'")
        if not cr.fetchone()[0]:
            started = time.perf_counter()
            moved = env["account.move"].with_context(tracking_disable=True)
            moved = moved._crm_mark_overdue(commit=True)
            print(
                f"overdue job (no tracking): {len(moved):,} invoices updated in "
                f"{time.perf_counter() - started:.1f} s"
            )
        token = env["crm.invoices.api.token"].create(
            {"name": "bench", "user_id": env.ref("base.user_admin").id, "rate_limit": 0}
        )
        value = token.action_generate()["context"]["default_token"]
        admin = env.ref("base.user_admin")
        admin.password = "admin"
    return value, total, registry


def counter_cost(registry, token, clients, calls=200):
    """Median milliseconds of one token check + count, with ``clients`` at once."""
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    timings = []
    lock = threading.Lock()

    def client():
        mine = []
        with registry.cursor() as cr:
            tokens = api.Environment(cr, SUPERUSER_ID, {})["crm.invoices.api.token"]
            for _call in range(calls):
                start = time.perf_counter()
                grant, reason = tokens._crm_authenticate(token)
                mine.append((time.perf_counter() - start) * 1000)
                assert grant and not reason, reason
        with lock:
            timings.extend(mine)

    threads = [threading.Thread(target=client) for _i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statistics.median(timings), len(timings)


def timed(call, count):
    call()  # warm up
    call()
    timings = []
    for _run in range(count):
        start = time.perf_counter()
        call()
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.9) - 1]


def main():
    args = parse_args()
    token, total, registry = make_token(args)
    with live_server(args.database, args.odoo_args) as base:
        api = requests.Session()
        api.headers["authtoken"] = token
        rpc = requests.Session()
        rpc.post(
            f"{base}/web/session/authenticate",
            json={
                "params": {"db": args.database, "login": "admin", "password": "admin"}
            },
            timeout=60,
        ).raise_for_status()
        domain = [["move_type", "=", "out_invoice"]]
        # the same page both ways: newest first (the API's "sort=-date")
        order = "invoice_date desc, id asc"

        def call_api():
            response = api.get(
                f"{base}/api/invoices",
                params={"per_page": args.per_page, "sort": "-date"},
                timeout=60,
            )
            assert len(response.json()["data"]) == args.per_page, response.text[:300]

        def call_rpc():
            response = rpc.post(
                f"{base}/web/dataset/call_kw/account.move/search_read",
                json={
                    "params": {
                        "model": "account.move",
                        "method": "search_read",
                        "args": [domain, FIELDS],
                        "kwargs": {"limit": args.per_page, "order": order},
                    }
                },
                timeout=60,
            )
            assert len(response.json()["result"]) == args.per_page, response.text[:300]

        api_median, api_p90 = timed(call_api, args.requests)
        rpc_median, rpc_p90 = timed(call_rpc, args.requests)

    print(
        f"\nREST list vs JSON-RPC search_read: {total:,} invoices, "
        f"{args.per_page} per page, {args.requests} requests each"
    )
    print(
        f"  GET /api/invoices?per_page={args.per_page}&sort=-date"
        f"   median {api_median:7.1f} ms"
        f"   p90 {api_p90:7.1f} ms"
    )
    print(
        f"  JSON-RPC search_read ({len(FIELDS)} fields)    median {rpc_median:7.1f} ms"
        f"   p90 {rpc_p90:7.1f} ms"
    )
    ratio = api_median / rpc_median
    print(f"  ratio REST / JSON-RPC (median): {ratio:.2f}  (target <= 1.0)")
    for clients in (1, 10):
        median, calls = counter_cost(registry, token, clients)
        print(
            f"  token check + usage counter, {clients:2d} client(s) at once: "
            f"median {median:.2f} ms over {calls} calls"
        )


if __name__ == "__main__":
    main()
