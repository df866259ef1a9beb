import pytest
from hypothesis import given
from hypothesis import strategies as st

from odoo.addons.crm_invoices.lib.api_token import (
    PREFIX,
    extract_token,
    fixed_window,
    generate_token,
    retry_after,
    same_digest,
    token_digest,
    token_hint,
    window_restarts,
    window_restarts_sql,
)


def test_tokens_are_long_random_and_prefixed():
    first, second = generate_token(), generate_token()
    assert first != second
    assert first.startswith(PREFIX)
    assert len(first) - len(PREFIX) >= 43  # 32 bytes in base64


def test_digest_depends_on_token_and_secret():
    token = generate_token()
    digest = token_digest(token, "secret-a")
    assert len(digest) == 64 and token not in digest
    assert digest == token_digest(token, "secret-a")
    assert digest != token_digest(token, "secret-b")
    assert same_digest(digest, token_digest(token, "secret-a"))
    assert not same_digest(digest, None)


def test_hint_hides_the_secret_part():
    token = generate_token()
    assert token_hint(token) == token[:9] + "…"


def headers(**values):
    lowered = {key.lower(): value for key, value in values.items()}
    return lambda name: lowered.get(name.lower())


def test_extract_token():
    assert extract_token(headers(authtoken=" abc ")) == "abc"
    assert extract_token(headers(Authorization="Bearer xyz")) == "xyz"
    assert extract_token(headers(Authorization="bearer  xyz ")) == "xyz"
    assert extract_token(headers(Authorization="Basic dXNlcg==")) is None
    assert extract_token(headers()) is None
    assert extract_token(headers(authtoken="a", Authorization="Bearer b")) == "a"


def test_fixed_window():
    start, count, allowed, retry = fixed_window(100.0, None, 0, limit=2)
    assert (start, count, allowed, retry) == (100.0, 1, True, 0)
    start, count, allowed, _retry = fixed_window(110.0, start, count, limit=2)
    assert (count, allowed) == (2, True)
    start, count, allowed, retry = fixed_window(130.5, start, count, limit=2)
    assert (count, allowed, retry) == (3, False, 30)
    assert fixed_window(160.0, start, count, limit=2)[1:3] == (1, True)


def test_no_limit():
    assert fixed_window(1.0, 0.5, 10**6, limit=0)[2] is True


@given(st.lists(st.floats(0, 1000), min_size=1, max_size=60), st.integers(1, 10))
def test_never_more_than_the_limit_in_a_window(offsets, limit):
    start, count = None, 0
    allowed_times = []
    for now in sorted(offsets):
        start, count, allowed, retry = fixed_window(now, start, count, limit)
        if allowed:
            allowed_times.append((start, now))
        else:
            assert retry >= 1
    by_window = {}
    for window_start, _now in allowed_times:
        by_window[window_start] = by_window.get(window_start, 0) + 1
    assert all(count <= limit for count in by_window.values())


@given(
    now=st.floats(0, 1e9, allow_nan=False),
    offset=st.one_of(st.none(), st.floats(-120, 120, allow_nan=False)),
)
def test_window_rule_and_fixed_window_agree(now, offset):
    start = None if offset is None else now - offset
    new_start, count, _allowed, _wait = fixed_window(now, start, 5, 10)
    if window_restarts(now, start):
        assert (new_start, count) == (now, 1)
    else:
        assert (new_start, count) == (start, 6)


def test_window_rule_in_sql_names_only_a_column():
    text = window_restarts_sql("rate_window_start")
    assert text.count("%(now)s") == 2 and "rate_window_start" in text
    with pytest.raises(ValueError):
        window_restarts_sql("x; DROP TABLE y")


def test_retry_after():
    assert retry_after(100.0, 90.0, 3, 3) == 0
    assert retry_after(100.0, 90.0, 4, 3) == 50
    assert retry_after(100.0, 90.0, 400, 0) == 0


def test_requests_reaching_the_counter_out_of_clock_order_stay_in_the_window():
    """Parallel requests read the clock, then wait on the counter's row: a
    request slightly "earlier" than the window start must not reopen it."""
    start, count, _allowed, _wait = fixed_window(100.0, None, 0, limit=10)
    start, count, _allowed, _wait = fixed_window(99.98, start, count, limit=10)
    assert (start, count) == (100.0, 2)
    # a clock set back by more than a window opens a new one
    assert fixed_window(30.0, start, count, limit=10)[:2] == (30.0, 1)


def test_token_companies_its_own_first_and_only_its_users():
    from odoo.addons.crm_invoices.lib.api_token import token_companies

    assert token_companies(2, [3, 4], [1, 2, 3]) == [2, 3]
    assert token_companies(2, [], [2]) == [2]
    assert token_companies(2, [3], [1, 3]) == []  # the user left the token's company
