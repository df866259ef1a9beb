"""The legal deadline of an e-Factura: five working days.

An invoice issued to a Romanian buyer is reported to the SPV within five
working days from its issue date (OUG 120/2021, art. 10); Saturdays,
Sundays and Romania's public holidays (the ``holidays`` package: Orthodox
Easter and Pentecost included) are not working days.
"""

from datetime import timedelta
from functools import lru_cache

import holidays

from .efactura_states import REPORTED as REPORTED_STATES
from .efactura_states import SHOWN_AS_IS, STATES

WORKING_DAYS = 5
#: Days before the deadline from which an invoice is "soon" due.
SOON_DAYS = 2


@lru_cache(maxsize=32)
def _public_holidays(year):
    return frozenset(holidays.country_holidays("RO", years=year))


def is_working_day(day):
    return day.weekday() < 5 and day not in _public_holidays(day.year)


def deadline(issue_date, working_days=WORKING_DAYS):
    """The last day to report an invoice issued on ``issue_date``."""
    if not issue_date:
        return None
    day = issue_date
    left = working_days
    while left:
        day += timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


def urgency(deadline_date, today, state):
    """``"late"``, ``"today"``, ``"soon"`` (within two days) or ``"ok"``
    for an invoice whose deadline is ``deadline_date`` and whose e-Factura
    state is ``state``; ``None`` once it is reported (sent or accepted) or
    when it has no deadline.  :func:`urgency_domain` is the same rule."""
    if state in REPORTED_STATES or not deadline_date:
        return None
    if deadline_date < today:
        return "late"
    if deadline_date == today:
        return "today"
    if (deadline_date - today).days <= SOON_DAYS:
        return "soon"
    return "ok"


def urgency_domain(level, today):
    """The ORM domain of the invoices whose :func:`urgency` is ``level``
    (the same rule, for searches, filters and the daily digest)."""
    pending = [
        ("crm_efactura_deadline", "!=", False),
        ("crm_efactura_state", "not in", REPORTED_STATES),
    ]
    soon = today + timedelta(days=SOON_DAYS)
    bounds = {
        "late": [("crm_efactura_deadline", "<", today)],
        "today": [("crm_efactura_deadline", "=", today)],
        "soon": [
            ("crm_efactura_deadline", ">", today),
            ("crm_efactura_deadline", "<=", soon),
        ],
        "ok": [("crm_efactura_deadline", ">", soon)],
    }
    if level not in bounds:
        return [("id", "=", 0)]
    return pending + bounds[level]


#: What the invoices list shows of an invoice's e-Factura, in one badge.
DISPLAY = (
    ("late", "Late"),
    ("today", "Due today"),
    ("not_sent", "Not sent"),
    *STATES,
)


def display(state, urgency_level, posted):
    """The one word a collector reads in the list: what ANAF has (sent,
    accepted, rejected...), else how urgent reporting the invoice is (late,
    due today), else that it is not sent yet; ``None`` for a draft."""
    if not posted:
        return None
    if state in SHOWN_AS_IS:
        return state
    if urgency_level in ("late", "today"):
        return urgency_level
    return state or "not_sent"
