"""Keep a report's header and footer when wkhtmltopdf cannot print them apart.

Odoo cuts the ``div.header`` and ``div.footer`` of a rendered report out of
the page and hands them to wkhtmltopdf as ``--header-html`` and
``--footer-html``.  Only a wkhtmltopdf built on its patched Qt honours those
switches; the one Linux distributions ship ignores them ("not supported using
unpatched qt"), and the printed invoice loses the company's name, address,
VAT number and bank account — what makes it a legal invoice.

For such a binary, :func:`inline_header_footer` moves each document's header
to the top of its ``div.article`` and its footer to the bottom, under class
names Odoo does not cut out, so they print as part of the page.  Page numbers
("Page 1 / 2") need the header/footer mechanism and are dropped.

The same binary draws text set in a web font (``@font-face``: Odoo's report
fonts, Lato by default) as shapes: the PDF has no text layer, so nothing in
it can be searched or copied.  :func:`with_system_fonts` makes the pages use
the machine's installed fonts, which it embeds as text.
"""

import re

from lxml import etree
from lxml import html as lxml_html

PATCHED_MARK = "with patched qt"
INLINE_HEADER = "crm_inline_header"
INLINE_FOOTER = "crm_inline_footer"
_CLASS_XPATH = "//div[contains(concat(' ', normalize-space(@class), ' '), ' {} ')]"


SYSTEM_FONT_CSS = (
    "<style>body, body * { font-family: 'DejaVu Sans', 'Liberation Sans', "
    "Arial, Helvetica, sans-serif !important; }</style>"
)


def with_system_fonts(body):
    """The HTML document ``body`` (str) set in installed fonts, not web fonts."""
    head_end = body.find("</head>")
    if head_end < 0:
        return SYSTEM_FONT_CSS + body
    return body[:head_end] + SYSTEM_FONT_CSS + body[head_end:]


def is_patched(version_output):
    """Whether ``wkhtmltopdf --version``'s output names a patched Qt build."""
    return PATCHED_MARK in (version_output or "").lower()


def _has_class(node, name):
    return name in (node.get("class") or "").split()


def _rename_class(node, old, new):
    classes = [new if c == old else c for c in (node.get("class") or "").split()]
    node.set("class", " ".join(classes))


def _drop_page_numbers(node):
    """Remove what only wkhtmltopdf's header pass fills (``span.page``...):
    the whole "Page <page/> / <topage/>" line, or the lone spans."""
    spans = node.xpath(
        ".//span[contains(concat(' ', normalize-space(@class), ' '), ' page ')"
        " or contains(concat(' ', normalize-space(@class), ' '), ' topage ')]"
    )
    for span in spans:
        holder = span.getparent()
        if holder is None or holder.getparent() is None:
            continue  # already gone with its line
        # "Page", "Pagina", "Seite"...: a line with one short word is the
        # page number's; a longer one keeps its text.
        if len(re.sub(r"[\s/]", "", holder.text_content())) <= 12:
            holder.getparent().remove(holder)
        else:
            span.drop_tree()


def _nearest_sibling(article, cls, forward):
    siblings = (
        article.itersiblings() if forward else article.itersiblings(preceding=True)
    )
    for sibling in siblings:
        if not isinstance(sibling.tag, str):
            continue
        if _has_class(sibling, cls):
            return sibling
        if _has_class(sibling, "article"):
            return None
    return None


def inline_header_footer(document):
    """The report ``document`` (bytes or str) with headers and footers inside
    their articles; returned as UTF-8 bytes.  A document without articles,
    headers or footers comes back unchanged in content."""
    if isinstance(document, str):
        document = document.encode("utf-8")
    root = lxml_html.fromstring(
        document, parser=lxml_html.HTMLParser(encoding="utf-8", no_network=True)
    )
    articles = root.xpath(_CLASS_XPATH.format("article"))
    headers = root.xpath(_CLASS_XPATH.format("header"))
    footers = root.xpath(_CLASS_XPATH.format("footer"))
    for index, article in enumerate(articles):
        header = _nearest_sibling(article, "header", forward=False)
        footer = _nearest_sibling(article, "footer", forward=True)
        # Layouts that do not keep them side by side: pair them in order.
        if header is None and len(headers) == len(articles):
            header = headers[index]
        if footer is None and len(footers) == len(articles):
            footer = footers[index]
        if header is not None and header.getparent() is not None:
            header.getparent().remove(header)
            _rename_class(header, "header", INLINE_HEADER)
            article.insert(0, header)
        if footer is not None and footer.getparent() is not None:
            footer.getparent().remove(footer)
            _rename_class(footer, "footer", INLINE_FOOTER)
            _drop_page_numbers(footer)
            article.append(footer)
    return etree.tostring(
        root, encoding="utf-8", method="html", doctype="<!DOCTYPE html>"
    )
