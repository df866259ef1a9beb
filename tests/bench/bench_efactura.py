"""Benchmark building and validating e-Factura XML on 1,000 invoices.

Run it with the Python that runs Odoo, from the repository root:

    python tests/bench/bench_efactura.py -- -c ~/odoo.conf

It creates (once) the database ``crm_invoices_efactura_bench`` with
``crm_invoices_efactura`` installed without demo data, a Romanian company on
Odoo's Romanian chart and 1,000 posted invoices (three lines, two VAT rates),
then prints, in one transaction rolled back:

- building the XML with Odoo's own builder (``account.edi.xml.ubl_ro``) and
  with ours (``crm.invoices.efactura.xml``) on the same invoices, and the ratio
  (target 1.1 or less);
- compiling ANAF's rules once, then validating each invoice (XSD, ANAF's set,
  the current CEN rules), in this process and through the helper process
  that Odoo uses under ``limit_memory_hard`` (target 10 ms or less each).

ANAF's files: CRM_EFACTURA_ARTIFACTS, else ../shared/efactura.
"""

import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_args  # noqa: E402 - beside this script


def parse_args():
    parser = bench_args.parser(__doc__, "crm_invoices_efactura_bench", invoices=1000)
    return bench_args.parse(parser)


def ensure_database(args):
    from seed import ensure_database as create  # noqa: PLC0415

    create(args, "crm_invoices_efactura", ROOT)


def romanian_company(env):
    from odoo import Command  # noqa: PLC0415

    company = env["res.company"].search([("name", "=", "Bench Romania SRL")])
    if company:
        return company
    company = env["res.company"].create(
        {
            "name": "Bench Romania SRL",
            "country_id": env.ref("base.ro").id,
            "currency_id": env.ref("base.RON").id,
            "street": "Strada Lunga 3",
            "city": "Sector 1",
            "zip": "010101",
            "state_id": env.ref("base.RO_B").id,
            "vat": "RO18547290",
        }
    )
    env.user.company_ids += company
    env["account.chart.template"].with_company(company)._load(
        "ro", company, install_demo=False
    )
    env["res.partner.bank"].create(
        {"partner_id": company.partner_id.id, "acc_number": "RO49AAAA1B31007593840000"}
    )
    partner = env["res.partner"].create(
        {
            "name": "Client Bench SRL",
            "is_company": True,
            "street": "Str. Mare 1",
            "city": "Cluj-Napoca",
            "zip": "400001",
            "state_id": env.ref("base.RO_CJ").id,
            "country_id": env.ref("base.ro").id,
            "vat": "RO14399840",
        }
    )
    company_env = env(context={"allowed_company_ids": company.ids})
    taxes = [
        company_env.ref(f"account.{company.id}_{name}")
        for name in ("tvac_19", "tvac_09")
    ]
    product = company_env["product.product"].create(
        {"name": "Servicii", "type": "service"}
    )
    moves = company_env["account.move"].create(
        [
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": date(2026, 11, 20),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "name": f"Servicii luna {n % 12 + 1}",
                            "quantity": 1 + n % 5,
                            "price_unit": 100 + n % 97,
                            "tax_ids": [Command.set(taxes[line % 2].ids)],
                        }
                    )
                    for line in range(3)
                ],
            }
            for n in range(1000)
        ]
    )
    moves.action_post()
    env.cr.commit()
    return company


def timed_each(function, items):
    timings = []
    for item in items:
        start = time.perf_counter()
        function(item)
        timings.append((time.perf_counter() - start) * 1000)
    return sum(timings), statistics.median(timings)


def main():
    args = parse_args()
    import odoo  # noqa: PLC0415
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    odoo.tools.config.parse_config([*args.odoo_args, f"--addons-path={ROOT}"])
    ensure_database(args)
    registry = odoo.modules.registry.Registry(args.database)
    folder = os.environ.get("CRM_EFACTURA_ARTIFACTS") or str(
        ROOT.parent / "shared" / "efactura"
    )
    from odoo.addons.crm_invoices_efactura.lib import validation  # noqa: PLC0415

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = romanian_company(env)
        env = env(context={"allowed_company_ids": company.ids, "lang": "en_US"})
        moves = env["account.move"].search(
            [
                ("company_id", "=", company.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
            ],
            limit=args.invoices,
            order="id",
        )
        results = {}
        xmls = []
        for label, builder in (
            ("Odoo (account.edi.xml.ubl_ro)", "account.edi.xml.ubl_ro"),
            ("ours (crm.invoices.efactura.xml)", "crm.invoices.efactura.xml"),
        ):
            model = env[builder]
            model._export_invoice(moves[0])  # warm up
            env.invalidate_all()
            start = time.perf_counter()
            built = [model._export_invoice(move)[0] for move in moves]
            results[label] = (time.perf_counter() - start) * 1000
            if builder == "crm.invoices.efactura.xml":
                xmls = built
        cr.rollback()

    print(f"\ne-Factura benchmark: {len(moves):,} invoices, 3 lines each")
    print("\nBuilding the XML (same invoices, caches emptied first)")
    for label, ms in results.items():
        print(f"  {label:<34} {ms:9.0f} ms   {ms / len(moves):6.2f} ms per invoice")
    odoo_ms, ours_ms = results.values()
    print(f"  ratio ours / Odoo: {ours_ms / odoo_ms:.2f}  (target <= 1.1)")

    print("\nValidating (XSD + ANAF's rules + current CEN rules)")
    for label, isolated in (
        ("in this process", False),
        ("helper process (as in Odoo)", True),
    ):
        start = time.perf_counter()
        validator = validation.validator_for(folder, isolated=isolated)
        validator.validate(xmls[0])  # compiles (or starts the helper) once
        compile_ms = (time.perf_counter() - start) * 1000
        total_ms, median_ms = timed_each(validator.validate, xmls)
        errors = sum(
            1
            for xml in xmls[:50]
            for finding in validator.validate(xml)
            if finding.is_error
        )
        print(
            f"  {label:<30} compile {compile_ms:6.0f} ms once; "
            f"{total_ms / len(xmls):5.2f} ms per invoice (median {median_ms:.2f}); "
            f"errors in 50: {errors}"
        )


if __name__ == "__main__":
    main()
