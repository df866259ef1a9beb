"""A CAMT.052/053/054 statement checked whole before any line is imported.

OCA's parser takes what it finds: an entry without a booking date stops it
with ``KeyError: 'date'``, and a file that lost entries on the way (cut and
closed again by a tool, an export that stopped) imports the entries left.
:func:`check` refuses such a file, naming the statement and the entry:

- every entry has an amount, a credit/debit indicator and a booking date;
- when the statement gives its opening and closing balances, its entries
  add up to the difference.
"""

from decimal import Decimal, InvalidOperation


class StatementRefused(ValueError):
    """The statement was refused: ``str(error)`` says why, for a person."""


def _text(node, path, ns):
    found = node.find(path, ns)
    return (found.text or "").strip() if found is not None else ""


def _amount(node, ns):
    text = _text(node, "ns:Amt", ns)
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None
    if not amount.is_finite():
        return None
    side = _text(node, "ns:CdtDbtInd", ns)
    if side not in ("CRDT", "DBIT"):
        return None
    return amount if side == "CRDT" else -amount


def _balance(statement, codes, ns):
    for code in codes:
        for balance in statement.findall("ns:Bal", ns):
            if _text(balance, "ns:Tp/ns:CdOrPrtry/ns:Cd", ns) == code:
                return _amount(balance, ns)
    return None


def check(root):
    """Raise :class:`StatementRefused` unless every statement of the CAMT
    document ``root`` (an lxml element) is whole."""
    ns = {"ns": root.tag[1 : root.tag.index("}")]} if root.tag.startswith("{") else {}
    if not ns:
        return
    for number, statement in enumerate(root[0][1:], 1):
        name = _text(statement, "ns:Id", ns) or f"#{number}"
        total = Decimal(0)
        for position, entry in enumerate(statement.findall("ns:Ntry", ns), 1):
            label = _text(entry, "ns:NtryRef", ns) or _text(entry, "ns:AcctSvcrRef", ns)
            where = f"entry {position}" + (f" ({label})" if label else "")
            amount = _amount(entry, ns)
            if amount is None:
                raise StatementRefused(
                    f"Statement {name}, {where}: no valid amount (Amt) with its "
                    "credit or debit indicator (CdtDbtInd)."
                )
            if not (
                _text(entry, "ns:BookgDt/ns:Dt", ns)
                or _text(entry, "ns:BookgDt/ns:DtTm", ns)
            ):
                raise StatementRefused(
                    f"Statement {name}, {where}: no booking date (BookgDt)."
                )
            total += amount
        opening = _balance(statement, ("OPBD", "PRCD"), ns)
        closing = _balance(statement, ("CLBD",), ns)
        if opening is not None and closing is not None and total != closing - opening:
            raise StatementRefused(
                f"Statement {name}: its entries add up to {total:.2f}, but its "
                f"balances differ by {closing - opening:.2f} (opening "
                f"{opening:.2f}, closing {closing:.2f}). The file is incomplete or "
                "damaged."
            )
