"""Bank matching without a database: references as people type them, the
evidence rules, and properties: a wrong amount or a wrong customer never
reconciles by itself."""

import random
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from odoo.addons.crm_invoices_bank.lib import (
    bank_iban,
    bank_match,
    bank_names,
    bank_refs,
)

D = Decimal


def invoice(id_, name, partner, residual, currency="RON", day=date(2026, 10, 1), **kw):
    return bank_match.OpenInvoice.make(
        id=id_,
        partner_id=partner,
        name=name,
        residual=D(residual),
        currency=currency,
        date=day,
        **kw,
    )


def line(text, amount, currency="RON", iban=None, day=date(2026, 11, 20), **kw):
    return bank_match.Line(
        id=1, amount=D(amount), currency=currency, date=day, text=text, iban=iban, **kw
    )


# ---------------------------------------------------------------- references


@pytest.mark.parametrize(
    "typed",
    [
        "INV/2026/00012",
        "inv 2026 12",
        "INV-2026-0012",
        "c/v fact INV2026/00012",
        "ff 12/2026",
        "Factura nr. 12 din 20.11.2026",
        "plata fact. INV 2026 / 12 conform contract",
        "C/V FF INV/2026/000012",
        "inv202600012",
    ],
)
def test_references_as_people_type_them(typed):
    number = bank_refs.parse_number("INV/2026/00012")
    assert bank_refs.match(number, bank_refs.tokens(typed)) in (
        bank_refs.EXACT,
        bank_refs.NUMBER_YEAR,
    )


@pytest.mark.parametrize(
    "typed",
    [
        "INV/2026/00120",
        "INV/2025/00012",
        "plata 1.200,00 RON fact 12",  # 12 alone is too short to point at anything
        "avans 12",
        "RO49AAAA1B31007593840000",
        "",
    ],
)
def test_what_does_not_point_at_the_invoice(typed):
    number = bank_refs.parse_number("INV/2026/00012")
    assert bank_refs.match(number, bank_refs.tokens(typed)) is None


def test_dates_amounts_and_ibans_are_not_numbers():
    tokens = bank_refs.tokens(
        "plata 1.234,56 din 20.11.2026 RO49 AAAA 1B31 0075 9384 0000 f 345"
    )
    assert tokens.numbers == {345}
    assert tokens.years == {2026}


def test_ibans_are_validated_and_normalized():
    assert (
        bank_iban.normalize("ro49 aaaa 1b31 0075 9384 0000")
        == "RO49AAAA1B31007593840000"
    )
    assert bank_iban.normalize("RO49AAAA1B31007593840001") is None
    assert bank_iban.normalize("") is None


# ---------------------------------------------------------------- decisions

ACME, BETA = 1, 2
IBAN_ACME = "RO49AAAA1B31007593840000"


def index(names):
    """``names``: ``{partner id: name}`` (each its own commercial partner)
    or ``{partner id: (name, commercial partner id)}``."""
    return bank_names.NameIndex(
        {
            pid: value if isinstance(value, tuple) else (value, pid)
            for pid, value in names.items()
        }
    )


def matcher(*invoices, ibans=None, names=None):
    return bank_match.Matcher(list(invoices), ibans or {}, index(names or {}))


def test_reference_and_exact_amount_reconcile():
    m = matcher(
        invoice(1, "INV/2026/00012", ACME, "1190.00"),
        invoice(2, "INV/2026/00013", ACME, "50.00"),
    )
    result = m.match(line("c/v fact INV 2026 12", "1190.00"))
    assert (result.kind, result.invoice_ids, result.partner_id) == ("auto", [1], ACME)
    assert "amount_exact" in result.reasons


def test_an_invoice_in_dispute_is_offered_never_closed_by_itself():
    m = matcher(
        invoice(1, "INV/2026/00012", ACME, "1190.00", in_dispute=True),
        invoice(2, "INV/2026/00013", ACME, "50.00"),
        ibans={IBAN_ACME: ACME},
    )
    result = m.match(line("c/v fact INV 2026 12", "1190.00", iban=IBAN_ACME))
    assert (result.kind, result.invoice_ids) == ("suggestion", [1])
    assert "in_dispute" in result.reasons and "amount_exact" in result.reasons
    other = m.match(line("c/v fact INV 2026 13", "50.00"))
    assert (other.kind, other.invoice_ids) == ("auto", [2])


def test_one_line_paying_several_referenced_invoices():
    m = matcher(
        invoice(1, "INV/2026/00012", ACME, "100.00"),
        invoice(2, "INV/2026/00013", ACME, "200.00"),
        invoice(3, "INV/2026/00014", ACME, "300.00"),
    )
    result = m.match(line("facturi INV/2026/00012, 00013 si INV/2026/00014", "600.00"))
    assert result.kind == "auto"
    assert result.invoice_ids == [1, 2, 3]
    assert "amount_sum" in result.reasons


def test_partial_and_over_payments_are_suggestions():
    m = matcher(invoice(1, "INV/2026/00012", ACME, "1000.00"))
    partial = m.match(line("INV/2026/00012 rata 1", "400.00"))
    assert (partial.kind, partial.invoice_ids) == ("suggestion", [1])
    assert "amount_partial" in partial.reasons and partial.confidence >= 70
    over = m.match(line("INV/2026/00012", "1100.00"))
    assert over.kind == "suggestion" and "amount_over" in over.reasons


def test_iban_and_amount_without_reference():
    m = matcher(
        invoice(1, "INV/2026/00012", ACME, "100.00"),
        invoice(2, "INV/2026/00013", ACME, "250.00"),
        invoice(3, "INV/2026/00014", BETA, "100.00"),
        ibans={IBAN_ACME: ACME},
    )
    assert m.match(line("plata", "250.00", iban=IBAN_ACME)).invoice_ids == [2]
    assert m.match(line("plata", "250.00", iban=IBAN_ACME)).kind == "auto"
    both = m.match(line("plata facturi", "350.00", iban=IBAN_ACME))
    assert (both.kind, both.invoice_ids) == ("auto", [1, 2])
    assert m.match(line("plata", "99.00", iban=IBAN_ACME)).kind == "suggestion"


def test_same_amount_for_several_customers_is_never_certain():
    m = matcher(
        invoice(1, "INV/2026/00012", ACME, "100.00"),
        invoice(2, "INV/2026/00013", BETA, "100.00"),
    )
    result = m.match(line("transfer", "100.00"))
    assert result.kind == "suggestion" and "same_amount_several" in result.reasons
    alone = matcher(invoice(1, "INV/2026/00012", ACME, "100.00")).match(
        line("transfer", "100.00")
    )
    assert alone.kind == "suggestion" and alone.reasons == ["amount_only"]


def test_reference_to_another_customers_invoice_is_never_certain():
    m = matcher(invoice(1, "INV/2026/00012", BETA, "100.00"), ibans={IBAN_ACME: ACME})
    result = m.match(line("INV/2026/00012", "100.00", iban=IBAN_ACME))
    assert result.kind == "suggestion" and "iban_conflict" in result.reasons


def test_foreign_currency_by_the_amount_sent():
    m = matcher(invoice(1, "INV/2026/00012", ACME, "200.00", currency="EUR"))
    result = m.match(
        line(
            "INV/2026/00012",
            "995.00",
            foreign_amount=D("200.00"),
            foreign_currency="EUR",
        )
    )
    assert result.kind == "auto" and "foreign_amount" in result.reasons
    assert m.match(line("INV/2026/00012", "995.00")).kind == "suggestion"


def test_invoices_issued_after_the_payment_are_not_candidates():
    m = matcher(invoice(1, "INV/2026/00012", ACME, "100.00", day=date(2026, 12, 1)))
    assert (
        m.match(line("INV/2026/00012", "100.00", day=date(2026, 11, 20))).kind == "none"
    )


def test_money_sent_is_not_matched():
    m = matcher(invoice(1, "INV/2026/00012", ACME, "100.00"))
    assert m.match(line("INV/2026/00012", "-100.00")).kind == "none"


# ---------------------------------------------------------------- properties

SEPARATORS = st.sampled_from(["", " ", "/", "-", ".", " / ", "_"])
PREFIXES = st.sampled_from(
    ["", "c/v fact ", "ff ", "factura nr. ", "Plata fact. ", "CV FACTURA "]
)
SUFFIXES = st.sampled_from(
    ["", " din 20.11.2026", " conform contract", " achitat integral"]
)


@st.composite
def mangled(draw, prefix, year, number):
    sep1, sep2 = draw(SEPARATORS), draw(SEPARATORS)
    zeros = "0" * draw(st.integers(0, 4))
    head = draw(st.sampled_from([prefix, prefix.lower(), prefix.title(), ""]))
    if not head and not sep1:
        sep1 = " "
    body = f"{head}{sep1}{year}{sep2}{zeros}{number}"
    return draw(PREFIXES) + body + draw(SUFFIXES)


@settings(max_examples=300, deadline=None)
@given(data=st.data(), number=st.integers(1, 99999), year=st.integers(2020, 2030))
def test_mangled_references_still_match(data, number, year):
    typed = data.draw(mangled("INV", year, number))
    parsed = bank_refs.parse_number(f"INV/{year}/{number:05d}")
    assert bank_refs.match(parsed, bank_refs.tokens(typed)) in (
        bank_refs.EXACT,
        bank_refs.NUMBER_YEAR,
    ), typed


amounts = st.decimals(min_value="1.00", max_value="99999.99", places=2)


@settings(max_examples=300, deadline=None)
@given(
    residuals=st.lists(amounts, min_size=1, max_size=8),
    paid=amounts,
    pick=st.integers(0, 7),
    with_iban=st.booleans(),
)
def test_a_wrong_amount_never_reconciles_by_itself(residuals, paid, pick, with_iban):
    invoices = [
        invoice(i + 1, f"INV/2026/{i + 100:05d}", ACME, residual)
        for i, residual in enumerate(residuals)
    ]
    target = invoices[pick % len(invoices)]
    sums = {
        sum(inv.residual for inv in group)
        for size in range(1, len(invoices) + 1)
        for group in __import__("itertools").combinations(invoices, size)
    }
    assume(paid not in sums)
    m = matcher(*invoices, ibans={IBAN_ACME: ACME} if with_iban else {})
    result = m.match(
        line(f"plata {target.name}", str(paid), iban=IBAN_ACME if with_iban else None)
    )
    assert result.kind != "auto"


@settings(max_examples=200, deadline=None)
@given(amount=amounts, number=st.integers(100, 99999), exact=st.booleans())
def test_a_wrong_customer_never_reconciles_by_itself(amount, number, exact):
    """The reference points at BETA's invoice, the money comes from ACME's
    account: whatever the amount, a person decides."""
    m = matcher(
        invoice(1, f"INV/2026/{number:05d}", BETA, amount), ibans={IBAN_ACME: ACME}
    )
    paid = amount if exact else amount + D("1.00")
    result = m.match(line(f"fact INV/2026/{number}", str(paid), iban=IBAN_ACME))
    assert result.kind != "auto"


def test_matching_many_lines_is_indexed():
    rng = random.Random(7)
    invoices = [
        invoice(
            i,
            f"INV/2026/{i:05d}",
            i % 500,
            f"{rng.randint(100, 99999)}.{rng.randint(0, 99):02d}",
        )
        for i in range(1, 20001)
    ]
    m = matcher(*invoices)
    hits = sum(
        m.match(line(f"ff {inv.number.number}/2026", str(inv.residual))).invoice_ids
        == [inv.id]
        for inv in invoices[:2000]
    )
    assert hits == 2000


# ---------------------------------------------------------------- evidence weighed


@pytest.mark.parametrize(
    "details",
    [
        "Incasare OP; CARPATI SRL; RO60BTRLRONCRT0999999901; c/v fact 12",
        "IBAN:RO60-BTRL-RONC-RT09-9999-9901, fact 12",
        "ordonator ro60 btrl ronc rt09 9999 9901/fact 12",
        "(RO60BTRLRONCRT0999999901)",
    ],
)
def test_an_iban_is_found_whatever_separates_it(details):
    assert bank_iban.find(details) == "RO60BTRLRONCRT0999999901"
    assert "9999" not in bank_refs.strip_ibans(bank_refs.fold(details))


def test_a_word_after_an_iban_is_not_part_of_it():
    assert bank_iban.find("RO60BTRLRONCRT0999999901 FACT 12") == (
        "RO60BTRLRONCRT0999999901"
    )
    assert bank_iban.find("RO60BTRLRONCRT09999999 FACT 12") is None


@pytest.mark.parametrize(
    "printed",
    [
        "CARPATI DISTRIBUTIE S.R.L.",
        "SC Carpati Distributie SRL",
        "Carpați Distribuție SRL",
        "carpati distributie",
    ],
)
def test_a_payers_name_as_banks_print_it(printed):
    assert bank_names.key(printed) == bank_names.key("Carpati Distributie SRL")


def test_a_name_two_partners_share_names_both():
    names = index({1: "Alfa SRL", 2: "ALFA S.A.", 3: "Beta SRL"})
    assert names.recognise("ALFA SRL") == {1, 2}
    assert names.partner("ALFA SRL") is None
    assert names.partner("SC BETA SRL") == 3


COMPANY = {
    1: "Carpati Distributie SRL",
    11: ("Ion Popescu", 1),  # a contact of Carpati
    2: "Ion Popescu Construct SRL",
    3: "Dunarea Logistic SA",
    4: "Transilvania Agro-Industrial Cooperativa Agricola SCA",
    5: "Ion",  # a contact with a first name only
}


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        # the name whole, with words added by the bank, in another order
        ("CARPATI DISTRIBUTIE SRL", {1}),
        ("CARPATI DISTRIBUTIE SRL SUC. CLUJ", {1}),
        ("SC CARPATI DISTRIBUTIE SRL - PUNCT DE LUCRU ARAD", {1}),
        ("DISTRIBUTIE CARPATI", {1}),
        # cut off at the bank's field width
        ("CARPATI DISTRIB", {1}),
        ("TRANSILVANIA AGRO-INDUSTRIAL COOPERATIVA AGR", {4}),
        # a contact is its company; the longest fitting name wins
        ("POPESCU ION", {1}),
        ("ION POPESCU", {1}),
        ("ION POPESCU CONSTRUCT SRL", {2}),
        ("ION POPESCU CONSTRUCT SRL SUC IASI", {2}),
        # nobody the company knows, or too little to say
        ("ION GEORGESCU", frozenset()),
        ("CARP", frozenset()),
        ("SRL", frozenset()),
    ],
)
def test_the_partners_a_printed_name_names(printed, expected):
    assert index(COMPANY).recognise(printed) == frozenset(expected)


def test_a_payer_recognised_as_another_partner_never_reconciles_by_itself():
    """The payer is a partner the company never invoiced, printed with a
    branch added: another partner, so the reference and amount alone do not
    reconcile the line."""
    m = matcher(
        invoice(1, "INV/2026/00012", ACME, "100.00"),
        names={ACME: "Acme Trading SRL", 9: "Omega Leasing IFN SA"},
    )
    result = m.match(
        line("INV/2026/00012", "100.00", name="OMEGA LEASING IFN SA SUC BUCURESTI")
    )
    assert result.kind == "suggestion" and "name_conflict" in result.reasons
    cut = m.match(line("INV/2026/00012", "100.00", name="OMEGA LEASING I"))
    assert cut.kind == "suggestion" and "name_conflict" in cut.reasons
    # the customer's own contact paying: the customer's name
    m = matcher(
        invoice(1, "INV/2026/00012", ACME, "100.00"),
        names={ACME: "Acme Trading SRL", 12: ("Maria Ionescu", ACME)},
    )
    own = m.match(line("INV/2026/00012", "100.00", name="IONESCU MARIA"))
    assert own.kind == "auto" and "name" in own.reasons
    # a payer the company does not know at all says nothing
    stranger = m.match(line("INV/2026/00012", "100.00", name="VASILE TOMA"))
    assert stranger.kind == "auto" and "name_conflict" not in stranger.reasons


def test_a_printed_name_meets_few_known_names_at_ten_times_the_partners():
    """20,000 partners sharing most of their words: a printed name is only
    compared with the names filed under a word it contains, so recognising
    one never walks every partner (no timing: the work is counted)."""
    names = {pid: f"Client {pid:05d} Servicii Comerciale SRL" for pid in range(20000)}
    big = index(names)
    assert max(len(filed) for filed in big.by_rarest.values()) == 1
    for pid in range(0, 20000, 10):
        printed = f"CLIENT {pid:05d} SERVICII COMERCIALE SRL SUC"
        compared = sum(
            len(big.by_rarest.get(word, ())) for word in set(bank_names.words(printed))
        )
        assert compared == 1
        assert big.partner(printed) == pid


def test_another_customers_name_never_reconciles_by_itself():
    m = matcher(
        invoice(1, "INV/2026/00012", ACME, "100.00"),
        names={ACME: "Acme Trading SRL", BETA: "Beta Construct SRL"},
    )
    result = m.match(line("INV/2026/00012", "100.00", name="BETA CONSTRUCT SRL"))
    assert (result.kind, result.invoice_ids) == ("suggestion", [1])
    assert "name_conflict" in result.reasons
    own = m.match(line("INV/2026/00012", "100.00", name="ACME TRADING S.R.L."))
    assert own.kind == "auto" and "name" in own.reasons


def test_a_name_alone_suggests_what_the_customer_owes():
    m = matcher(
        invoice(1, "INV/2026/00012", ACME, "100.00"),
        invoice(2, "INV/2026/00013", BETA, "100.00"),
        names={ACME: "Acme Trading SRL", BETA: "Beta Construct SRL"},
    )
    result = m.match(line("plata", "100.00", name="BETA CONSTRUCT SRL"))
    assert (result.kind, result.invoice_ids) == ("suggestion", [2])
    assert "name" in result.reasons and "iban" not in result.reasons


def test_a_known_iban_and_exact_amount_beat_a_bare_number():
    m = matcher(
        invoice(1, "INV/2026/00381", BETA, "750.00"),
        invoice(2, "INV/2026/00400", ACME, "1250.00"),
        ibans={IBAN_ACME: ACME},
    )
    result = m.match(line("Plata servicii OP nr. 381", "1250.00", iban=IBAN_ACME))
    assert (result.kind, result.invoice_ids) == ("auto", [2])
    # with its year the number is the payer's word: a person decides
    strong = m.match(line("Plata fact 381/2026", "1250.00", iban=IBAN_ACME))
    assert strong.kind == "suggestion"


def test_the_bank_fields_of_a_camt_narration_are_no_reference():
    narration = (
        "Partner Name (RltdPties/Nm): CARPATI SRL\n"
        "Transaction Date (BookgDt): 2026-11-21\n"
        "Transaction Type (BkTxCd): PMNT-RCDT-ESCT\n"
        "Additional Entry Information (AddtlNtryInf): c/v ff 12"
    )
    words = bank_refs.payer_words(narration)
    assert "2026" not in words and "c/v ff 12" in words
    m = matcher(invoice(1, "INV/2026/00012", ACME, "100.00"))
    assert m.match(line(words, "100.00")).kind != "auto"
