"""IBANs as banks print them and people type them, validated (``schwifty``).

An IBAN in a transfer's details may be written in one piece, in groups of
four, or between any separators a bank's export puts around it
(``...; RO60BTRLRONCRT0999999901; c/v ...``, ``IBAN:RO60-BTRL-...``).
"""

import re

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

#: Where an IBAN may start: a country code and two check digits.
_START = re.compile(r"(?<![A-Z0-9])[A-Z]{2}\d{2}")
#: The letter and digit groups of a text, with where they start and end.
_GROUP = re.compile(r"[A-Z0-9]+")
#: An IBAN has at most 34 characters, so at most this many groups of 4...
MAX_GROUPS = 9
#: ...and a separator between two of its groups is at most this long.
MAX_SEPARATOR = 3


def normalize(value):
    """The IBAN in its compact form (``RO49AAAA1B31007593840000``), or
    ``None`` when ``value`` is not a valid IBAN."""
    if not value:
        return None
    try:
        return IBAN(str(value)).compact
    except (SchwiftyException, ValueError):
        return None


def spans(text):
    """``(start, end, iban)`` of each valid IBAN written in ``text`` (upper
    case), in order: the longest run of letter and digit groups from an IBAN
    start that is a valid IBAN (the country's length and check digits, so a
    word after it is never taken in)."""
    found, position = [], 0
    for start in _START.finditer(text):
        if start.start() < position:
            continue
        groups = []
        for group in _GROUP.finditer(text, start.start()):
            if groups and group.start() - groups[-1].end() > MAX_SEPARATOR:
                break
            groups.append(group)
            if len(groups) == MAX_GROUPS:
                break
        for count in range(len(groups), 0, -1):
            candidate = "".join(group.group() for group in groups[:count])
            if not 15 <= len(candidate) <= 34:
                continue
            iban = normalize(candidate)
            if iban:
                found.append((start.start(), groups[count - 1].end(), iban))
                position = groups[count - 1].end()
                break
    return found


def find(text):
    """The first valid IBAN written in ``text``, or ``None``: some banks put
    the payer's account in the details only."""
    found = spans((text or "").upper())
    return found[0][2] if found else None
