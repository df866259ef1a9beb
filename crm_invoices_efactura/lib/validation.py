"""ANAF's verdict on an e-Factura XML, reproduced before it leaves.

ANAF checks a file in three layers: the UBL 2.1 schema (XSD), then its own
Schematron set (EN 16931 as copied by ANAF + the CIUS-RO rules), compiled to
XSLT 2.  This module runs the same layers on the official files (their folder
is a setting: they are third-party data, never shipped with the addon):

1. ``xsd``: ``ubl-2.1/xsd/maindoc/UBL-{Invoice,CreditNote}-2.1.xsd`` (lxml);
2. ``anaf``: ``cius-ro-1.0.9/EN16931-CIUS_RO-UBL-validation.xslt`` (saxonche):
   a ``failed-assert`` or ``successful-report`` flagged ``fatal``, or without
   a flag, is an error, as at ANAF;
3. ``cen``: ``en16931-1.3.16/EN16931-UBL-validation.xslt``, the current CEN
   rules, as warnings only (what ANAF will check once it catches up).

The stylesheets are compiled once per process and folder (about a second
each); a validation then takes milliseconds.  Saxon's processor is not used
from two threads at once (one lock per validator).

Saxon/C runs in a GraalVM isolate that reserves more address space than
Odoo's ``limit_memory_hard`` lets a server process have (RLIMIT_AS): inside
Odoo, :func:`validator_for` runs the validator in a helper process
(``validation_worker.py``, started once, with that limit lifted for itself
only) and talks to it through a pipe; elsewhere it runs in-process.
"""

import json
import os
import resource
import struct
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from odoo.addons.crm_invoices.lib import safe_xml

SVRL = "{http://purl.oclc.org/dsdl/svrl}"
INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"

#: The files of the official set this module reads, relative to its folder.
ARTIFACTS = {
    "xsd_invoice": "ubl-2.1/xsd/maindoc/UBL-Invoice-2.1.xsd",
    "xsd_credit_note": "ubl-2.1/xsd/maindoc/UBL-CreditNote-2.1.xsd",
    "anaf": "cius-ro-1.0.9/EN16931-CIUS_RO-UBL-validation.xslt",
    "cen": "en16931-1.3.16/EN16931-UBL-validation.xslt",
}


#: Saxon may open no file and no URL while it compiles or runs ANAF's
#: stylesheets: they are read here, from their folder, and handed over as text.
SAXON_ALLOWED_PROTOCOLS = "http://saxon.sf.net/feature/allowedProtocols"


def _schema_parser():
    # The schemas include their sibling files (xsd:include): no network, no
    # entity, no DTD.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        recover=False,
    )


def _stylesheet_text(folder, relative):
    """The stylesheet ``relative`` of ``folder``, read as text after checking
    that it lies inside the folder (no link out of it) and is plain XML."""
    root = os.path.realpath(folder)
    path = os.path.realpath(os.path.join(root, relative))
    if os.path.commonpath([root, path]) != root:
        raise ArtifactsMissing(folder, [relative])
    with open(path, "rb") as handle:
        data = handle.read()
    safe_xml.parse(data, what=f"stylesheet {relative}")
    return data.decode("utf-8")


class ArtifactsMissing(Exception):
    """The folder of the official files is not set, or lacks some of them."""

    def __init__(self, folder, missing):
        self.folder = folder
        self.missing = missing
        super().__init__(f"{folder}: missing {', '.join(missing) or 'folder'}")


@dataclass(frozen=True)
class Finding:
    """One verdict of one layer about one place of the document."""

    layer: str  # "xsd", "anaf" or "cen"
    rule: str  # "BR-RO-010", "BR-CL-22"... or "XSD"
    severity: str  # "error" or "warning"
    text: str  # the rule's own words (English, or Romanian for BR-RO-*)
    location: str  # where in the document (an XPath, or a line for XSD)

    @property
    def is_error(self):
        return self.severity == "error"


def missing_artifacts(folder):
    """The files of :data:`ARTIFACTS` missing under ``folder``."""
    if not folder or not os.path.isdir(folder):
        return list(ARTIFACTS.values())
    return [
        relative
        for relative in ARTIFACTS.values()
        if not os.path.isfile(os.path.join(folder, relative))
    ]


class Validator:
    """The three layers on the official files of one folder, compiled."""

    def __init__(self, folder):
        folder = str(folder or "")
        missing = missing_artifacts(folder)
        if missing:
            raise ArtifactsMissing(folder, missing)
        self.folder = folder
        path = Path(folder)
        self._schemas = {
            INVOICE_NS: etree.XMLSchema(
                etree.parse(str(path / ARTIFACTS["xsd_invoice"]), _schema_parser())
            ),
            CREDIT_NOTE_NS: etree.XMLSchema(
                etree.parse(str(path / ARTIFACTS["xsd_credit_note"]), _schema_parser())
            ),
        }
        from saxonche import PySaxonProcessor  # noqa: PLC0415 (heavy, lazy)

        self._lock = threading.Lock()
        self._processor = PySaxonProcessor(license=False)
        # no file, no URL: doc(), unparsed-text(), xsl:include... are refused
        self._processor.set_configuration_property(SAXON_ALLOWED_PROTOCOLS, "")
        compiler = self._processor.new_xslt30_processor()
        self._stylesheets = {}
        for layer in ("anaf", "cen"):
            stylesheet = compiler.compile_stylesheet(
                stylesheet_text=_stylesheet_text(folder, ARTIFACTS[layer])
            )
            # xsl:result-document is kept in memory, never written to disk
            stylesheet.set_capture_result_documents(True)
            self._stylesheets[layer] = stylesheet

    def validate(self, xml):
        """The findings about the document ``xml`` (bytes), errors first.

        A document that is not well-formed XML, or neither an Invoice nor a
        CreditNote, is one XSD error.  When the schema fails, the rule sets
        are not run (ANAF stops there too).
        """
        try:
            root = safe_xml.parse(xml, what="e-Factura XML")
        except safe_xml.UnsafeXmlError as error:
            return [Finding("xsd", "XSD", "error", str(error), "")]
        schema = self._schemas.get(etree.QName(root).namespace)
        if schema is None:
            return [
                Finding(
                    "xsd",
                    "XSD",
                    "error",
                    "The document is neither a UBL 2.1 Invoice nor a CreditNote.",
                    f"/{root.tag}",
                )
            ]
        if not schema.validate(root):
            return [
                Finding("xsd", "XSD", "error", entry.message, f"line {entry.line}")
                for entry in schema.error_log
            ]
        text = xml.decode("utf-8") if isinstance(xml, bytes) else xml
        with self._lock:
            node = self._processor.parse_xml(xml_text=text)
            reports = {
                layer: stylesheet.transform_to_string(xdm_node=node)
                for layer, stylesheet in self._stylesheets.items()
            }
        findings = _svrl_findings(reports["anaf"], "anaf", warnings_only=False)
        errors = {finding.rule for finding in findings}
        findings += [
            finding
            for finding in _svrl_findings(reports["cen"], "cen", warnings_only=True)
            if finding.rule not in errors
        ]
        return sorted(findings, key=lambda f: (not f.is_error, f.rule, f.location))


def _svrl_findings(report, layer, warnings_only):
    root = safe_xml.parse(report.encode("utf-8"), what="validation report")
    findings = []
    seen = set()
    for element in root.iter(f"{SVRL}failed-assert", f"{SVRL}successful-report"):
        flag = element.get("flag") or "fatal"
        severity = "error" if flag == "fatal" and not warnings_only else "warning"
        text = " ".join(element.findtext(f"{SVRL}text", "").split())
        key = (element.get("id"), element.get("location"))
        if key in seen:
            continue
        seen.add(key)
        findings.append(
            Finding(
                layer,
                element.get("id") or "",
                severity,
                text,
                element.get("location") or "",
            )
        )
    return findings


_validators = {}
_validators_lock = threading.Lock()


def _address_space_limited():
    soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
    return soft != resource.RLIM_INFINITY


def validator_for(folder, isolated=None):
    """The compiled validator of ``folder``, made once per process: in this
    process, or (``isolated``, by default when this process's address space
    is limited, as in Odoo) in a helper process.

    :raises ArtifactsMissing: when the folder lacks the official files.
    """
    key = os.path.realpath(folder) if folder else ""
    missing = missing_artifacts(key)
    if missing:
        raise ArtifactsMissing(key, missing)
    if isolated is None:
        isolated = _address_space_limited()
    with _validators_lock:
        validator = _validators.get((key, isolated))
        if validator is None:
            validator = Validator(key) if not isolated else IsolatedValidator(key)
            _validators[(key, isolated)] = validator
    return validator


class ValidatorUnavailable(Exception):
    """The helper process could not validate (it failed to start or died)."""


def _send(stream, payload):
    stream.write(struct.pack(">I", len(payload)) + payload)
    stream.flush()


def _receive(stream):
    header = stream.read(4)
    if len(header) < 4:
        return None
    (size,) = struct.unpack(">I", header)
    payload = stream.read(size)
    return payload if len(payload) == size else None


def findings_to_json(findings):
    return json.dumps([finding.__dict__ for finding in findings]).encode()


def findings_from_json(payload):
    return [Finding(**item) for item in json.loads(payload)]


class IsolatedValidator:
    """:class:`Validator` in a helper process, compiled once, restarted when
    it dies; one request at a time."""

    WORKER = os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "validation_worker.py"
    )
    START_TIMEOUT = 120

    def __init__(self, folder):
        self.folder = folder
        self._lock = threading.Lock()
        self._process = None

    def _start(self):
        self._stderr = tempfile.TemporaryFile()

        def lift_limit():
            _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
            resource.setrlimit(resource.RLIMIT_AS, (hard, hard))

        # where the helper finds the addons' lib packages: the folders this
        # module and the safe parser were loaded from (addons may live in
        # different folders of the addons path)
        roots = dict.fromkeys(
            str(Path(module).resolve().parents[2])
            for module in (__file__, safe_xml.__file__)
        )
        self._process = subprocess.Popen(  # noqa: S603 (our own script)
            [sys.executable, self.WORKER, self.folder],
            env={**os.environ, "CRM_ADDON_ROOTS": os.pathsep.join(roots)},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            preexec_fn=lift_limit,  # noqa: PLW1509 (no threads run in the child)
        )
        ready = _receive(self._process.stdout)
        if ready != b"ready":
            self._process.kill()
            self._stderr.seek(0)
            error = self._stderr.read().decode("utf-8", "replace")[-2000:]
            self._process.kill()
            self._process = None
            raise ValidatorUnavailable(error or "the validation helper did not start")

    def validate(self, xml):
        with self._lock:
            for attempt in (1, 2):
                if self._process is None or self._process.poll() is not None:
                    self._start()
                try:
                    _send(
                        self._process.stdin,
                        xml if isinstance(xml, bytes) else xml.encode(),
                    )
                    answer = _receive(self._process.stdout)
                except (BrokenPipeError, OSError):
                    answer = None
                if answer is not None:
                    return findings_from_json(answer)
                self._process.kill()
                self._process = None
                if attempt == 2:
                    raise ValidatorUnavailable("the validation helper stopped")
        return []  # not reached

    def close(self):
        with self._lock:
            if self._process is not None:
                self._process.stdin.close()
                self._process.wait(timeout=10)
                self._process = None
