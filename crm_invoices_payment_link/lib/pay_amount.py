"""What a customer may pay through a link, and amounts as people type them."""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_SPACES = re.compile(r"[\s\u00a0\u202f']")


class AmountRefused(ValueError):
    """An amount the link does not accept; ``code`` says why."""

    def __init__(self, code, **values):
        super().__init__(code)
        self.code = code
        self.values = values


def parse_amount(text):
    """An amount typed by a person: ``1234.5``, ``1 234,50``, ``1.234,50``,
    ``1,234.50``, ``1'234.50``; ``None`` when it is not a number.

    The last of ``.`` and ``,`` is the decimal separator when it is followed
    by one or two digits; a lone separator followed by three digits groups
    thousands (``1,234`` is one thousand two hundred thirty-four).
    """
    if isinstance(text, int | float | Decimal) and not isinstance(text, bool):
        try:
            number = Decimal(str(text))
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    if not isinstance(text, str):
        return None
    cleaned = _SPACES.sub("", text.strip())
    if not cleaned or not re.fullmatch(r"[0-9.,]+", cleaned):
        return None
    if cleaned[-1] in ".,":
        cleaned = cleaned[:-1]  # "5." is 5
        if not cleaned or cleaned[-1] in ".,":
            return None
    last = max(cleaned.rfind("."), cleaned.rfind(","))
    if last >= 0 and len(cleaned) - last - 1 in (1, 2):
        whole, fraction = cleaned[:last], cleaned[last + 1 :]
    elif last >= 0 and len(cleaned) - last - 1 != 3:
        return None  # "1.2345": not a way anybody writes money
    else:
        whole, fraction = cleaned, ""
    whole = whole.replace(".", "").replace(",", "")
    if not whole and not fraction:
        return None
    try:
        return Decimal(f"{whole or '0'}.{fraction or '0'}")
    except InvalidOperation:
        return None


def amount_to_pay(requested, due, digits, partial_allowed, minimum=0):
    """The amount a payment through a link is for.

    :param requested: what the customer asked to pay (text or number), or
        ``None`` for the whole amount due.
    :param due: the amount due on the invoice (from the server).
    :param digits: the currency's decimal places.
    :param partial_allowed: whether the company lets customers pay part.
    :param minimum: the smallest part the company accepts.
    :return: the amount, rounded to the currency.
    :raises AmountRefused: ``not_a_number``, ``not_positive``, ``above_due``,
        ``below_minimum`` or ``partial_not_allowed``.
    """
    quantum = Decimal(1).scaleb(-int(digits))
    due = Decimal(str(due)).quantize(quantum, rounding=ROUND_HALF_UP)
    if requested in (None, ""):
        return due
    amount = parse_amount(requested)
    if amount is None:
        raise AmountRefused("not_a_number")
    amount = amount.quantize(quantum, rounding=ROUND_HALF_UP)
    if amount <= 0:
        raise AmountRefused("not_positive")
    if amount > due:
        raise AmountRefused("above_due", due=due)
    if amount == due:
        return due
    if not partial_allowed:
        raise AmountRefused("partial_not_allowed", due=due)
    minimum = Decimal(str(minimum or 0)).quantize(quantum, rounding=ROUND_HALF_UP)
    if amount < minimum:
        raise AmountRefused("below_minimum", minimum=minimum)
    return amount
