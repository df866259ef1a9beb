from datetime import date, datetime
from decimal import Decimal

from odoo.addons.crm_invoices.lib.api_serialize import (
    error_json,
    invoice_json,
    money,
    split_description,
    success_json,
)

VALUES = {
    "id": 12,
    "name": "INV/2026/00012",
    "sequence_prefix": "INV/2026/",
    "sequence_number": 12,
    "clientid": 7,
    "invoice_date": date(2026, 11, 1),
    "invoice_date_due": date(2026, 12, 1),
    "currency_id": 2,
    "currency_name": "RON",
    "decimal_places": 2,
    "amount_untaxed": 200.0,
    "amount_tax": 19.0,
    "amount_total": 219.0,
    "amount_residual": 119.005,
    "crm_status": "partial",
    "is_sent": True,
    "date_sent": datetime(2026, 11, 2, 9, 30),
    "portal_url": "https://odoo.example.com/my/invoices/12?access_token=x",
}


def test_invoice_in_perfex_shape():
    result = invoice_json(
        VALUES,
        items=[
            {
                "id": 5,
                "description": "Hosting",
                "qty": 2.0,
                "rate": 100,
                "taxes": [("TVA", 19)],
                "subtotal": 200,
            }
        ],
        payments=[{"id": 9, "amount": 100, "mode": "Bank", "date": date(2026, 11, 5)}],
    )
    assert result["number"] == 12
    assert result["prefix"] == "INV/2026/"
    assert result["status"] == 3
    assert result["status_name"] == "Partially Paid"
    assert result["total"] == "219.00"
    assert result["total_left_to_pay"] == "119.01"
    assert result["sent"] == 1
    assert result["datesend"] == "2026-11-02 09:30:00"
    assert result["date"] == "2026-11-01"
    assert result["odoo_id"] == 12
    assert result["items"][0]["taxname"] == ["TVA|19.00"]
    assert result["items"][0]["qty"] == "2"
    assert result["payments"][0] == {
        "id": 9,
        "invoiceid": 12,
        "amount": "100.00",
        "paymentmode": "Bank",
        "date": "2026-11-05",
        "transactionid": "",
    }


def test_list_rows_leave_items_out():
    assert "items" not in invoice_json(VALUES)
    assert "payments" not in invoice_json(VALUES)


def test_sent_maps_to_unpaid_code():
    assert invoice_json({**VALUES, "crm_status": "sent"})["status"] == 1


def test_money_uses_the_currency_decimals():
    assert money(Decimal("10.5"), 0) == "11"
    assert money(1.005, 3) == "1.005"
    assert money(None) == "0.00"


def test_envelopes():
    assert error_json("Bad", {"clientid": "unknown"}) == {
        "status": False,
        "message": "Bad",
        "error": {"clientid": "unknown"},
    }
    assert success_json("Invoice Added Successfully", id=3) == {
        "status": True,
        "message": "Invoice Added Successfully",
        "id": 3,
    }


def test_split_description():
    assert split_description("Hosting\nNovember\nand more") == (
        "Hosting",
        "November\nand more",
    )
    assert split_description(None) == ("", "")
