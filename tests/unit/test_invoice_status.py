from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from odoo.addons.crm_invoices.lib import invoice_status as s

TODAY = date(2026, 11, 24)


def status(**kw):
    values = {
        "state": "posted",
        "payment_state": "not_paid",
        "is_sent": False,
        "due_date": TODAY + timedelta(days=30),
        "today": TODAY,
        "amount_residual": 100.0,
    }
    values.update(kw)
    return s.invoice_status(**values)


@pytest.mark.parametrize(
    "kw, expected",
    [
        ({"state": "draft"}, s.DRAFT),
        ({"state": "cancel"}, s.CANCELLED),
        ({}, s.UNPAID),
        ({"is_sent": True}, s.SENT),
        ({"payment_state": "partial", "amount_residual": 40.0}, s.PARTIAL),
        ({"payment_state": "paid", "amount_residual": 0.0}, s.PAID),
        ({"payment_state": "in_payment", "amount_residual": 0.0}, s.PAID),
        # settled by credit notes alone: credited, not voided
        ({"payment_state": "reversed", "amount_residual": 0.0}, s.CREDITED),
        ({"due_date": TODAY - timedelta(days=1)}, s.OVERDUE),
    ],
)
def test_single_status(kw, expected):
    assert status(**kw) == expected


def test_due_today_is_not_overdue():
    assert status(due_date=TODAY) == s.UNPAID


def test_no_due_date_is_never_overdue():
    assert status(due_date=None) == s.UNPAID


def test_precedence_overdue_beats_partial_and_sent():
    past = TODAY - timedelta(days=3)
    assert status(due_date=past, payment_state="partial", is_sent=True) == s.OVERDUE


def test_precedence_partial_beats_sent():
    assert status(payment_state="partial", is_sent=True) == s.PARTIAL


def test_precedence_paid_beats_overdue():
    # Odoo can mark an invoice paid by a payment without journal entry while the
    # residual is still on the invoice: paid wins.
    past = TODAY - timedelta(days=3)
    assert status(due_date=past, payment_state="paid", amount_residual=10) == s.PAID


def test_cancelled_beats_everything():
    assert status(state="cancel", payment_state="paid", is_sent=True) == s.CANCELLED


def test_credit_note_is_never_overdue():
    past = TODAY - timedelta(days=60)
    assert status(due_date=past, is_refund=True) == s.CREDIT_OPEN


def test_credit_note_statuses_open_applied_refunded():
    assert status(is_refund=True, is_sent=True) == s.CREDIT_OPEN
    assert status(is_refund=True, payment_state="partial") == s.CREDIT_OPEN
    # set against its invoice (Odoo: reversed) or against another invoice
    assert status(is_refund=True, payment_state="reversed") == s.CREDIT_APPLIED
    assert status(is_refund=True, payment_state="paid", amount_residual=0) == (
        s.CREDIT_APPLIED
    )
    # money paid back to the customer
    for paid in ("paid", "in_payment"):
        assert status(is_refund=True, payment_state=paid, paid_out=True) == (
            s.CREDIT_REFUNDED
        )
    assert status(is_refund=True, state="draft") == s.DRAFT
    assert status(is_refund=True, state="cancel") == s.CANCELLED


def test_a_credit_note_never_has_an_invoice_status():
    for payment_state in ("not_paid", "partial", "paid", "in_payment", "reversed"):
        for paid_out in (False, True):
            result = status(
                is_refund=True, payment_state=payment_state, paid_out=paid_out
            )
            assert result in s.CREDIT_NOTE_STATUSES
            assert result not in s.OPEN_STATUSES


def test_draft_ignores_payment_and_due_date():
    past = TODAY - timedelta(days=60)
    assert status(state="draft", due_date=past, is_sent=True) == s.DRAFT


def test_perfex_codes():
    assert [s.perfex_code(x) for x, _label in s.INVOICE_SELECTION] == [
        6,
        1,
        1,
        3,
        4,
        2,
        2,  # credited: Perfex marks an invoice its credits settle "paid"
        5,
    ]
    assert {s.perfex_code(x) for x in s.CREDIT_NOTE_STATUSES} == {None}
    assert s.statuses_for_perfex_code(1) == (s.UNPAID, s.SENT)
    assert s.statuses_for_perfex_code(4) == (s.OVERDUE,)
    assert s.statuses_for_perfex_code(2) == (s.PAID, s.CREDITED)
    assert s.statuses_for_perfex_code(99) == ()
    assert s.perfex_code(False) is None


def test_days_overdue():
    assert s.days_overdue(s.OVERDUE, TODAY - timedelta(days=12), TODAY) == 12
    assert s.days_overdue(s.PAID, TODAY - timedelta(days=12), TODAY) == 0
    assert s.days_overdue(s.OVERDUE, None, TODAY) == 0


def test_selection_and_precedence_cover_the_same_statuses():
    assert {value for value, _label in s.SELECTION} == set(s.PRECEDENCE)
    assert set(s.PERFEX_CODES) == {value for value, _label in s.INVOICE_SELECTION}


invoices = st.fixed_dictionaries(
    {
        "state": st.sampled_from(["draft", "posted", "cancel"]),
        "payment_state": st.sampled_from(
            ["not_paid", "partial", "paid", "in_payment", "reversed", "blocked"]
        ),
        "is_sent": st.booleans(),
        "due_date": st.none() | st.dates(date(2020, 1, 1), date(2030, 12, 31)),
        "today": st.dates(date(2020, 1, 1), date(2030, 12, 31)),
        "amount_residual": st.floats(0, 1e9),
        "is_refund": st.booleans(),
        "paid_out": st.booleans(),
    }
)


@given(invoices)
def test_status_is_the_first_holding_one(values):
    holding = s.holding_statuses(**values)
    result = s.invoice_status(**values)
    assert result in holding
    assert all(s.PRECEDENCE.index(result) <= s.PRECEDENCE.index(x) for x in holding)


@given(invoices)
def test_overdue_only_when_money_is_late(values):
    if s.invoice_status(**values) == s.OVERDUE:
        assert values["state"] == "posted"
        assert values["amount_residual"] > 0
        assert values["due_date"] < values["today"]
        assert not values["is_refund"]
