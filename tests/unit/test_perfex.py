"""Perfex's dialect: answers checked key by key against its documented samples.

The key lists below are the keys of the samples in the docblocks of the Perfex
REST API module (``api/controllers/Invoices.php``: ``GET api/invoices/:id``
and ``GET api/invoices/search/:keysearch``), written here independently of
``lib/perfex.py`` so that a change there cannot drop a key unnoticed.
"""

from datetime import date, datetime

import pytest

from odoo.addons.crm_invoices.lib import perfex
from odoo.addons.crm_invoices.lib.perfex_ids import (
    PERFEX_COUNTRY_IDS,
    PERFEX_CURRENCY_IDS,
)

SAMPLE_INVOICE = """id sent datesend clientid deleted_customer_name number prefix
number_format datecreated date duedate currency subtotal total_tax total adjustment
addedfrom hash status clientnote adminnote last_overdue_reminder
cancel_overdue_reminders allowed_payment_modes token discount_percent discount_total
discount_type recurring recurring_type custom_recurring cycles total_cycles
is_recurring_from last_recurring_date terms sale_agent billing_street billing_city
billing_state billing_zip billing_country shipping_street shipping_city shipping_state
shipping_zip shipping_country include_shipping show_shipping_on_invoice
show_quantity_as project_id subscription_id""".split()
SAMPLE_ONE = (
    SAMPLE_INVOICE
    + """symbol name decimal_separator thousand_separator
placement isdefault currencyid currency_name total_left_to_pay items attachments
visible_attachments_to_customer_found client payments scheduled_email""".split()
)
SAMPLE_ITEM = "id rel_id rel_type description long_description qty rate unit item_order"
SAMPLE_CLIENT = """userid company vat phonenumber country city zip state address
website datecreated active leadid billing_street billing_city billing_state billing_zip
billing_country shipping_street shipping_city shipping_state shipping_zip
shipping_country longitude latitude default_language default_currency
show_primary_contact stripe_id registration_confirmed addedfrom""".split()
SAMPLE_SEARCH = (
    SAMPLE_INVOICE
    + """userid company vat phonenumber country city zip
state address website active leadid longitude latitude default_language
default_currency show_primary_contact stripe_id registration_confirmed
invoiceid""".split()
)

VALUES = {
    "id": 19,
    "name": "INV/2026/00019",
    "sequence_prefix": "INV/2026/",
    "sequence_number": 19,
    "client_number": None,
    "clientid": 3,
    "perfex_clientid": 3,
    "invoice_date": date(2026, 7, 4),
    "invoice_date_due": date(2026, 8, 3),
    "currency_name": "USD",
    "currency_symbol": "$",
    "perfex_currency": "1",
    "decimal_places": 2,
    "amount_untaxed": 20.0,
    "amount_tax": 1.8,
    "amount_total": 21.8,
    "amount_residual": 0.0,
    "items_subtotal": 20.0,
    "discount_total": 0.0,
    "adjustment": 0.0,
    "crm_status": "paid",
    "is_sent": True,
    "date_sent": datetime(2026, 7, 4, 10, 0),
    "create_date": datetime(2026, 8, 18, 21, 19, 51),
    "create_uid": 1,
    "hash": "809c0e4c9efba2a3bedfdb5871dc6240",
    "billing_country": "181",
}
CLIENT = {"perfex_clientid": 3, "name": "xyz", "country": 181}
ITEM = {
    "id": 2,
    "description": "12MP Dual Camera with cover",
    "long_description": "The JBL Cinema SB110 is a hassle-free soundbar",
    "qty": 1,
    "rate": 5,
    "order": 1,
    "taxes": [("TVA", 19.0)],
}


def test_one_invoice_has_every_key_of_the_sample_with_strings():
    one = perfex.invoice(VALUES, [ITEM], [], CLIENT)
    assert not set(SAMPLE_ONE) - set(one)
    assert not set(SAMPLE_ITEM.split()) - set(one["items"][0])
    assert not set(SAMPLE_CLIENT) - set(one["client"])
    # Perfex's values are strings: ids, codes, flags, money, quantities
    assert (one["id"], one["clientid"], one["status"], one["sent"]) == (
        "19",
        "3",
        "2",
        "1",
    )
    assert (one["subtotal"], one["total"], one["total_tax"]) == (
        "20.00",
        "21.80",
        "1.80",
    )
    assert one["items"][0]["qty"] == "1.00" and one["items"][0]["rate"] == "5.00"
    assert one["items"][0]["item_order"] == "1"
    assert one["datecreated"] == "2026-08-18 21:19:51"
    assert one["number"] == "19" and one["prefix"] == "INV/2026/"
    assert one["billing_country"] == "181"


def test_list_and_search_rows_have_the_samples_keys():
    assert not set(SAMPLE_INVOICE) - set(perfex.list_row(VALUES))
    row = perfex.search_row(VALUES, CLIENT)
    assert not set(SAMPLE_SEARCH) - set(row)
    assert row["invoiceid"] == "19" and row["company"] == "xyz"


def test_the_clients_number_wins_over_odoos():
    assert perfex.invoice_columns({**VALUES, "client_number": "1001"})["number"] == (
        "1001"
    )


@pytest.mark.parametrize(
    "text, fmt, expected",
    [
        ("2026-11-02", "d/m/Y", date(2026, 11, 2)),  # ISO always
        ("02/11/2026", "d/m/Y", date(2026, 11, 2)),
        ("11/02/2026", "m/d/Y", date(2026, 11, 2)),
        ("02.11.2026", "d.m.Y", date(2026, 11, 2)),
        ("02/11/2026", "Y-m-d", None),  # not the configured format
        ("31/02/2026", "d/m/Y", None),
        ("2026-11-02 10:00", "Y-m-d", None),
    ],
)
def test_dates_in_the_configured_perfex_format(text, fmt, expected):
    assert perfex.parse_date(text, fmt) == expected


def test_invoice_hash_is_stable_secret_and_perfex_shaped():
    first = perfex.invoice_hash(19, "secret")
    assert len(first) == 32 and int(first, 16) >= 0
    assert first == perfex.invoice_hash(19, "secret")
    assert first != perfex.invoice_hash(20, "secret")
    assert first != perfex.invoice_hash(19, "other")
    assert perfex.same_hash(first, first) and not perfex.same_hash(first, "0" * 32)


def test_fields_keeps_the_named_keys():
    row = perfex.list_row(VALUES)
    assert perfex.only_fields(row, {"id", "total", "nope"}) == {
        "id": "19",
        "total": "21.80",
    }
    assert perfex.only_fields(row, None) is row


def test_perfex_country_and_currency_ids():
    assert len(PERFEX_COUNTRY_IDS) == 250
    assert len(set(PERFEX_COUNTRY_IDS.values())) == 250
    # the case of the issue: 194 is Saudi Arabia in Perfex (Seychelles is 197)
    assert PERFEX_COUNTRY_IDS["SA"] == 194 and PERFEX_COUNTRY_IDS["SC"] == 197
    assert PERFEX_COUNTRY_IDS["RO"] == 181 and PERFEX_COUNTRY_IDS["GB"] == 235
    assert PERFEX_CURRENCY_IDS == {"USD": 1, "EUR": 2}
