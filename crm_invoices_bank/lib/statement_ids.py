"""An import identity for each transaction of a statement file.

OCA's import skips a transaction whose ``unique_import_id`` it has seen, but
only its sheet parser fills it, and only from a column of the bank's
reference: CAMT files and most banks' layouts import again and again.
:func:`assign` gives every transaction without one an identity made of what
it is (day, amount, details, reference, payer's account and name) and how
many such transactions came before it in the file: the same file twice, or
two statements that overlap, create each transaction once, and two equal
transfers of one day stay two.
"""

import hashlib
from collections import Counter
from decimal import Decimal

#: What a transaction is, for its identity.
FIELDS = ("date", "amount", "payment_ref", "ref", "account_number", "partner_name")


def identity(transaction):
    values = []
    for field in FIELDS:
        value = transaction.get(field)
        if field == "amount" and value not in (None, ""):
            value = f"{Decimal(str(value)):.2f}"
        values.append("" if value in (None, False) else str(value).strip())
    return hashlib.sha256("\x1f".join(values).encode()).hexdigest()[:32]


def assign(transactions):
    """Fill ``unique_import_id`` of the ``transactions`` (dicts) that have
    none; return them."""
    seen = Counter()
    for transaction in transactions:
        if transaction.get("unique_import_id"):
            continue
        digest = identity(transaction)
        seen[digest] += 1
        transaction["unique_import_id"] = f"crm-{digest}-{seen[digest]}"
    return transactions
