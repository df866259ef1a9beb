"""A bank's spreadsheet (XLSX) checked before it is read.

An XLSX file is a ZIP of XML parts: 87 KB can expand to hundreds of MB (a
"zip bomb"), and its parts can declare entities.  :func:`check_xlsx` refuses
a workbook whose parts expand past :data:`MAX_EXPANDED` bytes or
:data:`MAX_RATIO` times their compressed size, and reads each XML part with
``crm_invoices``' safe parser (no DTD, no entity), before the spreadsheet
reader sees it.
"""

import io
import zipfile

from odoo.addons.crm_invoices.lib import safe_xml

#: What a bank statement workbook may expand to, in bytes (a 5,000-line
#: statement is about 2 MB of XML).
MAX_EXPANDED = 40 * 1024 * 1024
#: How many times its compressed size one part may expand to.
MAX_RATIO = 200


class SheetRefused(ValueError):
    """The workbook was refused; ``str(error)`` says why, for a person."""


def is_zip(data):
    return isinstance(data, bytes | bytearray) and bytes(data[:4]) == b"PK\x03\x04"


def check_zip(data):
    """Refuse (:class:`SheetRefused`) a ZIP ``data`` (an XLSX, a ZIP of
    statements) whose files expand too far; return its archive, or ``None``
    for any other file."""
    if not is_zip(data):
        return None
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise SheetRefused(
            f"The file is not a valid ZIP or XLSX file: {error}"
        ) from None
    parts = archive.infolist()
    expanded = sum(part.file_size for part in parts)
    if expanded > MAX_EXPANDED:
        raise SheetRefused(
            f"The file expands to {expanded // (1024 * 1024)} MB, past "
            f"the limit of {MAX_EXPANDED // (1024 * 1024)} MB for a statement."
        )
    for part in parts:
        if part.file_size > MAX_RATIO * max(part.compress_size, 1024):
            raise SheetRefused(
                f"The file's part {part.filename} expands "
                f"{part.file_size // max(part.compress_size, 1)} times: refused."
            )
    return archive


def check_xlsx(data):
    """Refuse (:class:`SheetRefused`) an XLSX ``data`` unsafe to read: too
    large once expanded, or with a part that declares entities.  Any other
    file passes untouched."""
    archive = check_zip(data)
    if archive is None:
        return
    with archive:
        for part in archive.infolist():
            if not part.filename.endswith((".xml", ".rels")):
                continue
            try:
                safe_xml.parse(archive.read(part), what=f"part {part.filename}")
            except safe_xml.UnsafeXmlError as error:
                raise SheetRefused(f"The spreadsheet is refused: {error}") from None
            except (zipfile.BadZipFile, EOFError) as error:
                raise SheetRefused(
                    f"The spreadsheet is damaged ({part.filename}): {error}"
                ) from None
