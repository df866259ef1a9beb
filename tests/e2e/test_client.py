"""A client written from the table and the OpenAPI document, against a live server."""

import uuid

import pytest
import requests
from client import ApiError, InvoicesClient, days_from_today


def invoice(clientid, tax="", **changes):
    body = {
        "clientid": clientid,
        # issued a month ago, due in a month: "Unpaid" on any day
        "date": days_from_today(-32),
        "duedate": days_from_today(28),
        "currency": "USD",
        "newitems": [
            {
                "description": "Hosting",
                "qty": 2,
                "rate": "50.00",
                "taxname": [tax] if tax else [],
            },
            {"description": "Setup", "qty": 1, "rate": "100.00"},
        ],
    }
    body.update(changes)
    return body


def test_lifecycle(client, clientid, tax):
    created = client.create(invoice(clientid, tax, adminnote="e2e"))
    assert created["status"] is True
    assert created["message"] == "Invoice Added Successfully"
    invoice_id = created["id"]

    # Perfex's answers: strings, Perfex's keys
    one = client.get(invoice_id)
    assert one["id"] == str(invoice_id)
    assert one["status"] == "1"
    assert len(one["items"]) == 2
    assert one["adminnote"] == "e2e"

    listed = client.list()
    assert str(invoice_id) in [row["id"] for row in listed]

    found = client.search(one["odoo"]["formatted_number"])
    assert str(invoice_id) in [row["invoiceid"] for row in found]
    assert str(invoice_id) in [row["id"] for row in client.search(one["number"])]

    updated = client.update(invoice_id, {"clientnote": "Thanks", "sent": 1})
    assert updated["invoice"]["clientnote"] == "Thanks"
    assert updated["invoice"]["sent"] == "1"

    # a posted invoice changes the accounting way: reset, change, post again
    reposted = client.update(
        invoice_id, {"items": [{"itemid": one["items"][0]["id"], "qty": 9}]}
    )
    assert reposted["action"] == "reposted"
    assert reposted["invoice"]["items"][0]["qty"] == "9.00"
    assert (
        reposted["invoice"]["odoo"]["formatted_number"]
        == (one["odoo"]["formatted_number"])
    )

    deleted = client.delete(invoice_id)
    assert deleted["action"] == "cancelled"
    with pytest.raises(ApiError) as gone:  # answers like a deleted invoice
        client.get(invoice_id)
    assert gone.value.status == 404


def test_draft_is_deleted(client, clientid):
    draft = client.create(invoice(clientid, save_as_draft=1))
    assert draft["invoice"]["status"] == "6"
    items = draft["invoice"]["items"]
    changed = client.update(
        draft["id"],
        {"items": {str(items[0]["id"]): {"qty": 3}}, "removed_items": [items[1]["id"]]},
    )
    assert changed["invoice"]["subtotal"] == "150.00"
    assert client.delete(draft["id"])["action"] == "deleted"
    with pytest.raises(ApiError) as gone:
        client.get(draft["id"])
    assert gone.value.status == 404


def test_perfex_form_data(client, clientid):
    form = {
        "clientid": str(clientid),
        "number": "E2E-1001",
        "date": days_from_today(-29),
        "newitems[0][description]": "Licence",
        "newitems[0][qty]": "1",
        "newitems[0][rate]": "250",
        "total": "250.00",
    }
    created = client.create(form, form=True)
    assert created["invoice"]["total"] == "250.00"


def test_paging(client, clientid):
    for _i in range(3):
        client.create(invoice(clientid))
    first = client.list(page=1, per_page=2, clientid=clientid)
    assert first["meta"]["per_page"] == 2
    assert first["meta"]["total"] >= 3
    # Perfex v3's envelope: its seven keys on every page
    assert set(first["meta"]) == {
        "page",
        "per_page",
        "total",
        "total_pages",
        "has_more",
        "current_page",
        "last_page",
    }
    # a client that pages by has_more and one that pages by last_page
    every = list(client.pages(per_page=2, clientid=clientid))
    assert len(every) == first["meta"]["total"]
    assert len({row["id"] for row in every}) == len(every)
    by_last_page = []
    for page in range(1, first["meta"]["last_page"] + 1):
        by_last_page += client.list(page=page, limit=2, clientid=clientid)["data"]
    assert [row["id"] for row in by_last_page] == [row["id"] for row in every]


def test_idempotent_retry(client, clientid):
    key = str(uuid.uuid4())
    first = client.create(invoice(clientid), idempotency_key=key)
    again = client.create(invoice(clientid), idempotency_key=key)
    assert again == first


def test_errors_are_documented_json(base_url, client, clientid, read_token):
    with pytest.raises(ApiError) as bad:
        client.create(invoice(clientid, date="2026-13-45"))
    assert bad.value.status == 422
    assert "date" in bad.value.body["error"]
    # a total that differs from Odoo's: Odoo's is kept, the answer says so
    kept = client.create(invoice(clientid, total="1.00"))
    assert kept["invoice"]["total"] != "1.00"
    assert "total" in kept["warnings"]
    with pytest.raises(ApiError) as forbidden:
        InvoicesClient(base_url, read_token).create(invoice(clientid))
    assert forbidden.value.status == 403
    anonymous = requests.get(f"{base_url}/api/invoices", timeout=30)
    assert anonymous.status_code == 401
    assert anonymous.json()["status"] is False
    wrong = requests.patch(
        f"{base_url}/api/invoices", headers={"authtoken": read_token}, timeout=30
    )
    assert wrong.status_code == 405
    with pytest.raises(ApiError) as paging:
        client.list(per_page=500)
    assert paging.value.status == 422
