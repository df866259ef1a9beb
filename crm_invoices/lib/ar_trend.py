"""AR over time: the months of the trend and what is measured at each one's end.

The trend is computed from the books' history -- invoice dates, due dates and
the dates of the reconciliations -- never from snapshots, so it is right for
months before the addon was installed and after a payment is undone.  For a
month it measures, at the month's end (today for the current month):

- receivables: what was left of each posted invoice and credit note, netted as
  the receivables balance nets them (an invoice's total less the
  reconciliations of its receivable dated on or before the day);
- DSO: :func:`..ar_metrics.dso` of those receivables and the credit sales of
  the trailing :data:`..ar_metrics.DSO_WINDOW_DAYS` days (invoiced less
  credited), the same formula as the AR metrics of that day;
- the money overdue by aging bucket (:data:`..ar_metrics.AGING_BUCKETS`);
- of the invoices due in the month, the share paid in full by their due date;
- the money collected in the month, and how (by hand: :data:`BY_HAND`, or
  a channel an addon adds).
"""

from datetime import timedelta

from . import ar_metrics

#: Months the trend covers, the current one included.
MONTHS = 24

#: How money was collected when no addon's channel claims it: by hand (the
#: pay link and bank addons add their channels to the trend model).
BY_HAND = "manual"

#: The aging buckets of overdue money (not the "not due" one).
OVERDUE_BUCKETS = tuple(
    key for key, _label, first, _last in ar_metrics.AGING_BUCKETS if first
)


def month_start(day):
    return day.replace(day=1)


def month_end(day, today):
    """The day a month is measured on: its last day, or today in the current
    month (a month not over yet is measured as it stands)."""
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return min(following - timedelta(days=1), today)


def month_number(day):
    """A month as one integer (12 x year + month - 1): consecutive months are
    consecutive numbers."""
    return day.year * 12 + day.month - 1


def month_number_sql(day_sql):
    """:func:`month_number` in SQL, of the SQL date expression ``day_sql``
    (integer arithmetic: no time zone, unlike ``date_trunc`` on a date)."""
    return (
        f"(date_part('year', ({day_sql})::timestamp)::int * 12"
        f" + date_part('month', ({day_sql})::timestamp)::int - 1)"
    )


def months(today, count=MONTHS):
    """``[(first day, day measured)]`` of the ``count`` months up to today's,
    oldest first."""
    result = []
    first = month_start(today)
    for _index in range(count):
        result.append((first, month_end(first, today)))
        first = month_start(first - timedelta(days=1))
    return result[::-1]


def left_at(total, settlements, day):
    """What was left of an invoice (or credit note, negative) on ``day``:
    its signed total less the reconciliations of its receivable dated on or
    before ``day``.

    :param settlements: ``[(date, signed amount)]``: positive for what settled
        an invoice, negative for what settled a credit note.
    """
    return total - sum(amount for when, amount in settlements if when <= day)


def settled_on(residual, settlements):
    """The day an invoice was settled for good: the last reconciliation of a
    fully settled one, ``None`` while something is left."""
    if residual or not settlements:
        return None
    return max(when for when, _amount in settlements)


def paid_by_due_date(due, settled):
    """An invoice due in a month counts as paid on time when it was settled in
    full on or before its due date."""
    return settled is not None and settled <= due


def first_month(today, count=MONTHS):
    """The first day of the trend's oldest month."""
    return months(today, count)[0][0]
