"""Perfex's recurring fields, read as Perfex defines them."""

import pytest

from odoo.addons.crm_invoices.lib import perfex_recurrence as rec
from odoo.addons.crm_invoices.lib.api_errors import ValidationFailed
from odoo.addons.crm_invoices.lib.api_payload import (
    normalize_invoice,
    parse_recurrence,
)


def parse(**data):
    errors = {}
    return parse_recurrence(data, errors), errors


def test_nothing_sent_is_no_recurrence():
    assert parse() == (None, {})
    assert parse(recurring="", cycles="") == (None, {})


@pytest.mark.parametrize("months", range(1, 13))
def test_the_form_choices_are_months(months):
    assert parse(recurring=str(months), cycles="3") == (
        rec.Recurrence(months, "month", 3, custom=False),
        {},
    )


def test_custom_is_a_count_of_units():
    assert parse(recurring="custom", repeat_every_custom="7", repeat_type_custom="day")[
        0
    ] == rec.Recurrence(7, "day", 0, custom=True)
    # as Perfex stores it, and answers it
    assert parse(recurring=2, recurring_type="week", custom_recurring="1")[
        0
    ] == rec.Recurrence(2, "week", 0, custom=True)


def test_zero_stops_repeating():
    recurrence, errors = parse(recurring="0", cycles="0")
    assert recurrence.stops and not errors


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"recurring": "13"}, "recurring"),
        ({"recurring": "monthly"}, "recurring"),
        ({"recurring": "-1"}, "recurring"),
        ({"recurring": True}, "recurring"),
        ({"recurring": "1" * 5000}, "recurring"),
        ({"recurring": "١"}, "recurring"),
        ({"recurring": "custom", "repeat_type_custom": "day"}, "repeat_every_custom"),
        ({"recurring": "custom", "repeat_every_custom": "2"}, "repeat_type_custom"),
        (
            {
                "recurring": "custom",
                "repeat_every_custom": "2",
                "repeat_type_custom": "x",
            },
            "repeat_type_custom",
        ),
        ({"recurring": "1", "cycles": "-2"}, "cycles"),
        ({"recurring": "1", "cycles": "100000"}, "cycles"),
        ({"cycles": "3"}, "recurring"),
    ],
)
def test_a_wrong_value_names_its_field(data, key):
    recurrence, errors = parse(**data)
    assert recurrence is None
    assert key in errors


def test_the_answer_is_perfex_shaped():
    assert rec.answer(None) == {
        "recurring": "0",
        "recurring_type": None,
        "custom_recurring": "0",
        "cycles": "0",
        "total_cycles": "0",
        "is_recurring_from": None,
        "last_recurring_date": None,
    }
    from datetime import date

    answer = rec.answer(rec.Recurrence(7, "day", 4, True), 2, date(2027, 1, 8), 31)
    assert answer["recurring"] == "7"
    assert answer["recurring_type"] == "day"
    assert answer["custom_recurring"] == "1"
    assert answer["cycles"] == "4"
    assert answer["total_cycles"] == "2"
    assert answer["last_recurring_date"] == "2027-01-08"
    assert answer["is_recurring_from"] == "31"
    # an answer read back is the same recurrence
    assert parse(**answer)[0] == rec.Recurrence(7, "day", 4, True)
    monthly = rec.answer(rec.Recurrence(3, "month", 0))
    assert monthly["recurring_type"] is None
    assert parse(**monthly)[0] == rec.Recurrence(3, "month", 0)


def test_the_payload_carries_it():
    payload = normalize_invoice(
        {
            "clientid": 1,
            "date": "2027-01-08",
            "newitems": [{"description": "x", "qty": 1, "rate": 1}],
            "recurring": "custom",
            "repeat_every_custom": "2",
            "repeat_type_custom": "week",
            "cycles": "6",
        }
    )
    assert payload["recurrence"] == rec.Recurrence(2, "week", 6, True)
    with pytest.raises(ValidationFailed) as refused:
        normalize_invoice({"recurring": "custom"}, update=True)
    assert set(refused.value.errors) == {"repeat_every_custom", "repeat_type_custom"}
    assert "recurrence" not in normalize_invoice({"adminnote": "x"}, update=True)
