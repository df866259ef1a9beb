"""Statement files read without a database: the CAMT check, the import
identities, strict amounts."""

import sys
from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from odoo.addons.crm_invoices_bank.lib import camt_check, sheet_amounts, statement_ids

sys.path.insert(
    0, str(Path(__file__).resolve().parents[2] / "crm_invoices_bank" / "tests")
)
import camt  # noqa: E402

ENTRIES = [
    {"date": date(2026, 11, 21), "amount": 300.0, "text": "INV/2026/00003"},
    {"date": date(2026, 11, 22), "amount": -15.0, "text": "Comision"},
]


def test_a_whole_statement_passes():
    camt_check.check(etree.fromstring(camt.statement(ENTRIES, opening=1000)))


def test_a_statement_that_lost_an_entry_is_refused():
    data = camt.statement(ENTRIES)
    start = data.index(b"<Ntry>")
    cut = data[:start] + data[data.index(b"</Ntry>") + len(b"</Ntry>") :]
    with pytest.raises(camt_check.StatementRefused, match="add up to -15.00"):
        camt_check.check(etree.fromstring(cut))


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        (b"<BookgDt><Dt>2026-11-22</Dt></BookgDt>", b"", "entry 2: no booking date"),
        (b">300.00</Amt>", b">3OO.00</Amt>", "entry 1: no valid amount"),
        (b"<CdtDbtInd>DBIT</CdtDbtInd>", b"", "entry 2: no valid amount"),
    ],
)
def test_an_entry_missing_what_it_needs_is_named(old, new, words):
    data = camt.statement(ENTRIES).replace(old, new, 1)
    with pytest.raises(camt_check.StatementRefused, match=words):
        camt_check.check(etree.fromstring(data))


def test_identities_are_stable_and_equal_transfers_stay_apart():
    def transactions():
        return [
            {"date": "2026-11-22", "amount": -15.0, "payment_ref": "Comision"},
            {"date": "2026-11-22", "amount": -15, "payment_ref": "Comision"},
            {"date": "2026-11-22", "amount": 15.0, "payment_ref": "Comision"},
            {"date": "2026-11-22", "amount": 1.0, "unique_import_id": "BANK-1"},
        ]

    first = [t["unique_import_id"] for t in statement_ids.assign(transactions())]
    again = [t["unique_import_id"] for t in statement_ids.assign(transactions())]
    assert first == again
    assert len(set(first)) == 4 and first[3] == "BANK-1"
    assert first[0].rsplit("-", 1)[0] == first[1].rsplit("-", 1)[0]


@pytest.mark.parametrize(
    ("value", "thousands", "decimal"),
    [
        ("1.190,00", ".", ","),
        ("-15,00", ".", ","),
        ("1,190.00", ",", "."),
        (" 1190.00 RON", "", "."),
        ("RON -12.5", ",", "."),
        ("15.00-", ",", "."),
        ("", ".", ","),
    ],
)
def test_amounts_as_banks_write_them(value, thousands, decimal):
    assert sheet_amounts.check(value, thousands, decimal) == value


@pytest.mark.parametrize(
    ("value", "thousands", "decimal"),
    [
        ("1.2O0,00", ".", ","),
        ("1,19x.00", ",", "."),
        ("12,34,56", ",", "."),
        ("1.190,00", ",", "."),
        ("=1+1", "", "."),
    ],
)
def test_a_stray_character_is_refused(value, thousands, decimal):
    with pytest.raises(ValueError, match="is not a number"):
        sheet_amounts.check(value, thousands, decimal)


@pytest.mark.parametrize(
    ("entry_ref", "detail_refs", "expected"),
    [
        # an entry without details, with or without the bank's reference
        ("E1", [], ["crm-ref-E1"]),
        (None, [], [None]),
        # one transaction: its own reference, else the entry's
        ("E1", ["T1"], ["crm-ref-T1"]),
        ("E1", [None], ["crm-ref-E1/1"]),
        ("E1", ["E1"], ["crm-ref-E1"]),
        # a batch: each transaction's own, or the entry's and its place
        ("E1", ["T1", "T2"], ["crm-ref-T1", "crm-ref-T2"]),
        ("E1", [None, None], ["crm-ref-E1/1", "crm-ref-E1/2"]),
        ("E1", ["E1", "E1"], ["crm-ref-E1/1", "crm-ref-E1/2"]),
        (None, ["T1", "T1", "T2"], ["crm-ref-T1/1", "crm-ref-T1/2", "crm-ref-T2"]),
        (None, [None, "T2"], [None, "crm-ref-T2"]),
    ],
)
def test_bank_identities(entry_ref, detail_refs, expected):
    assert statement_ids.bank_identities(entry_ref, detail_refs) == expected


def test_a_transaction_with_the_banks_reference_keeps_it():
    fee = {"date": "2026-11-22", "amount": -15.0, "payment_ref": "Comision"}
    transactions = [{**fee, "unique_import_id": "crm-ref-R1"}, dict(fee)]
    statement_ids.assign(transactions)
    assert transactions[0]["unique_import_id"] == "crm-ref-R1"
    # what both were called before the references were read: the second is
    # the second such fee of the file
    earlier = statement_ids.content_identities(transactions)
    assert earlier[0].endswith("-1") and earlier[1].endswith("-2")
    assert earlier[0][:-2] == earlier[1][:-2]
    assert transactions[1]["unique_import_id"] == earlier[0]
