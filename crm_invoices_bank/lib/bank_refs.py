"""Invoice references as people type them in a bank transfer's details.

A customer paying ``INV/2026/00012`` writes ``INV 2026 12``, ``inv-2026-0012``,
``c/v fact INV2026/00012``, ``ff 12/2026``, ``factura nr. 12 din 20.11.2026``.
An invoice number is read as its letters, its year and its sequence number;
the text of a transfer is read as the numbers it contains (dates and amounts
aside), the years, and its words (letter and digit groups).  A match
says how strong it is:

- ``exact``: the whole number is in the text (separators, case and leading
  zeros aside);
- ``number_year``: its sequence number and its year are both in the text;
- ``number``: only its sequence number, three digits or more;
- ``None``: nothing that points at it.
"""

import re
import unicodedata
from dataclasses import dataclass

from . import bank_iban

EXACT = "exact"
NUMBER_YEAR = "number_year"
NUMBER = "number"
STRENGTH = {EXACT: 3, NUMBER_YEAR: 2, NUMBER: 1, None: 0}

#: A sequence number this short, alone in a text, points at nothing.
MIN_NUMBER_DIGITS = 3

_DATE = re.compile(
    r"\b(\d{1,2})[./-](\d{1,2})[./-]((?:19|20)\d{2})\b|\b((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})\b"
)
#: An amount: with thousands separators, or next to its currency.
_AMOUNT = re.compile(
    r"\b\d{1,3}(?:[., ]\d{3})+[.,]\d{2}\b"
    r"|\b\d+(?:[.,]\d{1,2})?\s*(?:RON|LEI|EUR|USD|GBP)\b"
    r"|\b(?:RON|LEI|EUR|USD|GBP)\s*\d+(?:[.,]\d{1,2})?\b"
)
_DIGITS = re.compile(r"\d+")
_YEAR = re.compile(r"^(?:19|20)\d{2}$")


def fold(text):
    """Upper case ASCII: ``Factură`` is ``FACTURA``."""
    text = unicodedata.normalize("NFKD", text or "")
    return "".join(char for char in text if not unicodedata.combining(char)).upper()


def words(text):
    """The letter and digit groups of ``text``, leading zeros dropped:
    ``inv-2026/00012`` is ``("INV", "2026", "12")``."""
    return tuple(
        str(int(part)) if part.isdigit() else part
        for part in re.findall(r"[A-Z]+|\d+", fold(text))
    )


def _contains(haystack, needle):
    size = len(needle)
    return any(
        haystack[i : i + size] == needle for i in range(len(haystack) - size + 1)
    )


@dataclass(frozen=True)
class InvoiceNumber:
    letters: str
    year: int | None
    number: int | None
    words: tuple


def parse_number(name):
    """The parts of an invoice number (``INV/2026/00012``)."""
    folded = fold(name)
    groups = _DIGITS.findall(folded)
    number = int(groups[-1]) if groups else None
    years = [int(group) for group in groups[:-1] if _YEAR.match(group)]
    letters = "".join(re.findall(r"[A-Z]+", folded))
    return InvoiceNumber(letters, years[-1] if years else None, number, words(name))


@dataclass(frozen=True)
class TextTokens:
    numbers: frozenset
    years: frozenset
    words: tuple


def tokens(text):
    """What a transfer's details may refer to: the numbers (not those of
    dates, amounts or IBANs), the years, and the compact text."""
    folded = fold(text)
    years = set()
    for match in _DATE.finditer(folded):
        years.add(int(match.group(3) or match.group(4)))
    cleaned = _DATE.sub(" ", folded)
    cleaned = strip_ibans(cleaned)
    cleaned = _AMOUNT.sub(" ", cleaned)
    numbers = set()
    for group in _DIGITS.findall(cleaned):
        if _YEAR.match(group):
            years.add(int(group))
        numbers.add(int(group))
        # "2026/00012" typed together: "202600012"
        if len(group) > 4 and _YEAR.match(group[:4]):
            years.add(int(group[:4]))
            numbers.add(int(group[4:]))
    return TextTokens(frozenset(numbers), frozenset(years), words(folded))


def strip_ibans(text):
    """``text`` (upper case) without the IBANs written in it."""
    out, position = [], 0
    for start, end, _iban in bank_iban.spans(text):
        out.append(text[position:start])
        out.append(" ")
        position = end
    out.append(text[position:])
    return "".join(out)


#: Lines of OCA's CAMT narration that hold the bank's own fields -- the
#: booking date, the transaction code, the payer's account, name and address:
#: no reference of the payer's (the booking date's year is no invoice's year).
BANK_FIELD_TAGS = (
    "(BookgDt)",
    "(ValDt)",
    "(BkTxCd)",
    "(RltdPties/Acct)",
    "(RltdPties/Nm)",
    "(RvslInd)",
    "(PstlAdr)",
)


def payer_words(narration):
    """The lines of a statement line's narration (plain text) the payer
    wrote, without the bank's own fields."""
    return "\n".join(
        line
        for line in (narration or "").splitlines()
        if not any(tag in line for tag in BANK_FIELD_TAGS)
    )


def match(invoice, text_tokens):
    """How strongly ``text_tokens`` point at ``invoice`` (an
    :class:`InvoiceNumber`): ``exact``, ``number_year``, ``number`` or
    ``None``."""
    if invoice.number is None:
        return None
    if len(invoice.words) >= 2 and _contains(text_tokens.words, invoice.words):
        return EXACT
    if invoice.number not in text_tokens.numbers:
        return None
    if invoice.year is not None and invoice.year in text_tokens.years:
        return NUMBER_YEAR
    if len(str(invoice.number)) >= MIN_NUMBER_DIGITS:
        return NUMBER
    return None
