"""Perfex's recurring invoice fields, as Perfex defines them.

A Perfex invoice repeats itself: ``recurring`` is ``0`` (not recurring),
``1`` to ``12`` (every so many months: the form's choices) or ``custom``
with ``repeat_every_custom`` and ``repeat_type_custom`` (``day``, ``week``,
``month``, ``year``).  Perfex stores a custom choice as ``recurring`` = the
count, ``recurring_type`` = the unit and ``custom_recurring`` = ``1``; a
client that read an invoice may send those back.  ``cycles`` is how many
invoices the schedule makes (``0``: without end); the answers add
``total_cycles`` (how many it made), ``last_recurring_date`` and, on each
invoice a schedule made, ``is_recurring_from`` (the invoice it repeats).

:func:`.api_payload.parse_recurrence` reads a request into a
:class:`Recurrence` (``interval`` 0: stop repeating), with the API's own
readers of numbers and flags; :func:`answer` writes the answers' keys.
"""

from dataclasses import dataclass

UNITS = ("day", "week", "month", "year")
#: The keys a request may send (``recurring_type`` and ``custom_recurring``
#: as an answer has them).
REQUEST_KEYS = (
    "recurring",
    "repeat_every_custom",
    "repeat_type_custom",
    "recurring_type",
    "custom_recurring",
    "cycles",
)
MAX_INTERVAL = 999
MAX_CYCLES = 9_999


@dataclass(frozen=True)
class Recurrence:
    """Every ``interval`` ``unit`` s, ``cycles`` times (0: without end);
    ``custom``: chosen as Perfex's *custom* (else 1-12 months)."""

    interval: int
    unit: str = "month"
    cycles: int = 0
    custom: bool = False

    @property
    def stops(self):
        return self.interval == 0


def answer(recurrence, total_cycles=0, last_date=None, source_id=None):
    """The answers' recurring keys, as Perfex returns them (strings;
    ``recurring_type`` only for a custom choice)."""
    repeats = recurrence is not None and not recurrence.stops
    return {
        "recurring": str(recurrence.interval) if repeats else "0",
        "recurring_type": recurrence.unit if repeats and recurrence.custom else None,
        "custom_recurring": "1" if repeats and recurrence.custom else "0",
        "cycles": str(recurrence.cycles) if repeats else "0",
        "total_cycles": str(total_cycles or 0),
        "is_recurring_from": str(source_id) if source_id else None,
        "last_recurring_date": last_date.isoformat() if last_date else None,
    }
