"""The dates of a schedule: when its invoices come, when it ends, what it
will invoice in the next days.

A schedule repeats every ``interval`` ``unit`` s (``day``, ``week``,
``month``, ``year``: Perfex's units), from its next date.  OCA's ``contract``
keeps the schedule (its ``recurring_rule_type`` and ``recurring_interval``):
:data:`CONTRACT_RULES` maps the units onto its rule types, and the steps here
are the ones it takes (a test holds them to ``contract``'s own
``get_relative_delta``, which the models use for ``contract``'s other rule
types).
"""

from dataclasses import dataclass
from datetime import timedelta

from dateutil.relativedelta import relativedelta

#: Perfex's unit → ``contract``'s ``recurring_rule_type``.
CONTRACT_RULES = {
    "day": "daily",
    "week": "weekly",
    "month": "monthly",
    "year": "yearly",
}
#: ``contract``'s rule types, as Perfex's units and a multiple of them (a
#: schedule made in ``contract``'s own form, as the API answers it).
UNITS_OF_RULES = {
    "daily": ("day", 1),
    "weekly": ("week", 1),
    "monthly": ("month", 1),
    "monthlylastday": ("month", 1),
    "quarterly": ("month", 3),
    "semesterly": ("month", 6),
    "yearly": ("year", 1),
}
#: Most periods a catch-up or a forecast walks (a daily schedule for a
#: year and more): a bound, never reached by a real schedule.
MAX_STEPS = 1000


def step(unit, interval):
    """The time between two invoices."""
    if unit == "day":
        return relativedelta(days=interval)
    if unit == "week":
        return relativedelta(weeks=interval)
    if unit == "month":
        return relativedelta(months=interval)
    if unit == "year":
        return relativedelta(years=interval)
    raise ValueError(f"unknown unit {unit!r}")


def first_date(invoice_date, delta, today):
    """The first invoice of a schedule made today from an invoice of
    ``invoice_date``: one period after it, walked on by whole periods to
    today or later (a new schedule never invoices the months before it
    existed; only periods it missed later are caught up)."""
    current = invoice_date + delta
    for _step in range(MAX_STEPS):
        if current >= today:
            return current
        current = current + delta
    return today


def last_period_end(start, unit, interval, cycles):
    """The last day of a schedule that makes ``cycles`` invoices from
    ``start`` (``None``: without end)."""
    if not cycles:
        return None
    return start + step(unit, interval * cycles) - timedelta(days=1)


def dates_until(next_date, delta, until, end=None):
    """The dates of the invoices a schedule makes from ``next_date`` up to
    ``until`` (and its ``end``), at most :data:`MAX_STEPS`.  Each period
    starts where the one before it ends, as ``contract`` walks them (a
    monthly schedule from 31 January: 28 February, then 28 March)."""
    dates = []
    current = next_date
    while current and current <= until and (end is None or current <= end):
        dates.append(current)
        if len(dates) >= MAX_STEPS:
            break
        current = current + delta
    return dates


@dataclass(frozen=True)
class Forecast:
    """What schedules will invoice within ``days`` from a day."""

    days: int
    amount: float
    invoices: int


def forecast(schedules, today, horizons=(30, 90)):
    """What the schedules will invoice in the next ``horizons`` days
    (today included).

    :param schedules: ``(next_date, delta, end, amount)`` each: the amount of
        one invoice, in one currency.  A next date already past counts every
        period it missed (the job invoices each of them once, today).
    :return: a :class:`Forecast` per horizon.
    """
    results = []
    for days in horizons:
        until = today + timedelta(days=days - 1)
        amount, invoices = 0.0, 0
        for next_date, delta, end, each in schedules:
            count = len(dates_until(next_date, delta, until, end))
            amount += count * each
            invoices += count
        results.append(Forecast(days, amount, invoices))
    return results
