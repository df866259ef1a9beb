"""Text from outside, exported so that a spreadsheet shows it and runs nothing.

A bank's remittance text, a customer's name or an API client's note that
starts with ``=``, ``+``, ``-`` or ``@`` is a formula to Excel and LibreOffice
(Odoo's XLSX export even writes ``=...`` as a live formula): ``=HYPERLINK(...)``
in a statement line becomes a link that leaks data or runs a command when an
accountant opens the export.  :func:`inert` prefixes such text with an
apostrophe, the convention spreadsheets read as "this is text" (OWASP's advice
for CSV and spreadsheet injection).  Numbers ("-12.50") are left alone.
"""

import re

#: First characters that make a cell a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_NUMBER = re.compile(r"^[+-]?\d[\d.,\s]*$")


def inert(value):
    """``value``, or ``'value`` when a spreadsheet would run it."""
    if (
        isinstance(value, str)
        and value.lstrip(" ").startswith(FORMULA_START)
        and not _NUMBER.match(value.strip())
    ):
        return "'" + value
    return value


def inert_rows(rows):
    """Every cell of ``rows`` (lists of values) through :func:`inert`."""
    return [[inert(value) for value in row] for row in rows]
