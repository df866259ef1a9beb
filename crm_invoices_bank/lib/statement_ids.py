"""An import identity for each transaction of a statement file.

OCA's import skips a transaction whose ``unique_import_id`` it has seen, but
only its sheet parser fills it, from a column of the bank's reference.

- The bank's own reference of a transaction, where the file has one, is its
  identity (:func:`bank_identities`: CAMT's ``AcctSvcrRef``, else
  ``NtryRef``; the CSV layouts of the banks that print one map it): two
  equal fees of one day in two files stay two lines, and the same file
  twice still creates nothing.
- A transaction without one gets an identity made of what it is (day,
  amount, details, reference, payer's account and name) and how many such
  transactions came before it in the file (:func:`assign`): the same file
  twice, or two statements that overlap, create each transaction once, and
  two equal transfers of one file stay two.  Only two equal transactions of
  one day in two files without references are taken for one: the file says
  nothing that tells them apart.
"""

import hashlib
from collections import Counter
from decimal import Decimal

#: What a transaction is, for its identity.
FIELDS = ("date", "amount", "payment_ref", "ref", "account_number", "partner_name")


#: How an identity made of the bank's reference begins.
BANK_REF = "crm-ref-"


def bank_identities(entry_ref, detail_refs):
    """The identity of each transaction of one CAMT entry, from the bank's
    references: ``entry_ref`` is the entry's (``AcctSvcrRef``, else
    ``NtryRef``), ``detail_refs`` each transaction detail's
    (``TxDtls/Refs/AcctSvcrRef``), in order.  A detail's own reference that
    no other detail of the entry shares is its identity; otherwise the
    entry's (or the shared) reference and the detail's place in the entry.
    ``None`` where the bank gave no reference at all.
    """
    if not detail_refs:
        return [f"{BANK_REF}{entry_ref}" if entry_ref else None]
    identities = []
    for place, ref in enumerate(detail_refs, start=1):
        if ref and detail_refs.count(ref) == 1:
            identities.append(f"{BANK_REF}{ref}")
        elif entry_ref or ref:
            identities.append(f"{BANK_REF}{entry_ref or ref}/{place}")
        else:
            identities.append(None)
    return identities


def content_identities(transactions):
    """``[identity]`` of ``transactions`` made of what each is and how many
    such came before it (what :func:`assign` gives, whether or not the
    transaction has another identity): the identity of lines imported before
    the bank's references were read."""
    seen = Counter()
    result = []
    for transaction in transactions:
        digest = identity(transaction)
        seen[digest] += 1
        result.append(f"crm-{digest}-{seen[digest]}")
    return result


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
    without = [t for t in transactions if not t.get("unique_import_id")]
    for transaction, made in zip(without, content_identities(without), strict=True):
        transaction["unique_import_id"] = made
    return transactions
