"""The one small client of ANAF's e-Factura web service (SPV).

Every call has a timeout and goes through :meth:`AnafClient._call`; every
answer is parsed into plain values or raises an :class:`AnafError` whose
``kind`` says what the caller may do:

- ``auth``: the token is refused (401/403): nothing was done, fix the token;
- ``rate_limit``: ANAF's per-minute call limit (429): nothing was done, try
  in a minute;
- ``daily_limit``: a daily limit of ANAF's ("S-au facut deja ... in cursul
  zilei", "limita de apeluri"): nothing was done, that kind of call waits
  for the next day;
- ``not_found``: ANAF knows no upload with this index ("Nu exista factura cu
  id_incarcare="): final, a person decides;
- ``rejected``: ANAF refused the request itself (400, ``ExecutionStatus``
  1): nothing was done, the message says why;
- ``server`` (5xx) and ``unreachable`` (timeout, connection): **unknown**:
  an upload may or may not have arrived;
- ``answer``: an answer that is not what the documentation describes.

Endpoints (``<base>`` is ``https://api.anaf.ro/prod/FCTEL/rest`` or
``.../test/FCTEL/rest``): ``upload`` / ``uploadb2c``, ``stareMesaj``,
``descarcare``, ``listaMesajePaginatieFactura``.
"""

import io
import json
import zipfile
from dataclasses import dataclass, field

import requests

from odoo.addons.crm_invoices.lib import safe_xml

PROD_URL = "https://api.anaf.ro/prod/FCTEL/rest"
TEST_URL = "https://api.anaf.ro/test/FCTEL/rest"
#: Seconds to wait for ANAF (to connect, then between bytes of its answer):
#: an upload answers in seconds; a minute without a byte is "lost".
TIMEOUT = 60
#: The largest answer read (a ZIP with the invoice and its signature).
MAX_ANSWER_BYTES = 20 * 1024 * 1024

NS_UPLOAD = "mfp:anaf:dgti:spv:respUploadFisier:v1"
NS_STATUS = "mfp:anaf:dgti:efactura:stareMesajFactura:v1"
NS_ERRORS = "mfp:anaf:dgti:efactura:mesajEroriFactuta:v1"
NS_DSIG = "http://www.w3.org/2000/09/xmldsig#"

#: ``stare`` of ``stareMesaj``, as ANAF writes it, and what it means here.
STATUS_STATES = {
    "ok": "accepted",
    "nok": "rejected",
    "in prelucrare": "processing",
    "XML cu erori nepreluat de sistem": "xml_errors",
}

#: What the files of one answer ZIP may expand to.
MAX_ANSWER_EXPANDED = 50 * 1024 * 1024


class AnafError(Exception):
    """A call that did not give the expected answer; see the module doc."""

    def __init__(self, kind, message, status=None):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.status = status

    @property
    def unknown_outcome(self):
        """Whether an upload may have arrived although this call failed."""
        return self.kind in ("server", "unreachable")

    @property
    def pauses(self):
        """Whether the company's calls must wait (token, call limits)."""
        return self.kind in ("auth", "rate_limit", "daily_limit")


def refusal(text, status=200):
    """The :class:`AnafError` of an error ANAF words in its answer (XML
    ``Errors``, JSON ``eroare``), by what it says."""
    folded = _fold(text)
    if "in cursul zilei" in folded or "limita" in folded or "prea multe" in folded:
        return AnafError("daily_limit", text, status)
    if "nu exista factura cu id_incarcare" in folded:
        return AnafError("not_found", text, status)
    return AnafError("rejected", text, status)


def _fold(text):
    """Lower case, without Romanian diacritics (ANAF writes both)."""
    table = str.maketrans("ăâîșşțţ", "aaisstt")
    return (text or "").lower().translate(table)


@dataclass
class Status:
    state: str  # accepted, rejected, processing, xml_errors
    download_id: str | None = None
    errors: list = field(default_factory=list)  # ANAF's words, its state's too


@dataclass
class Answer:
    """What ``descarcare`` gives for an upload: the ZIP itself, ANAF's
    verdict in it, and the signature's values."""

    raw: bytes
    files: dict  # name -> bytes
    errors: list
    invoice_id: str | None  # cbc:ID of the invoice in the ZIP, if any
    signature: str | None
    certificate: str | None
    upload_index: str | None = None  # Index_incarcare of an error answer


@dataclass
class Message:
    """One entry of ANAF's message list."""

    id: str
    upload_index: str  # id_solicitare: the index of the upload it answers
    kind: str  # tip: FACTURA TRIMISA, ERORI FACTURA, FACTURA PRIMITA...
    created: str  # data_creare, YYYYMMDDHHMM
    details: str
    cif: str


class AnafClient:
    def __init__(self, base_url, token, session=None, timeout=TIMEOUT):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.session = session or requests.Session()
        self.timeout = timeout

    # ------------------------------------------------------------------ calls

    def _call(self, method, endpoint, params=None, data=None):
        headers = {"Authorization": f"Bearer {self.token}"}
        if data is not None:
            headers["Content-Type"] = "text/plain"
        try:
            response = self.session.request(
                method,
                f"{self.base_url}/{endpoint}",
                params=params,
                data=data,
                headers=headers,
                timeout=self.timeout,
                stream=True,
            )
            try:
                content = response.raw.read(MAX_ANSWER_BYTES + 1, decode_content=True)
            finally:
                response.close()
        except requests.Timeout as error:
            raise AnafError(
                "unreachable", f"ANAF did not answer in time ({error})"
            ) from error
        except requests.RequestException as error:
            raise AnafError(
                "unreachable", f"ANAF could not be reached ({error})"
            ) from error
        if len(content) > MAX_ANSWER_BYTES:
            raise AnafError(
                "answer", "ANAF's answer is too large", response.status_code
            )
        status = response.status_code
        if status in (401, 403):
            raise AnafError("auth", f"ANAF refused the token (HTTP {status})", status)
        if status == 429:
            raise AnafError("rate_limit", "ANAF's call limit was reached", status)
        if status >= 500:
            raise AnafError("server", f"ANAF's service failed (HTTP {status})", status)
        if status == 400:
            raise refusal(_error_text(content) or "HTTP 400", status)
        if status == 204:
            raise AnafError("rate_limit", "ANAF answered with no content", status)
        if status != 200:
            raise AnafError("answer", f"unexpected HTTP {status}", status)
        return response, content

    def upload(self, xml, cif, credit_note=False, b2c=False, extern=False):
        """Upload an invoice; its upload index (``index_incarcare``).

        ``extern``: the buyer is not Romanian (ANAF's ``extern=DA``)."""
        params = {"standard": "CN" if credit_note else "UBL", "cif": cif}
        if extern:
            params["extern"] = "DA"
        _response, content = self._call(
            "POST", "uploadb2c" if b2c else "upload", params=params, data=xml
        )
        root = _xml(content)
        if root.get("ExecutionStatus") == "1":
            errors = [
                element.get("errorMessage", "")
                for element in root.iter(f"{{{NS_UPLOAD}}}Errors", "Errors")
            ]
            raise refusal("\n".join(errors) or "upload refused")
        index = root.get("index_incarcare")
        if not index or not index.isdigit():
            raise AnafError("answer", "no upload index in ANAF's answer", 200)
        return index

    def status(self, index):
        """The processing state of the upload ``index``."""
        _response, content = self._call(
            "GET", "stareMesaj", params={"id_incarcare": index}
        )
        root = _xml(content)
        errors = [
            element.get("errorMessage", "")
            for element in root.iter(f"{{{NS_STATUS}}}Errors", "Errors")
        ]
        stare = root.get("stare")
        if stare is None and errors:
            raise refusal("\n".join(errors))
        state = STATUS_STATES.get((stare or "").strip())
        if state is None:
            raise AnafError("answer", f"unknown state {stare!r}", 200)
        if state == "xml_errors" and not errors:
            errors = [stare.strip()]  # ANAF's only explanation: its state
        return Status(state, root.get("id_descarcare"), errors)

    def download(self, download_id):
        """ANAF's answer (ZIP) of a processed upload."""
        response, content = self._call("GET", "descarcare", params={"id": download_id})
        if content[:2] != b"PK":
            # ANAF answers errors about the request as JSON or XML, not ZIP
            raise refusal(_error_text(content) or "not a ZIP")
        return parse_answer(content)

    def messages(self, cif, start_ms, end_ms):
        """ANAF's messages for ``cif`` between two instants (milliseconds
        since the epoch), every page."""
        found = []
        page = 1
        while True:
            _response, content = self._call(
                "GET",
                "listaMesajePaginatieFactura",
                params={
                    "startTime": int(start_ms),
                    "endTime": int(end_ms),
                    "cif": cif,
                    "pagina": page,
                },
            )
            data = _json(content)
            if "eroare" in data:
                text = str(data["eroare"])
                if (
                    "nu exista mesaje" in text.lower()
                    or "nu există mesaje" in text.lower()
                ):
                    return found
                raise refusal(text)
            for item in data.get("mesaje") or []:
                found.append(
                    Message(
                        id=str(item.get("id", "")),
                        upload_index=str(item.get("id_solicitare", "")),
                        kind=str(item.get("tip", "")),
                        created=str(item.get("data_creare", "")),
                        details=str(item.get("detalii", "")),
                        cif=str(item.get("cif", "")),
                    )
                )
            pages = int(data.get("numar_total_pagini") or 1)
            if page >= pages:
                return found
            page += 1


def parse_answer(content):
    """The files of ANAF's answer ZIP and what they say."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        expanded = sum(info.file_size for info in archive.infolist())
        if expanded > MAX_ANSWER_EXPANDED:
            raise AnafError(
                "answer", f"ANAF's answer expands to {expanded} bytes: refused"
            )
        files = {name: archive.read(name) for name in archive.namelist()}
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise AnafError("answer", f"ANAF's answer is not a ZIP ({error})") from error
    errors, invoice_id, signature, certificate = [], None, None, None
    upload_index = None
    for name, data in files.items():
        if not safe_xml.looks_like_xml(data):
            continue
        try:
            root = safe_xml.parse(data, what=f"file {name} of ANAF's answer")
        except safe_xml.UnsafeXmlError as error:
            raise AnafError("answer", str(error)) from None
        if "semnatura" in name.lower():
            signature = root.findtext(f".//{{{NS_DSIG}}}SignatureValue")
            certificate = root.findtext(f".//{{{NS_DSIG}}}X509Certificate")
            continue
        errors += [
            element.get("errorMessage", "")
            for element in root.iter(f"{{{NS_ERRORS}}}Error")
        ]
        upload_index = upload_index or root.get("Index_incarcare")
        found = root.find(
            "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}ID"
        )
        if found is not None:
            invoice_id = found.text
    return Answer(
        content, files, errors, invoice_id, signature, certificate, upload_index
    )


def _xml(content):
    try:
        return safe_xml.parse(content, what="ANAF's answer")
    except safe_xml.UnsafeXmlError as error:
        raise AnafError("answer", f"ANAF's answer is refused: {error}") from None


def _json(content):
    try:
        data = json.loads(content)
    except ValueError as error:
        raise AnafError("answer", f"ANAF's answer is not JSON ({error})") from error
    if not isinstance(data, dict):
        raise AnafError("answer", "ANAF's answer is not a JSON object")
    return data


def _error_text(content):
    """The message of an error answer, whether JSON or XML or text."""
    text = content.decode("utf-8", "replace").strip()
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict):
        return str(data.get("message") or data.get("eroare") or data.get("error") or "")
    try:
        root = safe_xml.parse(content, what="ANAF's answer")
    except safe_xml.UnsafeXmlError:
        return text[:500]
    messages = [
        element.get("errorMessage")
        for element in root.iter()
        if element.get("errorMessage")
    ]
    return "\n".join(messages) or text[:500]
