from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.addons.crm_invoices.lib.api_payload import (
    ValidationFailed,
    next_page_args,
    normalize_invoice,
    page_meta,
    parse_form,
    parse_json,
    parse_list_query,
    parse_number_keyword,
    parse_poll,
    parse_search_keyword,
    parse_tax,
)

PERFEX_FORM = [
    ("clientid", "7"),
    ("number", "12"),
    ("date", "2026-11-01"),
    ("duedate", "2026-12-01"),
    ("currency", "2"),
    ("newitems[0][description]", "Hosting"),
    ("newitems[0][long_description]", "November"),
    ("newitems[0][qty]", "2"),
    ("newitems[0][rate]", "50.00"),
    ("newitems[0][unit]", "month"),
    ("newitems[0][order]", "1"),
    ("newitems[0][taxname][]", "TVA|19.00"),
    ("newitems[1][description]", "Setup"),
    ("newitems[1][qty]", "1"),
    ("newitems[1][rate]", "100"),
    ("billing_street", "Strada Memorandumului 28"),
    ("billing_country", "RO"),
    ("clientnote", "Thank you"),
    ("cancel_overdue_reminders", "1"),
    ("subtotal", "200.00"),
    ("total", "219.00"),
]


def test_parse_form_nests_php_keys():
    data = parse_form(PERFEX_FORM)
    assert data["newitems"]["0"]["taxname"] == ["TVA|19.00"]
    assert data["newitems"]["1"]["description"] == "Setup"
    assert data["clientid"] == "7"


def test_parse_form_lists_and_conflicts():
    data = parse_form(
        [("removed_items[]", "4"), ("removed_items[]", "5"), ("a", "1"), ("a[b]", "2")]
    )
    assert data == {"removed_items": ["4", "5"], "a": "1"}
    assert parse_form([("[x]", "1"), ("y[", "2")]) == {"y": "2"}


def test_normalize_a_perfex_form():
    payload = normalize_invoice(parse_form(PERFEX_FORM))
    assert payload["clientid"] == 7
    assert payload["date"] == date(2026, 11, 1)
    assert payload["currency"] == 2
    first, second = payload["newitems"]
    assert first["taxes"] == [("TVA", Decimal("19.00"))]
    assert first["qty"] == Decimal("2")
    assert first["long_description"] == "November"
    assert "taxes" not in second
    assert payload["billing_country"] == "RO"
    assert payload["cancel_overdue_reminders"] is True
    assert payload["total"] == Decimal("219.00")


def test_normalize_json_items_list_and_currency_code():
    payload = normalize_invoice(
        {
            "clientid": 7,
            "date": "2026-11-01",
            "currency": "eur",
            "newitems": [
                {"description": "A", "qty": 1, "rate": 10.5, "taxname": "TVA|19"}
            ],
        }
    )
    assert payload["currency"] == "EUR"
    assert payload["newitems"][0]["taxes"] == [("TVA", Decimal("19"))]


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"clientid": None}, "clientid", "is required"),
        ({"clientid": "abc"}, "clientid", "whole number"),
        ({"date": "01/11/2026"}, "date", "YYYY-MM-DD"),
        ({"date": "2026-02-30"}, "date", "not a valid date"),
        ({"duedate": "2026-10-01"}, "duedate", "before the invoice date"),
        ({"currency": "EURO"}, "currency", "whole number"),
        ({"discount_percent": "150"}, "discount_percent", "above 100"),
        ({"discount_type": "sometimes"}, "discount_type", "before_tax"),
        ({"cancel_overdue_reminders": "maybe"}, "cancel_overdue_reminders", "0 or 1"),
        ({"total": "lots"}, "total", "number"),
        ({"newitems": []}, "newitems", "at least one item"),
        (
            {"newitems": [{"description": "A", "qty": -1, "rate": 1}]},
            "newitems[0][qty]",
            "negative",
        ),
        ({"newitems": [{"qty": 1, "rate": 1}]}, "newitems[0][description]", "required"),
        (
            {
                "newitems": [
                    {"description": "A", "qty": 1, "rate": 1, "taxname": ["TVA"]}
                ]
            },
            "newitems[0][taxname]",
            "NAME|RATE",
        ),
        ({"newitems": "lots"}, "newitems", "list of items"),
    ],
)
def test_errors_name_the_field(change, field, message):
    body = {
        "clientid": 7,
        "date": "2026-11-01",
        "newitems": [{"description": "A", "qty": 1, "rate": 10}],
    }
    body.update(change)
    with pytest.raises(ValidationFailed) as caught:
        normalize_invoice(body)
    assert message in caught.value.errors[field]


def test_every_error_is_reported_at_once():
    with pytest.raises(ValidationFailed) as caught:
        normalize_invoice({"clientid": "x", "date": "never", "newitems": []})
    assert set(caught.value.errors) == {"clientid", "date", "newitems"}


def test_update_items_and_removed_items():
    payload = normalize_invoice(
        parse_form(
            [
                ("items[41][qty]", "3"),
                ("items[42][description]", "Renamed"),
                ("removed_items[]", "43"),
                ("adminnote", ""),
            ]
        ),
        update=True,
    )
    assert payload["items"] == {
        41: {"qty": Decimal("3")},
        42: {"description": "Renamed"},
    }
    assert payload["removed_items"] == [43]
    assert payload["adminnote"] == ""
    assert "clientid" not in payload


def test_update_json_items_list():
    payload = normalize_invoice({"items": [{"id": 5, "rate": "2.5"}]}, update=True)
    assert payload["items"] == {5: {"rate": Decimal("2.5")}}
    # an item without an id is a new one (v3), so it needs what a new item needs
    with pytest.raises(ValidationFailed) as caught:
        normalize_invoice({"items": [{"rate": 1}]}, update=True)
    assert "items[0][description]" in caught.value.errors


def test_unicode_digit_keys_are_not_numbers():
    # "³".isdigit() is True but int("³") fails: found by schemathesis.
    with pytest.raises(ValidationFailed) as caught:
        normalize_invoice(
            {
                "clientid": "٣",
                "date": "2026-11-01",
                "newitems": {"³": {"description": "A", "qty": 1, "rate": 1}, "2": "x"},
            }
        )
    assert "clientid" in caught.value.errors
    assert "newitems[2]" in caught.value.errors


def test_body_must_be_an_object():
    with pytest.raises(ValidationFailed) as caught:
        normalize_invoice(["not", "an", "object"])
    assert "body" in caught.value.errors


def test_parse_tax():
    assert parse_tax("TVA 9%|9") == ("TVA 9%", Decimal("9"))
    assert parse_tax("|19") is None
    assert parse_tax(19) is None


def test_list_query_defaults_and_paging():
    assert parse_list_query({})["paged"] is False
    query = parse_list_query({"nr_page": "2", "per_page": "10", "sort": "-date,total"})
    assert (query["paged"], query["page"], query["per_page"]) == (True, 2, 10)
    assert query["order"] == "invoice_date desc, amount_total asc, id asc"
    assert parse_list_query({})["order"] == "id asc"  # Perfex lists by id
    assert parse_list_query({"page": "3"})["page"] == 3


@pytest.mark.parametrize(
    "args, field",
    [
        ({"per_page": "0"}, "per_page"),
        ({"per_page": "101"}, "per_page"),
        ({"per_page": "ten"}, "per_page"),
        ({"page": "0"}, "page"),
        ({"sort": "-password"}, "sort"),
        ({"date_from": "2026-12-01", "date_to": "2026-11-01"}, "date_to"),
        ({"clientid": "x"}, "clientid"),
    ],
)
def test_list_query_errors(args, field):
    with pytest.raises(ValidationFailed) as caught:
        parse_list_query(args)
    assert field in caught.value.errors


def test_page_meta():
    assert page_meta(2, 25, True, 60) == {
        "page": 2,
        "per_page": 25,
        "total": 60,
        "total_pages": 3,
        "has_more": True,
        "current_page": 2,  # Perfex v3's keys
        "last_page": 3,
    }
    # the seven keys Perfex v3 documents, always; an empty list has one page
    assert page_meta(1, 25, False, 0) == {
        "page": 1,
        "per_page": 25,
        "total": 0,
        "total_pages": 0,
        "has_more": False,
        "current_page": 1,
        "last_page": 1,
    }
    assert page_meta(4, 25, False, 100)["last_page"] == 4


def test_limit_is_per_page_only_with_a_page():
    query = parse_list_query({"page": "2", "limit": "10"})
    assert (query["paged"], query["page"], query["per_page"]) == (True, 2, 10)
    assert query["legacy_limit"] is None
    # per_page wins over limit
    assert (
        parse_list_query({"page": "1", "per_page": "5", "limit": "10"})["per_page"] == 5
    )
    # a bare limit keeps its legacy meaning: the unpaged list, capped
    bare = parse_list_query({"limit": "10"})
    assert (bare["paged"], bare["legacy_limit"]) == (False, 10)
    assert parse_list_query({})["legacy_limit"] is None
    with pytest.raises(ValidationFailed) as caught:
        parse_list_query({"page": "1", "limit": "101"})
    assert "limit" in caught.value.errors
    with pytest.raises(ValidationFailed) as caught:
        parse_list_query({"limit": "1001"})
    assert "limit" in caught.value.errors


def test_next_page_of_a_capped_legacy_list_keeps_filters_and_order():
    args = {"clientid": "7", "sort": "-date", "page": "", "per_page": ""}
    assert next_page_args(args, 1000) == {
        "clientid": "7",
        "sort": "-date",
        "page": 11,
        "per_page": 100,
    }
    assert next_page_args({}, 2) == {"page": 2, "per_page": 2}
    # a legacy limit: the page size that starts right after its rows
    assert next_page_args({"limit": "150", "count": "1"}, 150) == {
        "page": 3,
        "per_page": 75,
    }


@pytest.mark.parametrize(
    "body, field",
    [
        ({"clientnote": "a\x00b"}, "clientnote"),
        ({"date": "9999-12-31"}, "date"),
        ({"date": "0001-01-01"}, "date"),
        ({"duedate": "1899-12-31"}, "duedate"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_update_refuses_nul_far_dates_and_fields_it_cannot_change(body, field):
    with pytest.raises(ValidationFailed) as caught:
        normalize_invoice(body, update=True)
    assert field in caught.value.errors


def test_read_only_fields_come_back_to_be_compared_with_the_invoice():
    payload = normalize_invoice({"status": "2", "hash": "abc", "tags": "x"}, True)
    assert payload["read_only"] == {"status": "2", "hash": "abc"}
    assert "tags" not in payload  # a Perfex field without meaning in Odoo


def test_dates_within_the_sane_range_are_accepted():
    payload = normalize_invoice({"date": "1900-01-01", "duedate": "2999-12-31"}, True)
    assert payload["date"].year == 1900 and payload["duedate"].year == 2999


def test_json_depth_is_limited_without_recursion():
    assert parse_json(b'{"a": [[1]]}') == {"a": [[1]]}
    for raw in (b"[" * 9 + b"]" * 9, b"[" * 100_000 + b"]" * 100_000):
        with pytest.raises(ValidationFailed) as caught:
            parse_json(raw)
        assert "nested deeper" in caught.value.errors["body"]
    with pytest.raises(ValidationFailed):
        parse_json(b"{not json")


def test_form_key_depth_and_nul_are_refused():
    with pytest.raises(ValidationFailed):
        parse_form([("a" + "[b]" * 20, "1")])
    with pytest.raises(ValidationFailed):
        parse_form([("a\x00", "1")])
    assert parse_form([("newitems[0][taxname][]", "TVA|19")]) == {
        "newitems": {"0": {"taxname": ["TVA|19"]}}
    }


@pytest.mark.parametrize("status", ["²", "١", "\x00", "7", "paid; drop"])
def test_status_filter_refuses_what_is_not_a_code_or_a_name(status):
    with pytest.raises(ValidationFailed) as caught:
        parse_list_query({"status": status})
    assert "status" in caught.value.errors


def test_status_filter_maps_codes_and_names():
    assert parse_list_query({"status": "1"})["filters"]["status"] == ("unpaid", "sent")
    assert parse_list_query({"status": " Overdue "})["filters"]["status"] == (
        "overdue",
    )


def test_search_keyword():
    assert parse_search_keyword("  INV/2026/0001 ") == "INV/2026/0001"
    for bad in ("", "  ", "a\x00", "x" * 300):
        with pytest.raises(ValidationFailed):
            parse_search_keyword(bad)


@pytest.mark.parametrize(
    "keyword, expected",
    [
        ("INV/2026/00012", ("INV/2026/", 12)),
        ("12", (None, 12)),
        ("00012", (None, 12)),
        ("INV-000012", ("INV-", 12)),
        ("Carpați", (None, None)),
        ("", (None, None)),
    ],
)
def test_number_keyword(keyword, expected):
    assert parse_number_keyword(keyword) == expected


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True)
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)
field_names = st.sampled_from(
    [
        "clientid",
        "date",
        "duedate",
        "currency",
        "newitems",
        "items",
        "removed_items",
        "discount_percent",
        "discount_type",
        "total",
        "subtotal",
        "sent",
        "billing_country",
        "sale_agent",
        "cancel_overdue_reminders",
        "number",
        "clientnote",
    ]
)
unicode_digits = st.sampled_from(["³", "٣", "²", "१", "0", "12", "-1"])
item_maps = st.dictionaries(
    unicode_digits | st.text(max_size=4), json_values, max_size=4
)
bodies = st.dictionaries(
    field_names | st.text(max_size=10), json_values | item_maps, max_size=8
)


@settings(max_examples=400)
@given(bodies, st.booleans())
def test_random_json_bodies_only_ever_fail_validation(body, update):
    try:
        payload = normalize_invoice(body, update=update)
    except ValidationFailed as failure:
        assert failure.errors
        assert all(isinstance(msg, str) for msg in failure.errors.values())
    else:
        assert isinstance(payload, dict)


form_keys = st.from_regex(r"[a-z_]{1,10}(\[[a-z0-9_]{0,6}\]){0,3}", fullmatch=True)


@settings(max_examples=400)
@given(st.lists(st.tuples(form_keys, st.text(max_size=12)), max_size=12), st.booleans())
def test_random_form_bodies_only_ever_fail_validation(pairs, update):
    try:
        normalize_invoice(parse_form(pairs), update=update)
    except ValidationFailed as failure:
        assert failure.errors


@given(
    st.dictionaries(
        st.sampled_from(
            [
                "page",
                "nr_page",
                "per_page",
                "sort",
                "status",
                "clientid",
                "date_from",
                "date_to",
            ]
        ),
        st.text(max_size=12),
    )
)
def test_random_list_queries_only_ever_fail_validation(args):
    try:
        query = parse_list_query(args)
    except ValidationFailed as failure:
        assert failure.errors
    else:
        assert 1 <= query["per_page"] <= 100


NOW = 1_796_000_000


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({}, (NOW - 86400, 50)),
        ({"since": "1700000000"}, (1_700_000_000, 50)),
        ({"since": "0", "limit": "500"}, (0, 100)),
        ({"limit": "0"}, (NOW - 86400, 1)),
        ({"since": "253402300799", "limit": " 7 "}, (253_402_300_799, 7)),
    ],
)
def test_a_poll_reads_since_and_brings_limit_within_bounds(args, expected):
    assert parse_poll(args, NOW, 86400, 100) == expected


@pytest.mark.parametrize(
    ("args", "fields"),
    [
        ({"since": "null"}, {"since"}),
        ({"since": "-1"}, {"since"}),
        ({"since": "253402300800"}, {"since"}),
        ({"limit": "2.3341020336054908e-46"}, {"limit"}),
        ({"since": "soon", "limit": "many"}, {"since", "limit"}),
    ],
)
def test_a_poll_refuses_what_is_not_a_unix_time_or_a_number(args, fields):
    with pytest.raises(ValidationFailed) as refused:
        parse_poll(args, NOW, 86400, 100)
    assert set(refused.value.errors) == fields
