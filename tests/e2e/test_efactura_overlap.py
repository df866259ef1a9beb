"""e-Factura against a stand-in for ANAF, with real Odoo processes.

- Two processes run the exchange job at the same instant on 30 invoices:
  every invoice is uploaded exactly once.
- A process is killed while its upload is under way (ANAF got the file,
  the answer never reached the database): the next run finds the upload in
  ANAF's message list and adopts its index; nothing is uploaded twice.
"""

import json
import os
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import shell

ROOT = Path(__file__).resolve().parents[2]
STUB = ROOT / "crm_invoices_efactura" / "tests" / "anaf_stub.py"
INVOICES = 30

SETUP = """
import json, os
from datetime import date
from odoo import Command
company = env["res.company"].create({{
    "name": "E2E Romania SRL", "country_id": env.ref("base.ro").id,
    "currency_id": env.ref("base.RON").id, "street": "Strada Lunga 3",
    "city": "Sector 1", "zip": "010101", "state_id": env.ref("base.RO_B").id,
    "vat": "RO18547290", "crm_efactura_auto_send": False,
    "l10n_ro_edi_access_token": "good-token",
}})
env.user.company_ids += company
charts = env["account.chart.template"].with_company(company)
charts._load("ro", company, install_demo=False)
params = env["ir.config_parameter"].sudo()
params.set_param("crm_invoices_efactura.anaf_url", "{url}/test/FCTEL/rest")
params.set_param(
    "crm_invoices_efactura.artifacts_path", os.environ["CRM_EFACTURA_ARTIFACTS"]
)
cenv = env(context={{"allowed_company_ids": company.ids}})
partner = cenv["res.partner"].create({{
    "name": "Client E2E SRL", "is_company": True, "street": "Str. Mare 1",
    "city": "Cluj-Napoca", "zip": "400001", "state_id": env.ref("base.RO_CJ").id,
    "country_id": env.ref("base.ro").id, "vat": "RO14399840",
}})
tax = cenv.ref(f"account.{{company.id}}_tvac_19")
moves = cenv["account.move"].create([{{
    "move_type": "out_invoice", "partner_id": partner.id,
    "invoice_date": date.today(),
    "invoice_line_ids": [Command.create({{
        "name": "Servicii", "quantity": 1, "price_unit": 100 + n,
        "tax_ids": [Command.set(tax.ids)],
    }})],
}} for n in range({count})])
moves.action_post()
moves._crm_efactura_queue()
env.cr.commit()
print(json.dumps({{
    "company": company.id, "ids": moves.ids, "names": moves.mapped("name"),
}}))
"""

RUN = """
import json, time
time.sleep(max(0.0, {start} - time.time()))
env["crm.invoices.efactura.exchange"].sudo()._cron_exchange()
env.cr.commit()
print(json.dumps({{"done": True}}))
"""

CHECK = """
import json
moves = env["account.move"].sudo().browse({ids})
print(json.dumps({{
    "states": moves.mapped("crm_efactura_state"),
    "indexes": moves.mapped("crm_efactura_index"),
    "adopted": moves.crm_efactura_submission_ids.filtered("adopted").move_id.ids,
    "submissions": len(moves.crm_efactura_submission_ids),
}}))
"""

QUEUE_ONE = """
import json
from datetime import date
from odoo import Command
company = env["res.company"].browse({company})
cenv = env(context={{"allowed_company_ids": company.ids}})
move = cenv["account.move"].search([("company_id", "=", company.id)], limit=1).copy(
    {{"invoice_date": date.today()}}
)
move.action_post()
move._crm_efactura_queue()
env.cr.commit()
print(json.dumps({{"id": move.id, "name": move.name}}))
"""

REWIND = """
import json
env.cr.execute(
    "UPDATE crm_invoices_efactura_submission "
    "SET attempt_date = attempt_date - interval '11 minutes' WHERE move_id = %s",
    [{id}],
)
env.cr.commit()
print(json.dumps({{"rewound": env.cr.rowcount}}))
"""


@pytest.fixture(scope="module")
def anaf():
    if not os.environ.get("CRM_EFACTURA_ARTIFACTS"):
        pytest.fail("CRM_EFACTURA_ARTIFACTS is not set (bin/test sets it)")
    port_file = Path(os.environ.get("TMPDIR", "/tmp")) / f"anaf-stub-{os.getpid()}"
    process = subprocess.Popen(
        [sys.executable, str(STUB), str(port_file)], stdout=subprocess.DEVNULL
    )
    for _wait in range(100):
        if port_file.exists() and port_file.read_text():
            break
        time.sleep(0.1)
    url = port_file.read_text()
    yield url
    process.kill()
    process.wait()
    port_file.unlink(missing_ok=True)


def stub_call(url, path, data=None):
    request = urllib.request.Request(
        f"{url}/_stub/{path}",
        data=json.dumps(data).encode() if data is not None else None,
        method="POST" if data is not None else "GET",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def test_two_jobs_at_once_upload_each_invoice_once_and_a_crash_is_recovered(
    odoo_shell, anaf
):
    setup = shell(odoo_shell, SETUP.format(url=anaf, count=INVOICES))
    start = time.time() + 12  # both shells are loaded by then
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda _n: shell(odoo_shell, RUN.format(start=start)), range(2)))
    uploads = stub_call(anaf, "state")["uploads"]
    uploaded = [upload["invoice_id"] for upload in uploads]
    assert sorted(uploaded) == sorted(setup["names"]), "each invoice exactly once"
    check = shell(odoo_shell, CHECK.format(ids=setup["ids"]))
    assert set(check["states"]) <= {"sent", "accepted"}, check
    assert check["submissions"] == INVOICES

    # a run killed while its upload is under way: ANAF has the file
    one = shell(odoo_shell, QUEUE_ONE.format(company=setup["company"]))
    stub_call(anaf, "plan", {"plan": {"upload": [{"delay": 30}]}})
    killed = subprocess.Popen(
        odoo_shell,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    killed.stdin.write(RUN.format(start=0))
    killed.stdin.close()
    for _wait in range(120):
        if any(
            u["invoice_id"] == one["name"] for u in stub_call(anaf, "state")["uploads"]
        ):
            break
        time.sleep(0.5)
    killed.kill()
    killed.wait()
    # ten minutes later (the upload cannot still be under way), the job runs
    shell(odoo_shell, REWIND.format(id=one["id"]))
    shell(odoo_shell, RUN.format(start=0))
    uploads = stub_call(anaf, "state")["uploads"]
    assert [u["invoice_id"] for u in uploads].count(one["name"]) == 1
    check = shell(odoo_shell, CHECK.format(ids=[one["id"]]))
    assert check["states"] == ["sent"] or check["states"] == ["accepted"], check
    assert check["adopted"] == [one["id"]], check
