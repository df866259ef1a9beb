"""The one parser for XML that comes from outside: bank files, ANAF's
answers and ZIPs, uploaded validation inputs.

A document is read whole or not at all: no DTD (so no entity, internal or
external, and no "billion laughs"), no network, no recovery from syntax
errors (a truncated file is an error, not the entries before the cut), and a
size and depth the parser refuses past.  Every refusal is a
:class:`UnsafeXmlError` whose message names what and where, for a person.
"""

from lxml import etree

#: Bytes past which a document is refused before it is parsed.
MAX_BYTES = 64 * 1024 * 1024


class UnsafeXmlError(ValueError):
    """The document was refused: ``str(error)`` says why, for a person."""


def _parser():
    # A new parser per call: lxml parsers are not thread-safe.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        recover=False,
        remove_pis=True,
    )


def looks_like_xml(data):
    """Whether ``data`` (bytes) starts like an XML document (after a BOM and
    white space): the test import code uses to choose a format."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    head = data[:512].lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n")
    return head.startswith(b"<")


def parse(data, what="XML document"):
    """The root element of ``data`` (bytes or str), or :class:`UnsafeXmlError`.

    ``what`` names the document in the message ("bank statement")."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if not isinstance(data, bytes | bytearray):
        raise UnsafeXmlError(f"The {what} is not a file's content.")
    if len(data) > MAX_BYTES:
        raise UnsafeXmlError(
            f"The {what} is larger than {MAX_BYTES // (1024 * 1024)} MiB."
        )
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        raise UnsafeXmlError(
            f"The {what} declares a DTD or entities, which are refused "
            "(they can read files of the server or exhaust its memory)."
        )
    try:
        root = etree.fromstring(bytes(data), parser=_parser())
    except etree.XMLSyntaxError as error:
        line = getattr(error, "lineno", None) or (error.position or (None,))[0]
        where = f" at line {line}" if line else ""
        raise UnsafeXmlError(
            f"The {what} is not well-formed XML{where}: {error.msg or error}"
        ) from None
    if root is None:
        raise UnsafeXmlError(f"The {what} is empty.")
    for node in root.iter():
        if isinstance(node, etree._Entity):  # pylint: disable=protected-access
            raise UnsafeXmlError(f"The {what} uses entities, which are refused.")
    return root


def clean_bytes(root):
    """``root`` serialized again: a document with no DTD and no entity, safe
    to hand to a parser of someone else's that we cannot configure."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
