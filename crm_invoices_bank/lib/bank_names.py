"""A payer's name as a bank prints it, compared with a customer's name.

``CARPATI DISTRIBUTIE S.R.L.``, ``SC Carpati Distributie SRL`` and
``Carpați Distribuție SRL`` are one name: case, diacritics, punctuation and
the legal form (SRL, SA, PFA, GmbH ...) aside.
"""

import re

from .bank_refs import fold

#: Legal forms and their abbreviations, written in a name or not.
LEGAL_FORMS = frozenset(
    {
        "SC",
        "SRL",
        "SRLD",
        "SA",
        "SCA",
        "SCS",
        "SNC",
        "PFA",
        "II",
        "IF",
        "GMBH",
        "AG",
        "LTD",
        "LLC",
        "INC",
        "SAS",
        "SARL",
        "BV",
        "NV",
        "KFT",
        "SPA",
    }
)


def key(name):
    """What two spellings of one name have in common, or ``None`` when
    nothing is left (a name that is only a legal form)."""
    # "S.R.L." and "S R L" are one word: join single letters first
    text = re.sub(r"\b([A-Z])[.\s]+(?=[A-Z]\b)", r"\1", fold(name))
    words = [word for word in re.findall(r"[A-Z0-9]+", text) if word not in LEGAL_FORMS]
    return " ".join(words) or None


def unique_keys(names):
    """``{key: partner id}`` of ``names`` (``{partner id: name}``); a key
    two partners share points at neither."""
    found = {}
    for partner_id, name in names.items():
        name_key = key(name)
        if not name_key:
            continue
        found[name_key] = None if name_key in found else partner_id
    return {name_key: pid for name_key, pid in found.items() if pid is not None}
