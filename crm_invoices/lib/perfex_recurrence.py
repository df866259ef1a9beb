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

:func:`parse` reads a request into a :class:`Recurrence` (``interval`` 0:
stop repeating); :func:`answer` writes the answers' keys.
"""

import re
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
_DIGITS = re.compile(r"[0-9]{1,6}")


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


def _integer(value, key, errors, low, high):
    if isinstance(value, bool):
        value = None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        errors[key] = f"must be a whole number from {low} to {high}"
        return None
    if not low <= number <= high:
        errors[key] = f"must be a whole number from {low} to {high}"
        return None
    return number


def _unit(value, key, errors):
    unit = value.strip().lower() if isinstance(value, str) else None
    if unit not in UNITS:
        errors[key] = f"must be one of {', '.join(UNITS)}"
        return None
    return unit


def _flag(value):
    return str(value).strip().lower() in ("1", "true", "on", "yes")


def parse(data, errors):
    """The recurrence a request asks for, or ``None`` if it names none.

    :param data: the request body (a dict).
    :param errors: where a wrong value's message goes, by key.
    """
    if not any(data.get(key) not in (None, "") for key in REQUEST_KEYS):
        return None
    raw = data.get("recurring")
    cycles = 0
    if data.get("cycles") not in (None, ""):
        cycles = _integer(data["cycles"], "cycles", errors, 0, MAX_CYCLES)
    if raw in (None, ""):
        errors["recurring"] = "is required with the other recurring fields"
        return None
    if isinstance(raw, str) and raw.strip().lower() == "custom":
        interval = _integer(
            data.get("repeat_every_custom"),
            "repeat_every_custom",
            errors,
            1,
            MAX_INTERVAL,
        )
        unit = _unit(data.get("repeat_type_custom"), "repeat_type_custom", errors)
        custom = True
    else:
        interval = _integer(raw, "recurring", errors, 0, MAX_INTERVAL)
        custom = _flag(data.get("custom_recurring"))
        unit = "month"
        if data.get("recurring_type") not in (None, ""):
            unit = _unit(data["recurring_type"], "recurring_type", errors)
            custom = custom or unit != "month"
        if interval is not None and interval > 12 and not custom:
            errors["recurring"] = (
                "must be 0 to 12 (months), or custom with repeat_every_custom"
            )
            return None
    if interval is None or unit is None or cycles is None:
        return None
    if interval == 0:
        return Recurrence(0)
    return Recurrence(interval, unit, cycles, custom)


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
