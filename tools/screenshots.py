"""Screenshots of a running Odoo, as a user sees it: the README's pictures.

Headless Chromium driven over the DevTools protocol (``websocket-client``,
which Odoo's own browser tests use): log in, open each page, wait until the
web client has drawn it, capture it -- on a desktop or a phone, in English
or Romanian.  Run it against ``bin/serve``:

    bin/serve &
    python tools/screenshots.py --url http://localhost:8069 --out docs/screenshots

``--only list,form`` takes some pages; ``--lang ro_RO`` captures the Romanian
pictures (the user's language is switched for the run, then restored).
Each page is a path of the web client (an action's ``path``, or a URL
with a record) and the selector that says it is drawn.
"""

import argparse
import base64
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
import websocket

DESKTOP = {"width": 1500, "height": 900, "mobile": False, "scale": 1}
PHONE = {"width": 390, "height": 844, "mobile": True, "scale": 2}

#: name -> (path, selector drawn when ready, device, optional JS to run first);
#: ``{overdue}`` and ``{not_due}`` in a path: such an invoice of the database
#: (see :data:`RECORDS`)
PAGES = {
    "overview": ("/odoo/crm-invoices-overview", ".o_crm_overview", DESKTOP, None),
    "list": ("/odoo/crm-invoices", ".o_list_table", DESKTOP, None),
    "phone": ("/odoo/crm-invoices", ".o_kanban_renderer", PHONE, None),
    "kanban": (
        "/odoo/action-crm_invoices.account_move_action?view_type=kanban",
        ".o_kanban_renderer",
        DESKTOP,
        None,
    ),
    "form": (
        "/odoo/crm-invoices/{overdue}",
        ".o_form_view .o_form_sheet",
        DESKTOP,
        None,
    ),
    "form_not_due": (
        "/odoo/crm-invoices/{not_due}",
        ".o_form_view .o_form_sheet",
        DESKTOP,
        None,
    ),
    "form_phone": (
        "/odoo/crm-invoices/{overdue}",
        ".o_form_view .o_form_sheet",
        PHONE,
        None,
    ),
    "overview_phone": ("/odoo/crm-invoices-overview", ".o_crm_overview", PHONE, None),
    "efactura": (
        "/odoo/crm-invoices/{efactura}",
        ".o_form_view .o_form_sheet",
        DESKTOP,
        "document.querySelector('a[name=\"crm_efactura\"]')?.click()",
    ),
    "ar_trend": ("/odoo/crm-invoices-trend", ".o_graph_renderer canvas", DESKTOP, None),
    "ar_trend_pivot": (
        "/odoo/crm-invoices-trend?view_type=pivot",
        ".o_pivot table",
        DESKTOP,
        None,
    ),
    "aging": ("/odoo/crm-invoices-aging", ".o_graph_renderer canvas", DESKTOP, None),
    "metrics": ("/odoo/crm-invoices-metrics", ".o_pivot table", DESKTOP, None),
    "bank_review": ("/odoo/crm-bank-review", ".o_list_view", DESKTOP, None),
    "rates": (
        "/odoo/action-crm_invoices.crm_invoices_reference_rate_action",
        ".o_list_renderer",
        DESKTOP,
        None,
    ),
    "webhooks": (
        "/odoo/action-crm_invoices.crm_invoices_webhook_action",
        ".o_list_renderer",
        DESKTOP,
        None,
    ),
    "webhook": (
        "/odoo/action-crm_invoices.crm_invoices_webhook_action/{webhook}",
        ".o_form_view .o_form_sheet",
        DESKTOP,
        None,
    ),
    "recurring": (
        "/odoo/action-crm_invoices_recurring.contract_contract_action",
        ".o_list_renderer",
        DESKTOP,
        None,
    ),
    "recurring_phone": (
        "/odoo/action-crm_invoices_recurring.contract_contract_action",
        ".o_kanban_renderer, .o_list_renderer",
        PHONE,
        None,
    ),
    "recurring_invoice": (
        "/odoo/crm-invoices/{repeating}",
        ".o_form_view .o_form_sheet",
        DESKTOP,
        None,
    ),
    "settings": (
        "/odoo/action-crm_invoices.crm_invoices_settings_action",
        ".o_setting_container",
        DESKTOP,
        None,
    ),
}


#: placeholder -> (model, domain, order) of the record a page shows
RECORDS = {
    "overdue": (
        "account.move",
        [("crm_status", "=", "overdue"), ("crm_last_reminder_level_id", "!=", False)],
        "invoice_date_due",
    ),
    "efactura": (
        "account.move",
        [
            ("company_id.account_fiscal_country_id.code", "=", "RO"),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
        ],
        "invoice_date desc",
    ),
    "webhook": ("crm.invoices.webhook", [("failure_count", ">", 0)], "id"),
    "repeating": ("account.move", [("crm_schedule_ids.active", "=", True)], "id"),
    "not_due": (
        "account.move",
        [("crm_status", "in", ("unpaid", "sent")), ("move_type", "=", "out_invoice")],
        "invoice_date desc",
    ),
}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """One headless Chromium tab, spoken to over the DevTools protocol."""

    def __init__(self, chromium):
        self.profile = tempfile.mkdtemp(prefix="crm-shots-")
        port = free_port()
        self.process = subprocess.Popen(  # noqa: S603 - our own browser
            [
                chromium,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                f"--remote-debugging-port={port}",
                "--remote-allow-origins=*",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        tab = None
        for _attempt in range(100):
            try:
                tabs = requests.get(f"http://127.0.0.1:{port}/json", timeout=2).json()
                tab = next(t for t in tabs if t["type"] == "page")
                break
            except (requests.RequestException, StopIteration, ValueError):
                time.sleep(0.2)
        if not tab:
            raise RuntimeError("Chromium did not start")
        self.ws = websocket.create_connection(tab["webSocketDebuggerUrl"], timeout=60)
        self.next_id = 0

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(
            json.dumps({"id": self.next_id, "method": method, "params": params})
        )
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.call(
            "Runtime.evaluate",
            expression=expression,
            returnByValue=True,
            awaitPromise=True,
        )
        return result.get("result", {}).get("value")

    def device(self, device):
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=device["width"],
            height=device["height"],
            deviceScaleFactor=device["scale"],
            mobile=device["mobile"],
        )
        self.call("Emulation.setTouchEmulationEnabled", enabled=device["mobile"])

    def open(self, url, selector, timeout=60):
        self.call("Page.navigate", url=url)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready = self.evaluate(
                f"!!document.querySelector({json.dumps(selector)}) && "
                "!document.querySelector('.o_loading_indicator, .o_blockUI')"
            )
            if ready:
                time.sleep(1.5)  # charts animate, fonts settle
                return True
            time.sleep(0.3)
        return False

    def capture(self, path):
        data = self.call("Page.captureScreenshot", format="png")["data"]
        Path(path).write_bytes(base64.b64decode(data))

    def close(self):
        try:
            self.ws.close()
        finally:
            self.process.terminate()
            self.process.wait(timeout=10)
            shutil.rmtree(self.profile, ignore_errors=True)


def login(url, db, user, password):
    """A session of ``user`` (its cookie) and an RPC helper."""
    session = requests.Session()
    answer = session.post(
        f"{url}/web/session/authenticate",
        json={"params": {"db": db, "login": user, "password": password}},
        timeout=60,
    )
    answer.raise_for_status()
    result = answer.json().get("result")
    if not result:
        raise SystemExit(f"could not log in as {user}: {answer.text[:300]}")

    def rpc(model, method, *args, **kwargs):
        reply = session.post(
            f"{url}/web/dataset/call_kw",
            json={
                "params": {
                    "model": model,
                    "method": method,
                    "args": list(args),
                    "kwargs": kwargs,
                }
            },
            timeout=120,
        ).json()
        if "error" in reply:
            raise RuntimeError(reply["error"]["data"]["message"])
        return reply["result"]

    return session, result["uid"], rpc


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument("--db", default="crm_invoices")
    parser.add_argument("--user", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--out", default="docs/screenshots")
    parser.add_argument("--only", default="", help="comma-separated page names")
    parser.add_argument("--lang", default="en_US", help="en_US or ro_RO")
    parser.add_argument(
        "--company",
        default="",
        help="the name of the company to work in (default: the user's)",
    )
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    args = parser.parse_args(argv)
    names = [n for n in args.only.split(",") if n] or list(PAGES)
    unknown = set(names) - set(PAGES)
    if unknown:
        raise SystemExit(f"unknown page(s): {', '.join(sorted(unknown))}")
    session, uid, rpc = login(args.url, args.db, args.user, args.password)
    [before] = rpc("res.users", "read", [uid], ["lang"])
    if before["lang"] != args.lang:
        rpc("res.users", "write", [uid], {"lang": args.lang})
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    suffix = "" if args.lang == "en_US" else f"_{args.lang[:2]}"
    browser = Browser(args.chromium)
    try:
        browser.call("Page.enable")
        browser.call("Runtime.enable")
        browser.call("Network.enable")
        for cookie in session.cookies:
            browser.call(
                "Network.setCookie",
                name=cookie.name,
                value=cookie.value,
                url=args.url,
            )
        if args.company:
            company_ids = rpc("res.company", "search", [("name", "=", args.company)])
            if not company_ids:
                raise SystemExit(f"no company named {args.company}")
            browser.call(
                "Network.setCookie",
                name="cids",
                value=str(company_ids[0]),
                url=args.url,
            )
        found = {}
        for name in names:
            path, selector, device, script = PAGES[name]
            for key, (model, domain, order) in RECORDS.items():
                if f"{{{key}}}" in path and key not in found:
                    ids = rpc(model, "search", domain, limit=1, order=order)
                    found[key] = ids[0] if ids else 0
            path = path.format(**found) if found else path
            browser.device(device)
            if not browser.open(f"{args.url}{path}", selector):
                print(f"{name}: not drawn ({selector} never appeared)", file=sys.stderr)
                continue
            if script:
                browser.evaluate(script)
                time.sleep(1)
            target = out / f"{name}{suffix}.png"
            browser.capture(target)
            print(target)
    finally:
        browser.close()
        if before["lang"] != args.lang:
            rpc("res.users", "write", [uid], {"lang": before["lang"]})


if __name__ == "__main__":
    main()
