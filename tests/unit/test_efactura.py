"""e-Factura rules without a database: CIUS-RO values, the deadline, ANAF's
client against the stand-in, the validator (in this process and isolated)."""

import os
import resource
from datetime import date, datetime, timedelta

import pytest
from conftest import ROOT

from odoo.addons.crm_invoices_efactura.lib import (
    anaf_client,
    cius_ro,
    deadline,
    rule_help,
    spv_schedule,
    validation,
)


def _load_stub():
    """The stand-in for ANAF, by path (its package's __init__ imports Odoo)."""
    import importlib.util  # noqa: PLC0415

    path = ROOT / "crm_invoices_efactura" / "tests" / "anaf_stub.py"
    spec = importlib.util.spec_from_file_location("anaf_stub", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.AnafStub


AnafStub = _load_stub()


def artifacts():
    folder = os.environ.get("CRM_EFACTURA_ARTIFACTS") or str(
        ROOT.parent / "shared" / "efactura"
    )
    assert not validation.missing_artifacts(folder), (
        f"ANAF's validation files are missing under {folder} "
        "(set CRM_EFACTURA_ARTIFACTS)"
    )
    return folder


GOLDEN = ROOT / "crm_invoices_efactura" / "tests" / "golden"


# ---------------------------------------------------------------- taxes


@pytest.mark.parametrize(
    ("amount", "category", "code", "expected"),
    [
        (19, None, None, ("S", None)),
        (0, "Z", None, ("Z", None)),
        (0, "AE", "VATEX_EU_AE", ("AE", "VATEX-EU-AE")),
        (0, "AE", None, ("AE", "VATEX-EU-AE")),
        (0, "K", "VATEX_EU_IC", ("K", "VATEX-EU-IC")),
        (0, "G", None, ("G", "VATEX-EU-G")),
        (0, "O", "VATEX_EU_O", ("O", "VATEX-EU-O")),
        (0, "E", "VATEX-EU-132", ("E", "VATEX-EU-132")),
    ],
)
def test_tax_categories_and_vatex_codes(amount, category, code, expected):
    result = cius_ro.tax_category(amount, category, code)
    assert (result["category"], result["exemption_code"]) == expected
    if expected[0] in cius_ro.EXEMPT_CATEGORIES:
        assert result["exemption_text"]
        assert len(result["exemption_text"]) <= 100


def test_tax_categories_refused():
    for args, code in (
        ((0, None), "tax_category_missing"),
        ((0, "S"), "tax_category_rate"),
        ((19, "Z"), "tax_category_rate"),
        ((0, "E"), "tax_exemption_reason_missing"),
    ):
        with pytest.raises(cius_ro.CiusRoError) as caught:
            cius_ro.tax_category(*args)
        assert caught.value.code == code
    exempt = cius_ro.tax_category(0, "E", None, "Scutit (art. 292 Codul fiscal)")
    assert exempt["exemption_text"] == "Scutit (art. 292 Codul fiscal)"


# ---------------------------------------------------------------- texts


def test_item_texts_keep_every_word_within_anafs_lengths():
    label = " ".join(f"cuvant{i}" for i in range(55))  # about 500 characters
    texts = cius_ro.item_texts("", label)
    assert len(texts["name"]) <= 100
    assert len(texts["description"]) <= 200
    assert len(texts["note"] or "") <= 300
    rebuilt = " ".join(
        part for part in (texts["name"], texts["description"], texts["note"]) if part
    )
    assert rebuilt.split() == label.split()


def test_item_texts_prefer_the_product_name():
    texts = cius_ro.item_texts("Consultanta", "Consultanta fiscala luna noiembrie")
    assert texts == {
        "name": "Consultanta",
        "description": "Consultanta fiscala luna noiembrie",
        "note": None,
    }
    assert cius_ro.item_texts("Same", "Same")["description"] is None
    with pytest.raises(cius_ro.CiusRoError):
        cius_ro.item_texts("", "x" * 601)
    assert cius_ro.clean_text("a\tb\n\x00c  d") == "a b c d"


def test_the_room_left_counts_the_name_the_product_took():
    """The product's name fills the item's name: the label has the
    description and the note, 500 characters, and the message says so."""
    with pytest.raises(cius_ro.CiusRoError) as caught:
        cius_ro.item_texts("Consultanta", "y" * 599)
    assert caught.value.values == {"limit": 500, "length": 599}
    with pytest.raises(cius_ro.CiusRoError) as caught:
        cius_ro.item_texts("", "y" * 601)
    assert caught.value.values["limit"] == 600


# ---------------------------------------------------------------- addresses


@pytest.mark.parametrize(
    ("country", "state", "expected"),
    [
        ("RO", "B", "RO-B"),
        ("RO", "CJ", "RO-CJ"),
        ("DE", "DE-BY", "DE-BY"),
        ("DE", "BY", "DE-BY"),
        ("US", None, None),
    ],
)
def test_region_codes(country, state, expected):
    assert cius_ro.region_code(country, state) == expected


@pytest.mark.parametrize(
    ("city", "sector"),
    [
        ("Sector 1", "SECTOR1"),
        ("sectorul 3", "SECTOR3"),
        ("București, Sectorul 6", "SECTOR6"),
        ("Bucuresti S2", "SECTOR2"),
        ("SECTOR4", "SECTOR4"),
        ("Sect. 5", None),
        ("Bucuresti", None),
        ("Sector 7", None),
    ],
)
def test_bucharest_sectors(city, sector):
    assert cius_ro.bucharest_sector(city) == sector


def test_city_names():
    assert cius_ro.city_name("RO", "B", "sectorul 2") == "SECTOR2"
    assert cius_ro.city_name("RO", "CJ", "  Cluj-Napoca ") == "Cluj-Napoca"
    with pytest.raises(cius_ro.CiusRoError):
        cius_ro.city_name("RO", "B", "București")


def test_phone_numbers():
    assert cius_ro.phone_number("0744 123 456", "RO") == "+40 744 123 456"
    assert cius_ro.phone_number("021.123.45.67", "RO") == "+40 21 123 4567"
    assert cius_ro.phone_number("+49 89 1234567", "RO") == "+49 89 1234567"
    assert cius_ro.phone_number("call me", "RO") == "call me"
    assert cius_ro.phone_number("", "RO") is None


# ---------------------------------------------------------------- identifiers


def test_buyer_identifiers():
    assert cius_ro.buyer_identifiers("RO", "RO14399840", "", True) == {
        "vat": "RO14399840",
        "legal_id": "14399840",
        "kind": "vat_payer",
    }
    assert cius_ro.buyer_identifiers("RO", "14399840", "", True)["kind"] == "cui"
    assert (
        cius_ro.buyer_identifiers("RO", "", "14399840", True)["legal_id"] == "14399840"
    )
    assert (
        cius_ro.buyer_identifiers("RO", "", "1800101221144", False)["kind"] == "person"
    )
    assert cius_ro.buyer_identifiers("RO", "", "", False)["legal_id"] == "0000000000000"
    assert (
        cius_ro.buyer_identifiers("DE", "DE811907980", "", True)["vat"] == "DE811907980"
    )
    with pytest.raises(cius_ro.CiusRoError):
        cius_ro.buyer_identifiers(
            "RO", "RO14399841", "J40/1/2020", True
        )  # bad check digit


def test_seller_identifiers():
    assert cius_ro.seller_identifiers("RO18547290", "J40/1/2020") == {
        "vat": "RO18547290",
        "legal_id": "18547290",
    }
    assert cius_ro.seller_identifiers("", "18547290") == {
        "vat": None,
        "legal_id": "18547290",
    }
    with pytest.raises(cius_ro.CiusRoError):
        cius_ro.seller_identifiers("", "J40/1/2020")


def test_unit_prices_are_rounded():
    assert str(cius_ro.unit_price(100, 3, 2)) == "33.33"
    assert str(cius_ro.unit_price(6.60 / 0.85, 7, 2)) == "1.11"
    assert str(cius_ro.unit_price(1, 3, 4)) == "0.3333"
    assert cius_ro.unit_price(5, 0, 2) == 0


# ---------------------------------------------------------------- deadline


@pytest.mark.parametrize(
    ("issued", "last_day"),
    [
        (date(2026, 11, 25), date(2026, 12, 4)),  # 30 Nov, 1 Dec are holidays
        (date(2026, 11, 20), date(2026, 11, 27)),
        (date(2026, 12, 23), date(2026, 12, 31)),  # Christmas
        (date(2026, 4, 9), date(2026, 4, 20)),  # Orthodox Easter 2026
        (date(2027, 1, 1), date(2027, 1, 12)),  # 1 (and 2), 6, 7 January
    ],
)
def test_deadline_counts_working_days(issued, last_day):
    assert deadline.deadline(issued) == last_day


def test_urgency_and_its_domain_are_one_rule():
    today = date(2026, 11, 25)
    cases = {
        date(2026, 11, 24): "late",
        today: "today",
        date(2026, 11, 27): "soon",
        date(2026, 12, 10): "ok",
    }
    from odoo.addons.crm_invoices.lib import domain_rule  # noqa: PLC0415

    for day, level in cases.items():
        assert deadline.urgency(day, today, "to_send") == level
        assert deadline.urgency(day, today, "accepted") is None
        for other in ("late", "today", "soon", "ok"):
            values = {"crm_efactura_deadline": day, "crm_efactura_state": "error"}
            matched = domain_rule.matches(deadline.urgency_domain(other, today), values)
            assert matched == (other == level), (day, other)
        reported = {"crm_efactura_deadline": day, "crm_efactura_state": "sent"}
        assert not domain_rule.matches(deadline.urgency_domain(level, today), reported)


# ---------------------------------------------------------------- schedule, help


def test_status_backoff_and_settle_time():
    now = datetime(2026, 11, 25, 12)
    delays = [spv_schedule.next_status_check(now, n) - now for n in range(12)]
    assert delays == sorted(delays)
    assert delays[0] == timedelta(minutes=1)
    assert delays[-1] == timedelta(hours=6)
    assert not spv_schedule.may_upload_again(now - timedelta(hours=1), now, False)
    assert not spv_schedule.may_upload_again(now - timedelta(hours=7), now, False)
    assert spv_schedule.may_upload_again(now - timedelta(hours=49), now, False)
    assert not spv_schedule.may_upload_again(now - timedelta(hours=49), now, True)
    assert spv_schedule.answers_upload("FACTURA TRIMISA")
    assert spv_schedule.answers_upload("ERORI FACTURA")
    assert not spv_schedule.answers_upload("FACTURA PRIMITA")


def test_rule_help_names_the_fields_of_a_rule():
    text = "[BR-RO-100]-Daca Codul tarii (BT-55) ... Localitatea (BT-52) (BT-52)"
    assert rule_help.terms_of(text) == ["BT-55", "BT-52"]
    assert [term for term, _what, _where in rule_help.explain(text)] == [
        "BT-55",
        "BT-52",
    ]
    assert rule_help.explain("no terms") == []


# ---------------------------------------------------------------- validation


@pytest.fixture(scope="module")
def validator():
    return validation.validator_for(artifacts(), isolated=False)


def test_golden_files_pass_and_broken_ones_fail(validator):
    goldens = sorted(GOLDEN.glob("*.xml"))
    assert len(goldens) >= 12
    for path in goldens:
        findings = validator.validate(path.read_bytes())
        assert not [f for f in findings if f.is_error], (path.name, findings)
    broken = (
        (GOLDEN / "reverse_charge.xml")
        .read_bytes()
        .replace(b"VATEX-EU-AE", b"VATEX_EU_AE")
    )
    assert "BR-CL-22" in {f.rule for f in validator.validate(broken) if f.is_error}
    no_city = (GOLDEN / "bucharest.xml").read_bytes().replace(b"SECTOR2", b"Bucuresti")
    assert {f.rule for f in validator.validate(no_city) if f.is_error} & {
        "BR-RO-100",
        "BR-RO-101",
    }


def test_bad_documents_are_one_clear_error(validator):
    for document in (
        b"not xml",
        b"<foo/>",
        b"<?xml version='1.0'?>"
        b"<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'/>",
    ):
        findings = validator.validate(document)
        assert findings and all(f.layer == "xsd" and f.is_error for f in findings), (
            findings
        )


def test_missing_files_say_so():
    with pytest.raises(validation.ArtifactsMissing) as caught:
        validation.validator_for("/nonexistent")
    assert caught.value.missing == list(validation.ARTIFACTS.values())
    with pytest.raises(validation.ArtifactsMissing):
        validation.validator_for("")


def test_isolated_validator_under_an_address_space_limit(tmp_path):
    """What Odoo's limit_memory_hard does to a worker: the validator still
    works, in a helper process."""
    script = tmp_path / "limited.py"
    script.write_text(
        "import resource, sys\n"
        f"sys.path.insert(0, {str(ROOT / 'tests')!r})\n"
        "import conftest\n"
        "limit = 2560 * 1024 * 1024\n"
        "resource.setrlimit(resource.RLIMIT_AS, (limit, resource.RLIM_INFINITY))\n"
        "from odoo.addons.crm_invoices_efactura.lib import validation\n"
        f"v = validation.validator_for({artifacts()!r})\n"
        "assert isinstance(v, validation.IsolatedValidator), v\n"
        f"data = open({str(GOLDEN / 'credit_note.xml')!r}, 'rb').read()\n"
        "assert not [f for f in v.validate(data) if f.is_error]\n"
        "assert [f for f in v.validate(b'bad') if f.is_error]\n"
        "v._process.kill(); v._process.wait()\n"
        "assert not [f for f in v.validate(data) if f.is_error]  # restarted\n"
        "v.close()\n"
        "print('ok')\n"
    )
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415

    done = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.stdout.strip().endswith("ok"), done.stderr[-2000:]
    assert resource.getrlimit(resource.RLIMIT_AS)[0] == resource.RLIM_INFINITY


# ---------------------------------------------------------------- ANAF client


@pytest.fixture
def stub():
    server = AnafStub(page_size=2).start()
    yield server
    server.stop()


def client_of(stub, token="good-token", timeout=5):
    return anaf_client.AnafClient(stub.rest_url, token, timeout=timeout)


def invoice_xml(number):
    return (
        (GOLDEN / "reverse_charge.xml")
        .read_bytes()
        .replace(b"INV/2026/00002", number.encode())
    )


def test_upload_status_download(stub):
    client = client_of(stub)
    index = client.upload(invoice_xml("INV/1"), "18547290")
    assert index.isdigit()
    stub.states[index] = ["in prelucrare", "ok"]
    assert client.status(index).state == "processing"
    status = client.status(index)
    assert status.state == "accepted" and status.download_id
    answer = client.download(status.download_id)
    assert answer.invoice_id == "INV/1"
    assert answer.signature == f"SIG{index}" and answer.errors == []


def test_rejected_and_xml_errors(stub):
    client = client_of(stub)
    index = client.upload(invoice_xml("INV/2"), "18547290", credit_note=True, b2c=True)
    assert stub.uploads[-1]["standard"] == "CN" and stub.uploads[-1]["b2c"]
    stub.states[index] = ["nok"]
    status = client.status(index)
    assert status.state == "rejected"
    answer = client.download(status.download_id)
    assert any("BR-RO-065" in error for error in answer.errors)
    stub.states[index] = ["XML cu erori nepreluat de sistem"]
    status = client.status(index)
    assert status.state == "xml_errors"
    assert status.errors == ["XML cu erori nepreluat de sistem"]  # ANAF's reason
    with pytest.raises(anaf_client.AnafError) as caught:
        client.status("999")
    assert caught.value.kind == "not_found"  # a dead index: final


@pytest.mark.parametrize(
    "call",
    [
        lambda client, index: client.status(index),
        lambda client, index: client.download(str(int(index) + 1000000000)),
        lambda client, index: client.messages("18547290", 0, 1),
        lambda client, index: client.upload(invoice_xml("INV/9"), "18547290"),
    ],
)
def test_daily_limits_as_anaf_words_them(stub, call):
    client = client_of(stub)
    index = client.upload(invoice_xml("INV/8"), "18547290")
    for endpoint in ("stareMesaj", "descarcare", "listaMesajePaginatieFactura"):
        stub.plan[endpoint] = [{"limit": True}]
    stub.plan["upload"] = [{"limit": True}]
    with pytest.raises(anaf_client.AnafError) as caught:
        call(client, index)
    assert caught.value.kind == "daily_limit" and caught.value.pauses
    assert "in cursul zilei" in caught.value.message


def test_buyers_outside_romania_are_uploaded_extern(stub):
    client = client_of(stub)
    client.upload(invoice_xml("INV/10"), "18547290", extern=True)
    client.upload(invoice_xml("INV/11"), "18547290")
    assert [upload["extern"] for upload in stub.uploads] == ["DA", None]


def test_pauses_last_until_the_limit_resets():
    now = datetime(2026, 11, 25, 21, 30)  # 23:30 in Bucharest (UTC+2)
    assert spv_schedule.pause_until(now, "rate_limit") == now + timedelta(minutes=1)
    assert spv_schedule.pause_until(now, "daily_limit") == datetime(2026, 11, 25, 22, 1)
    summer = datetime(2026, 7, 1, 8)  # UTC+3
    assert spv_schedule.pause_until(summer, "daily_limit") == datetime(
        2026, 7, 1, 21, 1
    )
    assert spv_schedule.pause_until(now, "auth") == now + timedelta(hours=1)


def test_the_message_list_is_never_asked_past_60_days():
    now = datetime(2026, 11, 25, 12)
    start, end = spv_schedule.recovery_window(now - timedelta(days=90), now)
    assert end == now and now - start < timedelta(days=60)
    assert spv_schedule.beyond_list(now - timedelta(days=61), now)
    assert not spv_schedule.beyond_list(now - timedelta(days=3), now)


@pytest.mark.parametrize(
    ("plan", "kind", "recorded"),
    [
        ({"status": 401}, "auth", False),
        ({"status": 429}, "rate_limit", False),
        ({"status": 500}, "server", True),
        ({"status": 502, "drop": True}, "server", False),
        ({"error": "Fisier invalid"}, "rejected", False),
    ],
)
def test_upload_failures_say_what_may_be_done(stub, plan, kind, recorded):
    stub.plan["upload"] = [plan]
    with pytest.raises(anaf_client.AnafError) as caught:
        client_of(stub).upload(invoice_xml("INV/3"), "18547290")
    assert caught.value.kind == kind
    assert caught.value.unknown_outcome == (kind in ("server", "unreachable"))
    assert bool(stub.uploads) == recorded


def test_timeout_is_an_unknown_outcome(stub):
    stub.plan["upload"] = [{"delay": 1.5}]
    with pytest.raises(anaf_client.AnafError) as caught:
        client_of(stub, timeout=0.3).upload(invoice_xml("INV/4"), "18547290")
    assert caught.value.kind == "unreachable" and caught.value.unknown_outcome
    assert stub.uploaded_ids() == ["INV/4"]  # it arrived: only the message list tells


def test_bad_token_and_unreachable():
    with pytest.raises(anaf_client.AnafError) as caught:
        anaf_client.AnafClient("http://127.0.0.1:9", "x", timeout=1).status("1")
    assert caught.value.kind == "unreachable"


def test_message_list_every_page(stub):
    client = client_of(stub)
    start = datetime.now().timestamp() * 1000 - 60000
    indexes = [client.upload(invoice_xml(f"INV/{n}"), "18547290") for n in range(5)]
    stub.states[indexes[0]] = ["in prelucrare"]  # not listed until processed
    end = datetime.now().timestamp() * 1000 + 60000
    messages = client.messages("18547290", start, end)
    assert sorted(m.upload_index for m in messages) == sorted(indexes[1:])
    assert {m.kind for m in messages} == {"FACTURA TRIMISA"}
    assert client.messages("99999999", start, end) == []
    assert (
        stub.count("listaMesajePaginatieFactura") >= 3 + 1
    )  # 3 pages, then the empty list


def test_answers_that_are_not_what_anaf_documents(stub):
    stub.plan["stareMesaj"] = [{"status": 503}]
    with pytest.raises(anaf_client.AnafError) as caught:
        client_of(stub).status("1")
    assert caught.value.kind == "server"
    with pytest.raises(anaf_client.AnafError) as caught:
        anaf_client.parse_answer(b"PK-not-a-zip")
    assert caught.value.kind == "answer"
    assert anaf_client._error_text(b'{"message": "mesaj"}') == "mesaj"
    assert anaf_client._error_text(b'<r><e errorMessage="eroare"/></r>') == "eroare"


def test_the_authorization_lives_on_and_is_renewed_in_time():
    today = date(2026, 11, 25)
    assert not spv_schedule.needs_refresh(today, None)
    assert not spv_schedule.needs_refresh(today, today + timedelta(days=30))
    assert spv_schedule.needs_refresh(today, today + timedelta(days=7))
    assert spv_schedule.needs_refresh(today, today - timedelta(days=1))
    assert spv_schedule.expired(today, today - timedelta(days=1))
    assert not spv_schedule.expired(today, today)
    assert spv_schedule.renewal_due(today, today + timedelta(days=31)) is None
    assert spv_schedule.renewal_due(today, today + timedelta(days=30)) == 30
    assert spv_schedule.renewal_due(today, today - timedelta(days=2)) == -2
    assert spv_schedule.renewal_due(today, None) is None


# ---------------------------------------------------------------- states


def test_the_state_is_l10n_ro_edis_where_it_has_one():
    from odoo.addons.crm_invoices_efactura.lib import (
        efactura_states as s,  # noqa: PLC0415
    )

    assert s.invoice_state("invoice_sent", False) == "sent"
    assert s.invoice_state("invoice_validated", None) == "accepted"
    for step, _label in s.STEPS:
        assert s.invoice_state(False, step) == step
    assert s.invoice_state(False, False) is False
    keys = {key for key, _label in s.STATES}
    for subset in (s.REPORTED, s.AT_ANAF, s.QUEUED, s.TO_CORRECT, s.WAITING):
        assert set(subset) <= keys, subset
    assert set(s.SENDABLE) - {False} <= keys
    # what ANAF has is never what is sent again, nor what a reset forgets
    assert not set(s.AT_ANAF) & set(s.SENDABLE)
    assert not set(s.AT_ANAF) & set(s.CLEARED_BY_RESET)
