"""IBANs as banks print them and people type them, validated (``schwifty``)."""

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException


def normalize(value):
    """The IBAN in its compact form (``RO49AAAA1B31007593840000``), or
    ``None`` when ``value`` is not a valid IBAN."""
    if not value:
        return None
    try:
        return IBAN(str(value)).compact
    except (SchwiftyException, ValueError):
        return None


def find(text):
    """The first valid IBAN written in ``text`` (with or without spaces), or
    ``None``: some banks put the payer's account in the details only."""
    from . import bank_refs  # noqa: PLC0415

    folded = bank_refs.fold(text)
    for start in bank_refs.IBAN_START.finditer(folded):
        groups = folded[start.start() :].split()
        for count in range(min(len(groups), 9), 0, -1):
            candidate = normalize("".join(groups[:count]))
            if candidate:
                return candidate
    return None
