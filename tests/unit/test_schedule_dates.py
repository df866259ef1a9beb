"""The dates of a recurring schedule, without a database."""

from datetime import date, timedelta

from odoo.addons.crm_invoices_recurring.lib import schedule_dates as sd


def test_a_step_per_unit():
    start = date(2027, 1, 31)
    assert start + sd.step("day", 10) == date(2027, 2, 10)
    assert start + sd.step("week", 2) == date(2027, 2, 14)
    assert start + sd.step("month", 1) == date(2027, 2, 28)
    assert start + sd.step("year", 1) == date(2028, 1, 31)


def test_a_new_schedule_starts_today_or_later_on_the_invoices_cycle():
    monthly = sd.step("month", 1)
    today = date(2027, 6, 12)
    # one period after a recent invoice
    assert sd.first_date(date(2027, 6, 1), monthly, today) == date(2027, 7, 1)
    # an old invoice: its cycle walked on to today or later, never backfilled
    assert sd.first_date(date(2025, 3, 12), monthly, today) == date(2027, 6, 12)
    assert sd.first_date(date(2025, 3, 13), monthly, today) == date(2027, 6, 13)
    assert sd.first_date(date(2027, 6, 12), sd.step("year", 1), today) == date(
        2028, 6, 12
    )


def test_the_last_period_of_a_number_of_invoices():
    assert sd.last_period_end(date(2027, 1, 1), "month", 1, 0) is None
    assert sd.last_period_end(date(2027, 1, 1), "month", 1, 12) == date(2027, 12, 31)
    assert sd.last_period_end(date(2027, 1, 1), "week", 2, 3) == date(2027, 2, 11)
    # a leap day on the way
    assert sd.last_period_end(date(2028, 2, 1), "month", 1, 1) == date(2028, 2, 29)


def test_periods_follow_one_another_as_contract_walks_them():
    dates = sd.dates_until(date(2027, 1, 31), sd.step("month", 1), date(2027, 4, 30))
    assert dates == [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 28)] + [
        date(2027, 4, 28)
    ]


def test_an_end_and_a_bound():
    end = date(2027, 1, 15)
    dates = sd.dates_until(
        date(2027, 1, 1), sd.step("week", 1), date(2027, 12, 31), end
    )
    assert dates == [date(2027, 1, 1), date(2027, 1, 8), date(2027, 1, 15)]
    many = sd.dates_until(date(2000, 1, 1), sd.step("day", 1), date(2100, 1, 1))
    assert len(many) == sd.MAX_STEPS


def test_the_forecast_counts_missed_periods_and_stops_at_the_end():
    today = date(2027, 3, 10)
    schedules = [
        # weekly, a period missed (the job invoices it today)
        (today - timedelta(days=7), sd.step("week", 1), None, 10.0),
        # monthly, ends after two more
        (
            today + timedelta(days=5),
            sd.step("month", 1),
            today + timedelta(days=40),
            100.0,
        ),
        # yearly, next year
        (date(2028, 3, 10), sd.step("year", 1), None, 1000.0),
    ]
    thirty, ninety = sd.forecast(schedules, today)
    # 30 days (to 8 April): -7, 0, 7, 14, 21, 28 (6 x 10) and 15 March (100)
    assert (thirty.days, thirty.invoices, thirty.amount) == (30, 7, 160.0)
    # 90 days: weekly up to day 84 (14 x 10), monthly 15 March and 15 April,
    # then ended (2 x 100)
    assert (ninety.days, ninety.invoices, ninety.amount) == (90, 16, 340.0)


def test_every_perfex_unit_has_a_contract_rule_and_back():
    for unit, rule in sd.CONTRACT_RULES.items():
        assert sd.UNITS_OF_RULES[rule] == (unit, 1)
