"""Late-payment interest (Law 72/2013) against cases computed by hand."""

from datetime import date
from decimal import Decimal

import pytest

from odoo.addons.crm_invoices.lib.late_interest import (
    MissingRate,
    compensation,
    half_of,
    interest_between,
    late_interest,
    penalty_rate,
    period_end,
)

#: BNR's reference rate on the first day of each half-year (percent).
RATES = {
    (2022, 2): "3.75",
    (2023, 1): "6.75",
    (2023, 2): "7.00",
    (2024, 1): "7.00",
    (2024, 2): "7.00",
    (2025, 1): "6.50",
    (2025, 2): "6.50",
}


def test_the_penalty_rate_is_the_half_years_reference_rate_plus_8_points():
    assert penalty_rate(RATES, date(2025, 6, 30)) == Decimal("14.50")
    assert penalty_rate(RATES, date(2022, 12, 31)) == Decimal("11.75")
    assert half_of(date(2024, 7, 1)) == (2024, 2)


def test_an_unpaid_invoice_a_month_late():
    # 10,000 due 31 March 2025, 1-30 April: 30 days at 6.50 + 8 = 14.50 %
    # 10,000 x 14.50 % x 30 / 365 = 119.178...
    result = late_interest(10_000, date(2025, 3, 31), [], date(2025, 4, 30), RATES)
    assert result.days == 30
    assert result.total == Decimal("119.18")


def test_a_rate_change_in_the_middle_of_the_delay():
    # due 21 December 2022, paid 10 January 2023:
    # 22-31 Dec: 10 days at 3.75 + 8 = 11.75 %: 10,000 x 11.75 % x 10 / 365 = 32.1918
    # 1-10 Jan: 10 days at 6.75 + 8 = 14.75 %: 10,000 x 14.75 % x 10 / 365 = 40.4110
    result = late_interest(
        10_000,
        date(2022, 12, 21),
        [(date(2023, 1, 10), 10_000)],
        date(2023, 1, 31),
        RATES,
    )
    assert [(p.start, p.days, p.rate) for p in result.periods] == [
        (date(2022, 12, 22), 10, Decimal("11.75")),
        (date(2023, 1, 1), 10, Decimal("14.75")),
    ]
    assert result.total == Decimal("72.60")


def test_a_partial_payment_lowers_what_bears_interest_from_the_next_day():
    # due 31 March 2025; 4,000 paid on 10 April, 6,000 on 30 April
    # 1-10 Apr: 10,000 x 14.50 % x 10 / 365 = 39.7260
    # 11-30 Apr: 6,000 x 14.50 % x 20 / 365 = 47.6712
    settlements = [(date(2025, 4, 30), 6_000), (date(2025, 4, 10), 4_000)]
    result = late_interest(
        10_000, date(2025, 3, 31), settlements, date(2025, 12, 31), RATES
    )
    assert [(p.balance, p.days) for p in result.periods] == [
        (Decimal(10_000), 10),
        (Decimal(6_000), 20),
    ]
    assert result.total == Decimal("87.40")


def test_a_credit_note_counts_like_a_payment_and_one_before_the_delay_too():
    # 2,000 credited on the due date: 8,000 bears interest from 1 April
    # 8,000 x 14.50 % x 30 / 365 = 95.3425
    result = late_interest(
        10_000,
        date(2025, 3, 31),
        [(date(2025, 3, 31), 2_000)],
        date(2025, 4, 30),
        RATES,
    )
    assert result.total == Decimal("95.34")


def test_a_leap_year_has_366_days_of_interest():
    # due 27 February 2024, paid 2 March: 28 and 29 February, 1 and 2 March
    # 10,000 x 15 % x 4 / 366 = 16.3934 (over 365 it would be 16.44)
    result = late_interest(
        10_000,
        date(2024, 2, 27),
        [(date(2024, 3, 2), 10_000)],
        date(2024, 3, 31),
        RATES,
    )
    assert result.days == 4
    assert result.total == Decimal("16.39")


def test_a_delay_across_new_year_counts_each_year_by_its_length():
    # due 30 December 2024, paid 2 January 2025
    # 31 Dec 2024: 10,000 x 15 % x 1 / 366 = 4.0984
    # 1-2 Jan 2025: 10,000 x 14.50 % x 2 / 365 = 7.9452
    result = late_interest(
        10_000,
        date(2024, 12, 30),
        [(date(2025, 1, 2), 10_000)],
        date(2025, 1, 31),
        RATES,
    )
    assert result.total == Decimal("12.04")


def test_a_whole_leap_year_late_costs_exactly_the_annual_rate():
    result = late_interest(10_000, date(2023, 12, 31), [], date(2024, 12, 31), RATES)
    assert result.days == 366
    assert result.total == Decimal("1500.00")


def test_nothing_is_owed_when_paid_on_time_or_before_the_delay_starts():
    paid_on_time = late_interest(
        10_000,
        date(2025, 3, 31),
        [(date(2025, 3, 31), 10_000)],
        date(2025, 5, 1),
        RATES,
    )
    assert paid_on_time.total == Decimal("0.00")
    assert paid_on_time.periods == ()
    not_yet_due = late_interest(10_000, date(2025, 3, 31), [], date(2025, 3, 31), RATES)
    assert not_yet_due.total == Decimal("0.00")


def test_a_half_year_without_a_rate_is_said_not_guessed():
    with pytest.raises(MissingRate) as missing:
        late_interest(10_000, date(2025, 12, 20), [], date(2026, 1, 10), RATES)
    assert (missing.value.year, missing.value.half) == (2026, 1)


def test_the_fixed_compensation_is_40_euro_in_the_invoices_currency():
    assert compensation("4.9771") == Decimal("199.08")
    assert compensation(1) == Decimal("40.00")


def test_the_invoicing_period_is_the_last_whole_month():
    assert period_end(date(2026, 12, 4)) == date(2026, 11, 30)
    assert period_end(date(2026, 12, 1)) == date(2026, 11, 30)
    assert period_end(date(2028, 3, 1)) == date(2028, 2, 29)
    assert period_end(date(2027, 1, 15)) == date(2026, 12, 31)


def test_monthly_windows_add_up_to_the_whole_delay_to_the_cent():
    rates = {(2026, 1): Decimal("6.50"), (2026, 2): Decimal("6.50")}
    due = date(2026, 1, 10)
    settlements = [(date(2026, 3, 7), Decimal("333.33"))]

    def owed(until):
        return late_interest(Decimal("1000.01"), due, settlements, until, rates).total

    months = [
        (date(2026, 1, 1), date(2026, 1, 31)),
        (date(2026, 2, 1), date(2026, 2, 28)),
        (date(2026, 3, 1), date(2026, 3, 31)),
        (date(2026, 4, 1), date(2026, 4, 30)),
    ]
    parts = [interest_between(owed, *month, due) for month in months]
    assert sum(parts) == owed(date(2026, 4, 30))
    assert all(part > 0 for part in parts)
    # January: the 21 days from 11 January on 1000.01 at 14.50 %
    assert parts[0] == (
        Decimal("1000.01") * Decimal("14.50") / 100 * 21 / 365
    ).quantize(Decimal("0.01"))
    # nothing before the due date, nothing negative
    assert interest_between(owed, date(2025, 12, 1), due, due) == 0
