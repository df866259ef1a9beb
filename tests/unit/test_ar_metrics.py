from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from odoo.addons.crm_invoices.lib import ar_metrics as m


@pytest.mark.parametrize(
    "days, bucket",
    [
        (-40, "0_not_due"),
        (0, "0_not_due"),
        (1, "1_30"),
        (30, "1_30"),
        (31, "31_60"),
        (60, "31_60"),
        (61, "61_90"),
        (90, "61_90"),
        (91, "90_plus"),
        (4000, "90_plus"),
    ],
)
def test_aging_bucket_boundaries(days, bucket):
    assert m.aging_bucket(days) == bucket


@given(st.integers(-(10**6), 10**6))
def test_every_day_count_has_exactly_one_bucket(days):
    matching = [
        key
        for key, _label, first, last in m.AGING_BUCKETS
        if (first is None or days >= first) and (last is None or days <= last)
    ]
    assert matching == [m.aging_bucket(days)]


def test_an_open_credit_note_is_aged_apart():
    assert m.aging_key(-10, is_credit_note=True) == "credit_unapplied"
    assert m.aging_key(45, is_credit_note=True) == "credit_unapplied"
    assert m.aging_key(45, is_credit_note=False) == "31_60"
    assert m.aging_sql_case("d", "refund").startswith(
        "CASE WHEN refund THEN 'credit_unapplied' WHEN d <= 0 THEN '0_not_due'"
    )


def test_aging_sql_case_mirrors_the_buckets():
    sql = m.aging_sql_case("d")
    assert sql == (
        "CASE WHEN d <= 0 THEN '0_not_due' WHEN d >= 1 AND d <= 30 THEN '1_30' "
        "WHEN d >= 31 AND d <= 60 THEN '31_60' WHEN d >= 61 AND d <= 90 THEN '61_90' "
        "WHEN d >= 91 THEN '90_plus' END"
    )
    assert [key for key, _l in m.aging_selection()] == [
        "0_not_due",
        "1_30",
        "31_60",
        "61_90",
        "90_plus",
        "credit_unapplied",
    ]


def test_dso_hand_computed():
    # 30,000 receivable against 90,000 of credit sales over 90 days = 30 days.
    assert m.dso(30000, 90000) == pytest.approx(30.0)
    assert m.dso(5000, 20000, window_days=30) == pytest.approx(7.5)


def test_dso_without_sales_is_undefined():
    assert m.dso(1000, 0) is None


def test_on_time_rate():
    assert m.on_time_rate(3, 4) == pytest.approx(75.0)
    assert m.on_time_rate(0, 0) is None


def test_paid_on_time():
    due = date(2026, 3, 1)
    assert m.paid_on_time(due, date(2026, 3, 1))
    assert m.paid_on_time(due, date(2026, 2, 1))
    assert not m.paid_on_time(due, date(2026, 3, 2))
    assert not m.paid_on_time(due, None)


def test_counts_for_on_time_rate():
    today = date(2026, 11, 24)
    assert m.counts_for_on_time_rate(date(2026, 11, 1), None, today)
    assert not m.counts_for_on_time_rate(date(2026, 12, 1), None, today)
    assert m.counts_for_on_time_rate(date(2026, 12, 1), date(2026, 11, 2), today)
    assert not m.counts_for_on_time_rate(None, None, today)
