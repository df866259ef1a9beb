"""Perfex integrations, replayed as they send their requests, against our server.

Each test sends the requests of an independently written Perfex client the way
that client sends them (method, path, header, encoding, field names and
values), written here from reading their sources; none of their code is
copied.  The database looks like one migrated from Perfex (see setup_db.py):
customer 1, staff member 1, taxes CGST/SGST 9 %, invoice 1 with items 1-3.

- the Perfex REST API module's documented requests (its docblocks:
  ``api/controllers/Invoices.php`` (v2) and ``api-v3/controllers/Invoices.php``);
- the vendor's examples (``themesic/perfex-rest-api-examples``,
  ``snippets/{python,javascript,curl}/invoices.*``);
- the n8n community node (``VCalazans/n8n-nodes-perfexcrm-api``,
  ``nodes/PerfexCrmApi/resources/invoice/operations.ts``).

Every operation must succeed with Perfex's answer shape, and what the answer
says (from Odoo) must be right: totals, taxes, numbers, states.  The tests run
in this file's order: the module's examples first, while invoice 1 and its
items 1-3 exist; the vendor's Python example then deletes invoice 1.  The file
runs before test_concurrency.py (its name sorts first): schemathesis there
sends PUTs and DELETEs to small ids such as 1.
"""

import json
import os

import pytest
import requests
from client import days_from_today

PERFEX_KEYS = ("id", "clientid", "number", "status", "total", "hash", "client")


@pytest.fixture(scope="module")
def api(base_url):
    return base_url.rstrip("/") + "/api"


@pytest.fixture(scope="module")
def headers(token):
    return {"authtoken": token}


@pytest.fixture(scope="module")
def perfex_db():
    invoice = int(os.environ.get("CRM_PERFEX_INVOICE", "0"))
    items = json.loads(os.environ.get("CRM_PERFEX_ITEMS", "[]"))
    if invoice != 1 or items[:3] != [1, 2, 3]:
        pytest.fail(
            f"the Perfex-like database needs invoice 1 with items 1-3, got invoice "
            f"{invoice} with items {items}: the e2e database was not new"
        )
    return invoice


def read(api, headers, invoice_id):
    response = requests.get(f"{api}/invoices/{invoice_id}", headers=headers, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def assert_perfex_answer(answer):
    assert answer["status"] is True, answer
    invoice = answer.get("invoice")
    if invoice:
        for key in PERFEX_KEYS:
            assert key in invoice
        assert isinstance(invoice["id"], str) and isinstance(invoice["total"], str)


# ---------------------------------------------------------------- the module's
# documented requests (docblocks of api/controllers/Invoices.php, v2, and
# api-v3/controllers/Invoices.php, which documents the same requests)


def test_module_post_example_multipart_with_two_taxes(api, headers, perfex_db):
    """``@apiParamExample {Multipart Form}`` of POST api/invoices."""
    form = [
        ("clientid", "1"),
        ("number", "00001"),
        ("date", "2020-09-07"),
        ("currency", "1"),
        ("newitems[0][description]", "item 1 description"),
        ("newitems[0][long_description]", "item 1 long description"),
        ("newitems[0][qty]", "1"),
        ("newitems[0][rate]", "100"),
        ("newitems[0][order]", "1"),
        ("newitems[0][taxname][]", "CGST|9.00"),
        ("newitems[0][taxname][]", "SGST|9.00"),
        ("newitems[0][unit]", ""),
        ("newitems[1][description]", "item 2 description"),
        ("newitems[1][long_description]", "item 2 long description"),
        ("newitems[1][qty]", "1"),
        ("newitems[1][rate]", "100"),
        ("newitems[1][order]", "1"),
        ("newitems[1][taxname][]", "CGST|9.00"),
        ("newitems[1][taxname][]", "SGST|9.00"),
        ("newitems[1][unit]", ""),
        ("subtotal", "236.00"),
        ("total", "236.00"),
        ("billing_street", "billing address"),
        ("allowed_payment_modes[0]", "1"),
        ("allowed_payment_modes[1]", "2"),
    ]
    response = requests.post(
        f"{api}/invoices",
        headers=headers,
        files=[(key, (None, value)) for key, value in form],
        timeout=30,
    )
    assert response.status_code == 200, response.text
    answer = response.json()
    assert_perfex_answer(answer)
    assert answer["message"] == "Invoice Added Successfully"
    invoice = answer["invoice"]
    assert (invoice["clientid"], invoice["number"], invoice["currency"]) == (
        "1",
        "1",
        "1",
    )
    assert [item["taxname"] for item in invoice["items"]] == [
        ["CGST|9.00", "SGST|9.00"]
    ] * 2
    # Perfex's subtotal is before tax: Odoo's is kept and the difference said
    assert (invoice["subtotal"], invoice["total_tax"], invoice["total"]) == (
        "200.00",
        "36.00",
        "236.00",
    )
    assert "subtotal" in answer["warnings"] and "total" not in answer["warnings"]
    assert invoice["billing_street"] == "billing address"
    # cleanup for the next example, which gives invoice 1 the number 1
    deleted = requests.delete(
        f"{api}/invoices/{answer['record_id']}", headers=headers, timeout=30
    )
    assert deleted.json()["status"] is True


def test_module_put_example_json_on_invoice_1(api, headers, perfex_db):
    """``@apiParamExample {json}`` of PUT api/invoices/:id, on invoice 1."""
    before = read(api, headers, 1)
    body = {
        "clientid": "1",
        "billing_street": "billing address",
        "billing_city": "billing city name",
        "billing_state": "billing state name",
        "billing_zip": "billing zip code",
        "billing_country": "",
        "include_shipping": "on",
        "show_shipping_on_invoice": "on",
        "shipping_street": "shipping address",
        "shipping_city": "city name",
        "shipping_state": "state name",
        "shipping_zip": "zip code",
        "shipping_country": "",
        "number": "000001",
        "date": "2020-08-28",
        "duedate": "2020-09-27",
        "cancel_overdue_reminders": "on",
        "tags": "TAG 1,TAG 2",
        "allowed_payment_modes": ["1", "2"],
        "currency": "1",
        "sale_agent": "1",
        "recurring": "custom",
        "discount_type": "before_tax",
        "repeat_every_custom": "7",
        "repeat_type_custom": "day",
        "cycles": "0",
        "adminnote": "TEST",
        "show_quantity_as": "1",
        "items": {
            "1": {
                "itemid": "1",
                "order": "1",
                "description": "item description",
                "long_description": "item long description",
                "qty": "1",
                "unit": "1",
                "rate": "10.00",
            }
        },
        "removed_items": ["2", "3"],
        "newitems": {
            "2": {
                "order": "2",
                "description": "item 2 description",
                "long_description": "item 2 logn description",
                "qty": "1",
                "unit": "",
                "rate": "100.00",
            }
        },
        "subtotal": "10.00",
        "discount_percent": "10",
        "discount_total": "1.00",
        "adjustment": "1",
        "total": "10.00",
        "clientnote": "client note",
        "terms": "terms",
    }
    response = requests.put(f"{api}/invoices/1", headers=headers, json=body, timeout=30)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert_perfex_answer(answer)
    assert answer["message"] == "Invoice Updated Successfully"
    assert answer["action"] == "reposted"
    invoice = answer["invoice"]
    # the same legal number, posted again
    assert invoice["odoo"]["formatted_number"] == before["odoo"]["formatted_number"]
    assert invoice["odoo"]["state"] == "posted"
    assert (invoice["number"], invoice["date"], invoice["duedate"]) == (
        "1",
        "2020-08-28",
        "2020-09-27",
    )
    items = {item["id"]: item for item in invoice["items"]}
    assert "2" not in items and "3" not in items
    assert (items["1"]["description"], items["1"]["rate"]) == (
        "item description",
        "10.00",
    )
    assert len(items) == 2
    # 10 + 100, 10 % off, + 1 adjustment: the books' totals
    assert (invoice["subtotal"], invoice["discount_total"], invoice["adjustment"]) == (
        "110.00",
        "11.00",
        "1.00",
    )
    assert invoice["total"] == "100.00"
    assert "total" in answer["warnings"]
    assert invoice["include_shipping"] == "1"
    assert invoice["shipping_street"] == "shipping address"
    assert invoice["cancel_overdue_reminders"] == "1"
    assert invoice["sale_agent"] == "1"
    # sent again (a retry): the removed items stay removed, the new item is
    # added once more, as Perfex does
    again = requests.put(f"{api}/invoices/1", headers=headers, json=body, timeout=30)
    assert again.status_code == 200, again.text
    assert len(again.json()["invoice"]["items"]) == 3


def test_module_search_and_list(api, headers, perfex_db):
    """GET api/invoices (v2: an array by id) and api/invoices/search/:keysearch."""
    listed = requests.get(f"{api}/invoices", headers=headers, timeout=30)
    rows = listed.json()
    assert [int(row["id"]) for row in rows] == sorted(int(row["id"]) for row in rows)
    found = requests.get(f"{api}/invoices/search/1", headers=headers, timeout=30)
    assert found.status_code == 200
    assert "1" in [row["invoiceid"] for row in found.json()]
    assert {"company", "userid", "invoiceid"} <= set(found.json()[0])


# ---------------------------------------------------------------- the vendor's
# examples (snippets/python/invoices.py, snippets/javascript/invoices.js,
# snippets/curl/invoices.sh)


def test_vendor_python_example_as_written(api, headers, perfex_db):
    """``snippets/python/invoices.py``: list, get 1, create, update 1, delete 1."""
    response = requests.get(f"{api}/invoices", headers=headers, timeout=30)
    response.raise_for_status()
    assert isinstance(response.json(), list)
    response = requests.get(f"{api}/invoices/1", headers=headers, timeout=30)
    response.raise_for_status()
    assert response.json()["id"] == "1"

    payload = {
        "clientid": 1,
        "number": 1001,
        "date": "2026-01-15",
        "duedate": "2026-02-15",
        "currency": 1,
        "items[0][description]": "Consulting services",
        "items[0][qty]": 10,
        "items[0][rate]": 150,
    }
    created = requests.post(
        f"{api}/invoices", headers=headers, data=payload, timeout=30
    )
    assert created.status_code == 200, created.text
    assert_perfex_answer(created.json())
    invoice = created.json()["invoice"]
    # due on 2026-02-15: overdue (4) by now
    assert (invoice["number"], invoice["total"], invoice["status"]) == (
        "1001",
        "1500.00",
        "4",
    )
    assert created.json()["record_id"] == int(invoice["id"])

    updated = requests.put(
        f"{api}/invoices/1", headers=headers, data={"duedate": "2026-03-01"}, timeout=30
    )
    assert updated.status_code == 200, updated.text
    assert updated.json()["invoice"]["duedate"] == "2026-03-01"
    assert updated.json()["action"] == "reposted"

    deleted = requests.delete(f"{api}/invoices/1", headers=headers, timeout=30)
    assert deleted.status_code == 200, deleted.text
    assert deleted.json() == {
        "status": True,
        "message": "Invoice Deleted Successfully",
        "id": 1,
        "action": "cancelled",
    }
    gone = requests.get(f"{api}/invoices/1", headers=headers, timeout=30)
    assert gone.status_code == 404
    assert gone.json()["message"] == "No data were found"


@pytest.mark.parametrize("client", ["javascript", "curl"])
def test_vendor_javascript_and_curl_examples(api, headers, client):
    """``snippets/javascript/invoices.js`` (FormData) and ``snippets/curl/invoices.sh``
    (-F): the same requests, multipart; their get/update/delete name invoice 1,
    which the Python example deleted, so they name the invoice they created."""
    form = {
        "clientid": "1",
        "number": "INV-000123" if client == "javascript" else "INV-000124",
        "date": "2026-01-15",
        "duedate": "2026-02-15",
        "currency": "1",
        "items[0][description]": "Consulting",
        "items[0][qty]": "2",
        "items[0][rate]": "150",
    }
    created = requests.post(
        f"{api}/invoices",
        headers=headers,
        files={key: (None, value) for key, value in form.items()},
        timeout=30,
    )
    assert created.status_code == 200, created.text
    invoice_id = created.json()["record_id"]
    assert created.json()["invoice"]["total"] == "300.00"
    assert created.json()["invoice"]["number"] == form["number"]
    assert read(api, headers, invoice_id)["id"] == str(invoice_id)
    updated = requests.put(
        f"{api}/invoices/{invoice_id}",
        headers=headers,
        files={"duedate": (None, "2026-03-01")},
        timeout=30,
    )
    assert updated.status_code == 200, updated.text
    assert updated.json()["invoice"]["duedate"] == "2026-03-01"
    deleted = requests.delete(
        f"{api}/invoices/{invoice_id}", headers=headers, timeout=30
    )
    assert deleted.status_code == 200 and deleted.json()["status"] is True


# ---------------------------------------------------------------- the n8n node
# (nodes/PerfexCrmApi/resources/invoice/operations.ts): JSON bodies


def test_n8n_node_operations(api, headers):
    n8n = {**headers, "Content-Type": "application/json"}
    body = {
        "clientid": 1,
        "number": 2001,
        "date": days_from_today(-32),
        "currency": 1,
        "newitems": [
            {
                "description": "Automation setup",
                "qty": 2,
                "rate": 80,
                "taxname": ["CGST|9.00", "SGST|9.00"],
            }
        ],
        "subtotal": 160,
        "total": 188.8,
        "billing_street": "Strada Memorandumului 28",
        "allowed_payment_modes": [1],
        "duedate": days_from_today(-2),
        "clientnote": "from n8n",
    }
    created = requests.post(
        f"{api}/invoices", headers=n8n, data=json.dumps(body), timeout=30
    )
    assert created.status_code == 200, created.text
    answer = created.json()
    assert_perfex_answer(answer)
    assert "warnings" not in answer, "the node's totals are Odoo's"
    invoice_id = answer["record_id"]
    invoice = read(api, headers, invoice_id)
    assert (invoice["total"], invoice["total_tax"]) == ("188.80", "28.80")

    found = requests.get(f"{api}/invoices/search/2001", headers=headers, timeout=30)
    assert [row["invoiceid"] for row in found.json()] == [str(invoice_id)]

    # the node's update fields; its JSON fields (items) are parsed before sending
    update = {
        "duedate": days_from_today(16),
        "items": {"1": {"itemid": invoice["items"][0]["id"], "qty": 3, "rate": 80}},
    }
    updated = requests.put(
        f"{api}/invoices/{invoice_id}", headers=n8n, data=json.dumps(update), timeout=30
    )
    assert updated.status_code == 200, updated.text
    assert updated.json()["invoice"]["total"] == "283.20"

    deleted = requests.delete(
        f"{api}/invoices/{invoice_id}", headers=headers, timeout=30
    )
    assert deleted.json()["status"] is True


# ---------------------------------------------------------------- v3 shapes


def test_v3_search_query_fields_and_paging(api, headers):
    created = requests.post(
        f"{api}/invoices",
        headers=headers,
        data={
            "clientid": "1",
            "number": "V3-1",
            "date": days_from_today(-32),
            "currency": "1",
            "items[0][description]": "v3 item",
            "items[0][qty]": "1",
            "items[0][rate]": "40",
            "items[0][taxes][0][name]": "CGST",
            "items[0][taxes][0][rate]": "9",
        },
        timeout=30,
    )
    assert created.status_code == 200, created.text
    assert created.json()["invoice"]["total"] == "43.60"
    found = requests.get(
        f"{api}/invoices/search", headers=headers, params={"q": "V3-1"}, timeout=30
    )
    assert found.json()[0]["number"] == "V3-1"
    page = requests.get(
        f"{api}/invoices",
        headers=headers,
        params={"page": 1, "per_page": 2, "sort": "-datecreated", "fields": "id,total"},
        timeout=30,
    ).json()
    assert set(page["data"][0]) == {"id", "total"}
    assert page["meta"]["current_page"] == 1
    assert page["data"][0]["id"] == created.json()["record_id"]
