"""Interest on late payment between businesses, as Romanian law sets it.

Law 72/2013 (transposing Directive 2011/7/EU), art. 3: unless the contract
says otherwise, a professional owes the legal penalty interest -- the National
Bank of Romania's reference rate plus 8 percentage points a year -- for each
day of delay, from the day after the due date until the day of payment.  The
reference rate is the one in force on the first day of each half-year (1
January, 1 July), applied for those six months.  Art. 13: the creditor is also
owed, once per invoice, a fixed compensation for its recovery costs: the lei
equivalent of 40 euro.

Decisions where the law is silent, made here once:

- a day's interest is the annual rate over the days of *that* calendar year
  (365, or 366 in a leap year): a full year late costs exactly the annual
  rate, in every year;
- the amount that bears interest on a day is what was left to pay at the
  start of that day: a payment (or a credit note) dated D still counts on D,
  and no more from D + 1 on;
- the interest is summed exactly and rounded once, to the cent, at the end.

No database: the invoice's amount, due date and settlements and the table of
reference rates come in as plain values.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

#: Percentage points over the reference rate (Law 72/2013, art. 3 (2)).
PENALTY_POINTS = Decimal(8)
#: The fixed compensation for recovery costs, in euro (art. 13).
COMPENSATION_EUR = Decimal(40)
CENT = Decimal("0.01")


class MissingRate(LookupError):
    """No reference rate is known for a half-year the delay runs through."""

    def __init__(self, year, half):
        super().__init__(f"no reference rate for half {half} of {year}")
        self.year = year
        self.half = half


@dataclass(frozen=True)
class Period:
    """Days of delay with one balance, one rate and one year length."""

    start: date  # first day of delay in the period
    end: date  # last day (inclusive)
    balance: Decimal
    rate: Decimal  # the annual penalty rate, percent (reference + points)
    interest: Decimal  # exact, not rounded

    @property
    def days(self):
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class Interest:
    periods: tuple
    total: Decimal  # rounded to the cent

    @property
    def days(self):
        return sum(period.days for period in self.periods)


def half_of(day):
    """``(year, 1 or 2)``: the half-year ``day`` falls in."""
    return day.year, 1 if day.month <= 6 else 2


def _half_start(year, half):
    return date(year, 1 if half == 1 else 7, 1)


def _next_boundary(day):
    """The first day after ``day`` that starts a half-year (a new rate, and
    on 1 January a new year length)."""
    year, half = half_of(day)
    return _half_start(year, 2) if half == 1 else _half_start(year + 1, 1)


#: How many days before a half-year begins its rate is asked for.
ASK_AHEAD_DAYS = 15


def rates_needed(reference_rates, today, ahead=ASK_AHEAD_DAYS):
    """The half-years whose reference rate the table lacks and interest
    needs by now: today's, and the next one from ``ahead`` days before it
    begins (BNR's rate in force on 1 January or 1 July is known by then).

    :return: ``[(year, half)]`` in order
    """
    needed = [half_of(today)]
    upcoming = half_of(today + timedelta(days=ahead))
    if upcoming not in needed:
        needed.append(upcoming)
    return [key for key in needed if key not in reference_rates]


def _year_days(year):
    return (date(year + 1, 1, 1) - date(year, 1, 1)).days


def penalty_rate(reference_rates, day, points=PENALTY_POINTS):
    """The annual penalty rate (percent) on ``day``: the reference rate of
    its half-year plus ``points``.

    :param reference_rates: ``{(year, half): reference rate, percent}``
    :raises MissingRate: when the half-year has none
    """
    key = half_of(day)
    if key not in reference_rates:
        raise MissingRate(*key)
    return Decimal(str(reference_rates[key])) + points


def late_interest(
    amount, due, settlements, until, reference_rates, points=PENALTY_POINTS
):
    """The interest owed on an invoice paid late (or not yet paid).

    :param amount: what the invoice asked for (in its currency).
    :param due: its due date; interest runs from the day after.
    :param settlements: ``[(date, amount)]``: payments and credit notes set
        against the invoice, whatever their order.
    :param until: the last day counted (the day of the last payment, or
        today for an invoice still open); nothing is owed before ``due + 1``.
    :param reference_rates: ``{(year, half): reference rate, percent}``.
    :param points: percentage points over the reference rate.
    :raises MissingRate: when the delay runs through a half-year the table
        lacks.
    """
    amount = Decimal(str(amount))
    paid = sorted((day, Decimal(str(value))) for day, value in settlements if value)
    first = due + timedelta(days=1)
    # what was left at the start of the first day of delay
    balance = amount - sum((value for day, value in paid if day < first), Decimal(0))
    changes = [(day, value) for day, value in paid if day >= first]
    periods = []
    day = first
    while day <= until and balance > 0:
        rate = penalty_rate(reference_rates, day, points)
        # the period ends before the next change of balance, rate or year
        ends = [_next_boundary(day), until + timedelta(days=1)]
        ends += [
            change + timedelta(days=1) for change, _value in changes if change >= day
        ]
        stop = min(ends)
        days = (stop - day).days
        interest = balance * rate / 100 * days / _year_days(day.year)
        periods.append(Period(day, stop - timedelta(days=1), balance, rate, interest))
        balance -= sum(
            (value for change, value in changes if day <= change < stop), Decimal(0)
        )
        day = stop
    total = sum((period.interest for period in periods), Decimal(0))
    return Interest(tuple(periods), total.quantize(CENT, rounding=ROUND_HALF_UP))


def compensation(eur_to_currency):
    """The fixed compensation for recovery costs in the invoice's currency,
    from the euro rate of the day it became due (rounded to the cent)."""
    value = COMPENSATION_EUR * Decimal(str(eur_to_currency))
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def period_end(today):
    """The last day of the last whole calendar month before ``today``:
    interest is invoiced per month, once the month is over."""
    return today.replace(day=1) - timedelta(days=1)


def interest_between(owed, start, end, due):
    """The interest of the days ``start``..``end`` (inclusive), from
    ``owed(until)``: the total owed up to a day (:func:`late_interest`'s
    rounded total).  The difference of two rounded totals: the amounts of
    consecutive windows add up to the total of their union, to the cent,
    however the days are cut (nothing lost or charged twice by rounding).
    Never negative: a payment dated back lowers what is owed, it does not
    make a credit."""
    if end < start or end <= due:
        return Decimal(0)
    before = start - timedelta(days=1)
    owed_before = owed(before) if before > due else Decimal(0)
    return max(owed(end) - owed_before, Decimal(0))
