"""An amount in a bank's spreadsheet, read strictly.

OCA's sheet parser keeps the digits and separators of a cell and drops the
rest, so ``1.2O0,00`` (a letter O) becomes 120.00 without a word.  A person
reading the statement would stop there: :func:`check` refuses a cell that is
not an amount written with the layout's separators (a sign, a currency code
and spaces around it allowed).
"""

import re

CURRENCIES = r"(?:RON|LEI|EUR|USD|GBP|CHF|HUF)"


def pattern(thousands, decimal):
    """The regular expression of an amount with these separators (each a
    character, or empty for none)."""
    if thousands:
        group = re.escape(thousands)
        integer = rf"(?:\d{{1,3}}(?:{group}\d{{3}})+|\d+)"
    else:
        integer = r"\d+"
    fraction = rf"(?:{re.escape(decimal)}\d+)?" if decimal else ""
    return re.compile(
        rf"^\s*[+-]?\s*(?:{CURRENCIES}\s*)?[+-]?\s*{integer}{fraction}"
        rf"\s*(?:{CURRENCIES})?\s*-?\s*$",
        re.IGNORECASE,
    )


def check(value, thousands, decimal):
    """``value`` (text) unchanged when it is an amount, or an empty cell;
    ``ValueError`` naming it otherwise."""
    text = (value or "").replace("\xa0", " ")
    if not text.strip():
        return value
    if not pattern(thousands, decimal).match(text):
        raise ValueError(f"the amount {value!r} is not a number")
    return value
