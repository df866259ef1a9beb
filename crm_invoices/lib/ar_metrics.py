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

#: Where the aging puts an open credit note: apart from the invoices, whose
#: days past due it has none of (the company owes it; it is not "not due").
UNAPPLIED_CREDIT = ("credit_unapplied", "Unapplied credits")

#: Window of credit sales that DSO compares the receivables with.
DSO_WINDOW_DAYS = 90


def aging_selection():
    return [(key, label) for key, label, _first, _last in AGING_BUCKETS] + [
        UNAPPLIED_CREDIT
    ]


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


def aging_key(days_past_due, is_credit_note):
    """The aging of an open amount: an open credit note's is
    :data:`UNAPPLIED_CREDIT`, an invoice's its bucket of days past due."""
    return UNAPPLIED_CREDIT[0] if is_credit_note else aging_bucket(days_past_due)


def aging_sql_case(days_expression, credit_note_expression=None):
    """SQL ``CASE`` giving the aging key of ``days_expression`` (an SQL
    integer), or :data:`UNAPPLIED_CREDIT` where ``credit_note_expression``
    (an SQL boolean) holds -- :func:`aging_key` in SQL.

    The expressions are trusted SQL written by the caller (never user input);
    the bucket keys and bounds are constants of this module.
    """
    branches = []
    if credit_note_expression:
        branches.append(f"WHEN {credit_note_expression} THEN '{UNAPPLIED_CREDIT[0]}'")
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
