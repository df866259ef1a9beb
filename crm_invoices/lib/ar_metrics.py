"""Accounts-receivable metrics: aging buckets, DSO and the on-time payment rate.

The formulas live here once; the SQL report builds its ``CASE`` expression from
:data:`AGING_BUCKETS` so that Python and SQL can never disagree on a boundary.
"""

#: (key, label, first day, last day) — ``None`` means unbounded.
AGING_BUCKETS = (
    ("0_not_due", "Not due", None, 0),
    ("1_30", "1-30 days", 1, 30),
    ("31_60", "31-60 days", 31, 60),
    ("61_90", "61-90 days", 61, 90),
    ("90_plus", "> 90 days", 91, None),
)

#: Window of credit sales that DSO compares the receivables with.
DSO_WINDOW_DAYS = 90


def aging_selection():
    return [(key, label) for key, label, _first, _last in AGING_BUCKETS]


def aging_bucket(days_past_due):
    """Bucket key for an open amount ``days_past_due`` days after its due date.

    Zero or negative days (due today or later) is "not due".
    """
    for key, _label, first, last in AGING_BUCKETS:
        if (first is None or days_past_due >= first) and (
            last is None or days_past_due <= last
        ):
            return key
    raise AssertionError("aging buckets must cover every integer")  # pragma: no cover


def aging_sql_case(days_expression):
    """SQL ``CASE`` giving the bucket key of ``days_expression`` (an SQL integer).

    ``days_expression`` is trusted SQL written by the caller (never user input);
    the bucket keys and bounds are constants of this module.
    """
    branches = []
    for key, _label, first, last in AGING_BUCKETS:
        conditions = []
        if first is not None:
            conditions.append(f"{days_expression} >= {int(first)}")
        if last is not None:
            conditions.append(f"{days_expression} <= {int(last)}")
        branches.append(f"WHEN {' AND '.join(conditions)} THEN '{key}'")
    return "CASE " + " ".join(branches) + " END"


def dso(receivables, credit_sales, window_days=DSO_WINDOW_DAYS):
    """Days sales outstanding: receivables ÷ credit sales of the window × window.

    ``None`` when there were no credit sales in the window (DSO is undefined).
    """
    if not credit_sales:
        return None
    return receivables / credit_sales * window_days


def on_time_rate(paid_on_time, due_count):
    """Percentage of the invoices due in a period that were paid on time."""
    if not due_count:
        return None
    return 100.0 * paid_on_time / due_count


def paid_on_time(due_date, paid_date):
    """Paid in full on or before the due date."""
    return paid_date is not None and due_date is not None and paid_date <= due_date


def counts_for_on_time_rate(due_date, paid_date, today):
    """Whether an invoice counts in the on-time rate's denominator.

    An invoice counts once its due date has passed, or once it is paid in full
    (an invoice paid ahead of its due date is already paid on time).
    """
    if due_date is None:
        return False
    return due_date < today or paid_date is not None
