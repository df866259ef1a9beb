"""Which payment reminder is due for an invoice, given its lateness.

Levels only escalate: the level due is the highest level whose delay has
passed, unless that level, or a later one, was already sent.  A job that did
not run for days therefore sends one reminder, the highest due, never a burst
of the levels it missed, and never a polite reminder after a firm one.
"""

from collections import namedtuple

#: A reminder level: its id and its delay in days after the due date.
Level = namedtuple("Level", ["id", "delay_days"])


def days_overdue(due_date, today):
    """Whole days since the due date (0 or less when not late)."""
    return (today - due_date).days


def level_due(levels, days_late, sent=()):
    """The one :class:`Level` to send now, or ``None``.

    :param levels: the active levels of the invoice's company.
    :param days_late: days since the invoice's due date.
    :param sent: the levels already sent for the invoice (archived ones too).
    """
    passed = [level for level in levels if level.delay_days <= days_late]
    if not passed or days_late <= 0:
        return None
    due = max(passed, key=lambda level: (level.delay_days, level.id))
    sent_ids = {level.id for level in sent}
    if due.id in sent_ids or any(level.delay_days >= due.delay_days for level in sent):
        return None
    return due
