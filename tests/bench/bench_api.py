"""Benchmark the REST API's lists against Odoo's own JSON-RPC answers.

Same database and seeding as ``bench_invoices.py`` (it seeds when needed);
this one starts an Odoo server on it (``odoo`` on PATH, or ODOO_BIN), then
times, over HTTP, what a client waits for:

- a Perfex v3 page with its totals (``GET /api/invoices?page=1&per_page=100``
  with each sort Perfex clients send: ``-datecreated``, ``-date``, ``id``)
  against the list view's ``web_search_read`` of the same page with the exact
  record count (``count_limit`` none), same fields, domain and order;
- the legacy list (Perfex's array of the first 1,000 invoices by id) against
  ``search_read`` of the same 1,000 rows and fields.

    python tests/bench/bench_api.py --invoices 100000 -- -c ~/odoo.conf

First it reads every invoice page by page as v3 clients do (one paging by
``last_page``, one by ``has_more``) and checks each invoice comes exactly
once (``--no-read-all`` skips it).  Then it times each pair alternately
and prints the median and 90th percentile of each and the ratio (target 1.0
or less), then the cost of the token check and usage counter (one UPDATE in
its own transaction) with 1 and with 10 clients at once.

The database should have seen updates (the overdue job moves half of the
invoices): the first run here runs the job when nothing is overdue yet.
"""

import contextlib
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_args  # noqa: E402 - beside this script

#: The sorts Perfex clients send, and the Odoo order the API runs for each.
PAGED_SORTS = (
    ("-datecreated", "create_date desc, id asc"),
    ("-date", "invoice_date desc, id asc"),
    ("id", "id asc"),
)

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
    parser = bench_args.parser(__doc__, "crm_invoices_bench", invoices=100_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--per-page", type=int, default=100)
    parser.add_argument(
        "--no-read-all",
        action="store_true",
        help="skip reading every invoice page by page (two clients, ~1 min each)",
    )
    return bench_args.parse(parser)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


#: How long a live server may take to answer its health check.
SERVER_START_TIMEOUT = 180


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
            # One database and no --db-filter: Odoo then serves it without
            # listing the server's databases on every request that has no
            # session (an API client's: ~8 ms a request; a JSON-RPC client's
            # session names its database).
            "-d",
            database,
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
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if server.poll() is not None:
                raise RuntimeError(
                    f"Odoo stopped ({server.returncode}) before answering"
                )
            try:
                if requests.get(f"{base}/web/health", timeout=5).ok:
                    break
            except requests.RequestException:
                # not listening yet, or loading its registry: a read timeout
                # or a refused connection both mean "wait"
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"Odoo did not answer in {SERVER_START_TIMEOUT} s")
            time.sleep(1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def make_token(args):
    import odoo  # noqa: PLC0415
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    odoo.tools.config.parse_config([*args.odoo_args, f"--addons-path={ROOT}"])
    from seed import ensure_database, ensure_invoices  # noqa: PLC0415

    ensure_database(args, "crm_invoices", str(ROOT))
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        ensure_invoices(env, args.invoices, today=date.today())
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


def read_all(api, base, per_page, expected_ids):
    """Page through every invoice as v3 clients do, one by ``last_page`` and
    one by ``has_more``; assert each reads every invoice exactly once."""
    for way in ("last_page", "has_more"):
        seen = []
        page, last = 1, None
        started = time.perf_counter()
        while True:
            answer = api.get(
                f"{base}/api/invoices",
                params={"page": page, "per_page": per_page, "sort": "id"},
                timeout=120,
            ).json()
            seen += [row["id"] for row in answer["data"]]
            meta = answer["meta"]
            last = meta["last_page"] if last is None else last
            assert meta["last_page"] == last and meta["total"] == len(expected_ids)
            if (way == "last_page" and page >= last) or (
                way == "has_more" and not meta["has_more"]
            ):
                break
            page += 1
        assert len(seen) == len(set(seen)) == len(expected_ids), (way, len(seen))
        assert set(seen) == expected_ids, way
        print(
            f"  a client paging by {way}: {page:,} pages, {len(seen):,} invoices, "
            f"each exactly once ({time.perf_counter() - started:.0f} s)"
        )


def timed(call_api, call_odoo, count):
    """Median and 90th percentile (ms) of each call, the two alternating so
    that whatever else the machine does weighs on both alike."""
    for call in (call_api, call_odoo, call_api, call_odoo):  # warm up
        call()
    timings = ([], [])
    for _run in range(count):
        for call, mine in zip((call_api, call_odoo), timings, strict=True):
            start = time.perf_counter()
            call()
            mine.append((time.perf_counter() - start) * 1000)
    result = []
    for mine in timings:
        mine.sort()
        result += [statistics.median(mine), mine[int(len(mine) * 0.9) - 1]]
    return result


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
        domain = [["move_type", "=", "out_invoice"], ["state", "!=", "cancel"]]

        def rpc_call(method, args_, kwargs):
            response = rpc.post(
                f"{base}/web/dataset/call_kw/account.move/{method}",
                json={
                    "params": {
                        "model": "account.move",
                        "method": method,
                        "args": args_,
                        "kwargs": kwargs,
                    }
                },
                timeout=120,
            )
            return response.json()["result"]

        cases = []
        # a v3 client's page with its totals, for each sort Perfex clients
        # send, against the list view's web_search_read (page + exact length)
        for sort, order in PAGED_SORTS:

            def call_api(sort=sort):
                response = api.get(
                    f"{base}/api/invoices",
                    params={"page": 1, "per_page": args.per_page, "sort": sort},
                    timeout=120,
                )
                answer = response.json()
                assert len(answer["data"]) == args.per_page, response.text[:300]
                assert answer["meta"]["total"] == total, answer["meta"]

            def call_odoo(order=order):
                result = rpc_call(
                    "web_search_read",
                    [domain],
                    {
                        "specification": {field: {} for field in FIELDS},
                        "limit": args.per_page,
                        "order": order,
                        "count_limit": None,
                    },
                )
                assert result["length"] == total, result["length"]

            cases.append(
                (
                    f"GET ?page=1&per_page={args.per_page}&sort={sort}",
                    "web_search_read (page + length)",
                    call_api,
                    call_odoo,
                )
            )

        # the legacy list: Perfex's array of the first 1,000 invoices by id
        def call_legacy():
            response = api.get(f"{base}/api/invoices", timeout=120)
            assert len(response.json()) == min(1000, total), response.text[:300]

        def call_search_read():
            rows = rpc_call(
                "search_read", [domain, FIELDS], {"limit": 1000, "order": "id asc"}
            )
            assert len(rows) == min(1000, total)

        cases.append(
            (
                "GET /api/invoices (1,000 rows)",
                "search_read (1,000 rows)",
                call_legacy,
                call_search_read,
            )
        )
        if not args.no_read_all:
            with registry.cursor() as cr:
                cr.execute(
                    "SELECT id FROM account_move"
                    " WHERE move_type = 'out_invoice' AND state != 'cancel'"
                )
                expected_ids = {row[0] for row in cr.fetchall()}
            read_all(api, base, args.per_page, expected_ids)
        results = []
        for label, odoo_label, call_api, call_odoo in cases:
            api_median, api_p90, odoo_median, odoo_p90 = timed(
                call_api, call_odoo, args.requests
            )
            results.append(
                (label, odoo_label, api_median, api_p90, odoo_median, odoo_p90)
            )

    print(
        f"\nREST API vs Odoo's own JSON-RPC: {total:,} invoices, "
        f"{args.requests} requests each, median / p90 in ms"
    )
    print("| request | ms | Odoo's equivalent | ms | ratio |")
    print("|---|---:|---|---:|---:|")
    for label, odoo_label, api_median, api_p90, odoo_median, odoo_p90 in results:
        print(
            f"| `{label}` | {api_median:.1f} / {api_p90:.1f} | {odoo_label} | "
            f"{odoo_median:.1f} / {odoo_p90:.1f} | {api_median / odoo_median:.2f} |"
        )
    print("(target: ratio <= 1.0)")
    for clients in (1, 10):
        median, calls = counter_cost(registry, token, clients)
        print(
            f"  token check + usage counter, {clients:2d} client(s) at once: "
            f"median {median:.2f} ms over {calls} calls"
        )


if __name__ == "__main__":
    main()
