"""The report's header and footer kept in the page for an unpatched wkhtmltopdf."""

from lxml import html as lxml_html

from odoo.addons.crm_invoices.lib import report_layout

REPORT = """<!DOCTYPE html><html><head><title>r</title></head><body><main>
<div class="header o_company_1_layout">
  <p>Acme SRL, Strada Lunga 1, RO123</p>
</div>
<div class="article o_report_layout_standard"
     data-oe-model="account.move" data-oe-id="7">
  <h2>INV/2026/00007</h2>
</div>
<div class="footer o_company_1_layout"><div class="o_footer_content">
  <div>IBAN RO49AAAA1B31007593840000</div>
  <div class="text-end"><div>INV/2026/00007</div>
    <div>Pagina <span class="page"></span> / <span class="topage"></span></div>
  </div>
</div></div>
<div class="header o_company_1_layout"><p>Acme SRL header two</p></div>
<div class="article" data-oe-model="account.move" data-oe-id="8">
  <h2>INV/2026/00008</h2>
</div>
<div class="footer o_company_1_layout"><p>footer two</p></div>
</main></body></html>"""


def _articles(document):
    root = lxml_html.fromstring(document)
    return root, root.xpath("//div[contains(@class, 'article')]")


def test_version_output_tells_a_patched_build():
    assert report_layout.is_patched("wkhtmltopdf 0.12.6.1 (with patched qt)\n")
    assert not report_layout.is_patched("wkhtmltopdf 0.12.6\n")
    assert not report_layout.is_patched("")
    assert not report_layout.is_patched(None)


def test_each_article_carries_its_own_header_and_footer():
    root, articles = _articles(report_layout.inline_header_footer(REPORT))
    assert len(articles) == 2
    first, second = articles
    assert first[0].get("class").split()[0] == report_layout.INLINE_HEADER
    assert "Strada Lunga 1" in first[0].text_content()
    assert first[-1].get("class").split()[0] == report_layout.INLINE_FOOTER
    assert "RO49AAAA1B31007593840000" in first[-1].text_content()
    assert "header two" in second[0].text_content()
    assert "footer two" in second[-1].text_content()
    # nothing left for Odoo to cut out of the page
    classes = " ".join(div.get("class", "") for div in root.iter("div")).split()
    assert "header" not in classes and "footer" not in classes


def test_page_numbers_that_only_wkhtmltopdf_fills_are_dropped():
    _root, (first, _second) = _articles(report_layout.inline_header_footer(REPORT))
    footer = first[-1].text_content()
    assert "Pagina" not in footer
    assert "INV/2026/00007" in footer  # the document's name stays


def test_str_and_bytes_and_a_document_without_layout():
    assert report_layout.inline_header_footer(
        REPORT
    ) == report_layout.inline_header_footer(REPORT.encode())
    plain = "<html><body><main><p>Só text ăîșț</p></main></body></html>"
    out = report_layout.inline_header_footer(plain).decode()
    assert "Só text ăîșț" in out


def test_entities_and_network_are_not_resolved():
    hostile = (
        '<!DOCTYPE html [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        "<html><body><div class='article'>&x;</div></body></html>"
    )
    assert b"root:" not in report_layout.inline_header_footer(hostile)


def test_system_fonts_are_declared_in_the_head():
    body = (
        "<html><head><link rel='stylesheet' href='/x.css'/></head><body>x</body></html>"
    )
    out = report_layout.with_system_fonts(body)
    assert out.index("DejaVu Sans") < out.index("</head>")
    assert out.index("/x.css") < out.index("DejaVu Sans"), "after the web fonts"
    assert report_layout.with_system_fonts("<p>x</p>").startswith("<style>")
