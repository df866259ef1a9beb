"""Benchmark the pay links: the install hook on every open invoice, and the
hosted pay page against Odoo's own portal invoice page.

Same database and seeding as ``bench_invoices.py`` (run that first):

    python tests/bench/bench_invoices.py --invoices 100000 -- -c ~/odoo.conf  # seeds
    python tests/bench/bench_pay_link.py -- -c ~/odoo.conf

It installs ``crm_invoices_payment_link`` and ``payment_demo`` when missing,
then prints:

- the install hook (links for every open invoice, batched): time and number
  of queries, measured in a transaction rolled back afterwards;
- on a live server, for the same open invoice, ``GET /pay/<token>`` and
  Odoo's ``GET /my/invoices/<id>?access_token=...`` (both render the invoice
  summary and Odoo's payment form with the demo provider): median and 90th
  percentile, and the ratio (target 1.0 or less).
"""

import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_args  # noqa: E402 - beside this script
from bench_api import live_server, odoo_bin, timed  # noqa: E402

MODULES = ("crm_invoices_payment_link", "payment_demo")


def parse_args():
    parser = bench_args.parser(__doc__, "crm_invoices_bench")
    parser.add_argument("--requests", type=int, default=60)
    return bench_args.parse(parser)


def ensure_modules(args, registry_of, modules=MODULES):
    """``modules`` installed in the bench database (once): its registry."""
    registry = registry_of()
    with registry.cursor() as cr:
        cr.execute(
            "SELECT name FROM ir_module_module "
            "WHERE name IN %s AND state = 'installed'",
            [tuple(modules)],
        )
        missing = set(modules) - {name for (name,) in cr.fetchall()}
    if missing:
        print(f"installing {', '.join(sorted(missing))} (once)")
        subprocess.run(
            [
                odoo_bin(),
                *args.odoo_args,
                f"--addons-path={ROOT}",
                "-d",
                args.database,
                "-i",
                ",".join(sorted(missing)),
                "--stop-after-init",
                "--log-level=warn",
            ],
            check=True,
        )
        registry = registry_of()
    return registry


def bench_install_hook(registry):
    """The hook on every open invoice, in a transaction rolled back after."""
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    from odoo.addons.crm_invoices_payment_link.hooks import (  # noqa: PLC0415
        post_init_hook,
    )

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        cr.execute("DELETE FROM crm_invoices_pay_link")
        started = time.perf_counter()
        queries = cr.sql_log_count
        post_init_hook(env)
        elapsed = time.perf_counter() - started
        spent = cr.sql_log_count - queries
        cr.execute("SELECT count(*) FROM crm_invoices_pay_link")
        created = cr.fetchone()[0]
        cr.rollback()
    print(
        f"\ninstall hook: {created:,} pay links for the open invoices in "
        f"{elapsed:.1f} s, {spent} queries"
    )


def prepare_invoice(registry):
    """An open invoice, its pay link token and its portal access token; the
    demo provider enabled for both pages."""
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["payment.provider"]._crm_demo_enable_demo_provider()
        invoice = env["account.move"].search(
            [
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "=", "not_paid"),
                ("crm_pay_link_ids", "!=", False),
            ],
            limit=1,
            order="id desc",
        )
        invoice._portal_ensure_token()
        token = invoice.crm_pay_link_id.url.rsplit("/", 1)[1]
        result = (invoice.id, token, invoice.access_token, invoice.name)
    return result


def main():
    args = parse_args()
    import odoo  # noqa: PLC0415

    odoo.tools.config.parse_config([*args.odoo_args, f"--addons-path={ROOT}"])

    def registry_of():
        return odoo.modules.registry.Registry.new(args.database)

    registry = ensure_modules(args, registry_of)
    bench_install_hook(registry)
    invoice_id, token, access_token, name = prepare_invoice(registry)

    with live_server(args.database, args.odoo_args) as base:
        visitor = requests.Session()

        def pay_page():
            response = visitor.get(f"{base}/pay/{token}", timeout=60)
            assert response.status_code == 200, response.status_code
            assert "o_payment_form" in response.text and name in response.text

        def portal_page():
            response = visitor.get(
                f"{base}/my/invoices/{invoice_id}",
                params={"access_token": access_token},
                timeout=60,
            )
            assert response.status_code == 200, response.status_code
            assert name in response.text

        pay_median, pay_p90, portal_median, portal_p90 = timed(
            pay_page, portal_page, args.requests
        )

    print(f"\nhosted pay page vs Odoo's portal invoice page, {args.requests} requests")
    print(
        f"  GET /pay/<token>                          median {pay_median:7.1f} ms"
        f"   p90 {pay_p90:7.1f} ms"
    )
    print(
        f"  GET /my/invoices/<id>?access_token=...    median {portal_median:7.1f} ms"
        f"   p90 {portal_p90:7.1f} ms"
    )
    print(
        f"  ratio pay page / portal page (median): {pay_median / portal_median:.2f}"
        "  (target <= 1.0)"
    )


if __name__ == "__main__":
    main()
