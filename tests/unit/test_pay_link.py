"""Pay link rules without a database: tokens, amounts, the QR code."""

import io
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
import zxingcpp
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from odoo.addons.crm_invoices_payment_link.lib import (
    pay_amount,
    pay_qr,
    pay_rules,
    pay_token,
)

SECRET = "database-secret"
NOW = datetime(2026, 12, 4, 12, 0)


# ---------------------------------------------------------------- tokens


def test_token_is_256_bits_urlsafe_and_reproducible():
    salt = pay_token.new_salt()
    token = pay_token.link_token(SECRET, salt)
    assert len(token) == pay_token.TOKEN_LENGTH
    assert pay_token.well_formed(token)
    assert pay_token.link_token(SECRET, salt) == token  # printed again, not stored
    assert pay_token.link_token("another secret", salt) != token  # rotating revokes


def test_salts_carry_at_least_128_random_bits():
    salts = {pay_token.new_salt() for _i in range(2000)}
    assert len(salts) == 2000
    assert all(len(salt) >= 22 for salt in salts)  # 16 bytes in base64url


def test_only_the_digest_is_stored_and_it_does_not_reveal_the_token():
    token = pay_token.link_token(SECRET, pay_token.new_salt())
    digest = pay_token.token_digest(token)
    assert len(digest) == 64 and token not in digest
    assert pay_token.token_digest(token) == digest


@pytest.mark.parametrize(
    "tampered",
    [
        "",
        None,
        "short",
        "x" * 42,
        "x" * 44,
        "A" * 42 + "=",
        "A" * 42 + "/",
        "A" * 42 + "+",
        " " + "A" * 42,
        "A" * 42 + "\x00",
        123,
    ],
)
def test_malformed_tokens_are_refused_before_any_lookup(tampered):
    assert not pay_token.well_formed(tampered)


def test_a_tampered_token_has_another_digest():
    token = pay_token.link_token(SECRET, pay_token.new_salt())
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert pay_token.well_formed(flipped)
    assert pay_token.token_digest(flipped) != pay_token.token_digest(token)
    assert not pay_token.same_token(token, flipped)
    assert pay_token.same_token(token, token)
    assert not pay_token.same_token(token, None)


# ---------------------------------------------------------------- amounts


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1234.5", "1234.5"),
        ("1.234,50", "1234.50"),
        ("1,234.50", "1234.50"),
        ("1 234,50", "1234.50"),
        ("1\u00a0234,50", "1234.50"),
        ("1\u202f234.50", "1234.50"),
        ("1'234.50", "1234.50"),
        ("  120,00 ", "120.00"),
        ("1,234", "1234"),
        ("1.234", "1234"),
        ("1.234.567,89", "1234567.89"),
        ("0,5", "0.5"),
        (",5", "0.5"),
        ("5.", "5"),
        ("150", "150"),
        (150, "150"),
        (12.5, "12.5"),
    ],
)
def test_amounts_as_people_type_them(typed, value):
    assert pay_amount.parse_amount(typed) == Decimal(value)


@pytest.mark.parametrize(
    "typed",
    [
        "",
        " ",
        "abc",
        "12a",
        "1.2345",
        "1,,",
        "--5",
        "-5",
        "1e3",
        "NaN",
        "inf",
        None,
        True,
        float("nan"),
        float("inf"),
        "５",
    ],
)
def test_what_is_not_an_amount(typed):
    assert pay_amount.parse_amount(typed) is None


def refused(code, *args, **kwargs):
    with pytest.raises(pay_amount.AmountRefused) as caught:
        pay_amount.amount_to_pay(*args, **kwargs)
    assert caught.value.code == code
    return caught.value


def test_the_whole_amount_unless_a_part_is_asked_for():
    assert pay_amount.amount_to_pay(None, 500.004, 2, False) == Decimal("500.00")
    assert pay_amount.amount_to_pay("", 500, 2, True) == Decimal("500.00")
    assert pay_amount.amount_to_pay("500,00", 500, 2, False) == Decimal("500.00")


def test_parts_only_when_allowed_and_within_bounds():
    assert pay_amount.amount_to_pay("120,00", 500, 2, True) == Decimal("120.00")
    assert pay_amount.amount_to_pay(Decimal("120.005"), 500, 2, True) == Decimal(
        "120.01"
    )
    assert pay_amount.amount_to_pay("120.005", 200000, 2, True) == Decimal("120005")
    assert pay_amount.amount_to_pay("50", 500, 2, True, 50) == Decimal("50.00")
    assert pay_amount.amount_to_pay("7", 500, 0, True) == Decimal("7")
    refused("partial_not_allowed", "120", 500, 2, False)
    refused("not_a_number", "abc", 500, 2, True)
    refused("not_positive", "0", 500, 2, True)
    refused("not_positive", Decimal("0.004"), 500, 2, True)  # rounds to nothing
    assert refused("above_due", "500.01", 500, 2, True).values["due"] == Decimal(
        "500.00"
    )
    assert refused("below_minimum", "10", 500, 2, True, 50).values[
        "minimum"
    ] == Decimal("50.00")


@given(
    due=st.decimals(min_value="0.01", max_value="1000000", places=2),
    asked=st.decimals(min_value="-1000", max_value="2000000", places=3),
    minimum=st.decimals(min_value="0", max_value="1000", places=2),
)
def test_never_more_than_due_never_zero_never_below_minimum(due, asked, minimum):
    try:
        amount = pay_amount.amount_to_pay(str(asked), due, 2, True, minimum)
    except pay_amount.AmountRefused:
        return
    assert 0 < amount <= due
    assert amount >= minimum or amount == due


# ---------------------------------------------------------------- QR code


def test_qr_code_decodes_to_the_link():
    link = "https://erp.example.com/pay/" + pay_token.link_token(
        SECRET, pay_token.new_salt()
    )
    png = pay_qr.qr_png(link)
    assert png.startswith(b"\x89PNG")
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))
    assert [result.text for result in decoded] == [link]
    assert pay_qr.qr_data_uri(link).startswith("data:image/png;base64,")


# ---------------------------------------------------------------- rules


def test_which_invoices_need_a_link():
    from odoo.addons.crm_invoices_payment_link.lib import pay_rules

    base = {
        "move_type": "out_invoice",
        "state": "posted",
        "amount_residual": 10.0,
        "payment_state": "not_paid",
    }
    assert pay_rules.needs_pay_link(base)
    assert pay_rules.needs_pay_link({**base, "payment_state": "partial"})
    for change in (
        {"move_type": "out_refund"},
        {"move_type": "in_invoice"},
        {"state": "draft"},
        {"state": "cancel"},
        {"amount_residual": 0.0},
        {"payment_state": "paid"},
        {"payment_state": "in_payment"},
        {"payment_state": "reversed"},
    ):
        assert not pay_rules.needs_pay_link({**base, **change}), change


def test_link_states_are_decided_in_order():
    from datetime import datetime

    from odoo.addons.crm_invoices_payment_link.lib import pay_rules

    now = datetime(2026, 11, 25, 12)
    past, future = datetime(2026, 11, 1), datetime(2026, 12, 1)

    def state(
        revoked=False,
        payment_state="not_paid",
        expiry=None,
        move_state="posted",
        residual=100.0,
    ):
        values = {
            "revoked": revoked,
            "move_id.payment_state": payment_state,
            "expiry_date": expiry,
            "move_id.state": move_state,
            "move_id.amount_residual": residual,
        }
        assert set(values) == set(pay_rules.LINK_STATE_FIELDS)
        return pay_rules.link_state(values, now)

    assert state() == "active"
    assert state(expiry=future) == "active"
    assert state(payment_state="partial", residual=40.0) == "active"
    assert state(expiry=now) == "expired"
    assert state(expiry=past) == "expired"
    assert state(payment_state="in_payment", expiry=past) == "paid"
    assert state(revoked=True, payment_state="paid", expiry=past) == "revoked"
    # reset to draft: closed, whatever its expiry; posted again: active again
    assert state(move_state="draft", expiry=past) == "closed"
    assert state(residual=0.0) == "closed"
    assert state(move_state="cancel", payment_state="not_paid") == "cancelled"
    assert state(payment_state="reversed", residual=0.0) == "cancelled"
    assert state(revoked=True, move_state="cancel") == "revoked"
    assert pay_rules.link_state_search_domain("nonsense", now) == [("id", "=", 0)]


def test_a_statement_token_is_not_an_invoice_token():
    salt = pay_token.new_salt()
    invoice = pay_token.link_token(SECRET, salt)
    statement = pay_token.link_token(SECRET, salt, "crm_statement_link")
    assert pay_token.well_formed(statement)
    assert statement != invoice
    assert pay_token.link_token(SECRET, salt, "crm_statement_link") == statement
    with pytest.raises(ValueError):
        pay_token.link_token(SECRET, salt, "anything else")


@pytest.mark.parametrize(
    ("revoked", "expiry", "due", "paid", "state"),
    [
        (False, None, 6, 0, "active"),
        (False, NOW + timedelta(days=1), 1, 5, "active"),
        (False, NOW, 2, 0, "expired"),
        (False, NOW - timedelta(days=1), 0, 6, "paid"),  # paid beats expired
        (False, None, 0, 0, "closed"),  # cancelled, reversed or back to draft
        (True, None, 6, 0, "revoked"),
        (True, None, 0, 6, "revoked"),
    ],
)
def test_statement_state(revoked, expiry, due, paid, state):
    assert pay_rules.statement_state(revoked, expiry, due, paid, NOW) == state
