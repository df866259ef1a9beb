"""A stand-in for ANAF's e-Factura web service, on 127.0.0.1, for tests.

It answers like ANAF (``upload``/``uploadb2c``, ``stareMesaj``,
``descarcare``, ``listaMesajePaginatieFactura``) and records every call, so
that a test can count uploads.  What it answers can be planned per endpoint
(an HTTP status, a delay after recording the call, an upload error, a
processing state per upload, ANAF's daily limit answer ``{"limit": True}``
worded as ANAF words it).  It imports nothing of Odoo: the end-to-end
tests run it as a process (``python anaf_stub.py``) and steer it through
``/_stub/plan`` and ``/_stub/state``.
"""

import io
import json
import sys
import threading
import time
import zipfile
from collections import defaultdict
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse
from xml.etree import ElementTree

CBC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}"
FIRST_INDEX = 5000000001


class AnafStub:
    def __init__(self, page_size=50):
        self.lock = threading.Lock()
        self.page_size = page_size
        self.reset()

    def reset(self):
        with getattr(self, "lock", threading.Lock()):
            self.uploads = []  # {index, cif, standard, b2c, invoice_id, xml, time}
            self.calls = []  # (endpoint, params)
            self.plan = defaultdict(list)  # endpoint -> [{"status", "delay", ...}]
            self.states = {}  # index -> [state, ...] answered in turn (last repeats)

    # ------------------------------------------------------------------ server

    def start(self):
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):  # noqa: N802
                stub._handle(self, "GET")

            def do_POST(self):  # noqa: N802
                stub._handle(self, "POST")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        host, port = self.server.server_address
        self.url = f"http://{host}:{port}"
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    @property
    def rest_url(self):
        return f"{self.url}/test/FCTEL/rest"

    # ------------------------------------------------------------------ helpers

    def uploaded_ids(self):
        """The invoice numbers uploaded, one per upload."""
        with self.lock:
            return [upload["invoice_id"] for upload in self.uploads]

    def count(self, endpoint):
        with self.lock:
            return sum(1 for name, _params in self.calls if name == endpoint)

    def _next_plan(self, endpoint):
        with self.lock:
            queue = self.plan.get(endpoint)
            return queue.pop(0) if queue else {}

    def _state_of(self, index):
        with self.lock:
            states = self.states.get(index)
            if not states:
                return "ok"
            return states.pop(0) if len(states) > 1 else states[0]

    # ------------------------------------------------------------------ handling

    def _handle(self, request, method):
        url = urlparse(request.path)
        params = {key: values[-1] for key, values in parse_qs(url.query).items()}
        endpoint = url.path.rstrip("/").rsplit("/", 1)[-1]
        body = b""
        if method == "POST":
            body = request.rfile.read(int(request.headers.get("Content-Length") or 0))
        if url.path.startswith("/_stub/"):
            return self._control(request, endpoint, body)
        with self.lock:
            self.calls.append((endpoint, params))
        plan = self._next_plan(endpoint)
        if request.headers.get("Authorization") != "Bearer good-token":
            plan = {"status": 401, **plan}
        handler = {
            "upload": self._upload,
            "uploadb2c": self._upload,
            "stareMesaj": self._status,
            "descarcare": self._download,
            "listaMesajePaginatieFactura": self._messages,
        }.get(endpoint)
        if handler is None:
            return self._send(
                request, 404, b'{"message": "not found"}', "application/json"
            )
        if plan.get("status") and endpoint not in ("upload", "uploadb2c"):
            return self._send(request, plan["status"], b"", "text/plain")
        if plan.get("limit"):
            return self._send(request, 200, *self._daily_limit(endpoint, params))
        status, payload, kind = handler(endpoint, params, body, plan)
        if plan.get("delay"):
            time.sleep(plan["delay"])
        return self._send(request, status, payload, kind)

    def _send(self, request, status, payload, kind):
        try:
            request.send_response(status)
            request.send_header("Content-Type", kind)
            request.send_header("Content-Length", str(len(payload)))
            request.end_headers()
            request.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout under test)

    def _control(self, request, endpoint, body):
        if endpoint == "state":
            with self.lock:
                state = {
                    "uploads": [
                        {key: value for key, value in upload.items() if key != "xml"}
                        for upload in self.uploads
                    ],
                    "calls": [name for name, _params in self.calls],
                }
            return self._send(
                request, 200, json.dumps(state).encode(), "application/json"
            )
        if endpoint == "plan":
            data = json.loads(body or b"{}")
            with self.lock:
                for name, items in data.get("plan", {}).items():
                    self.plan[name].extend(items)
                for index, states in data.get("states", {}).items():
                    self.states[index] = list(states)
            return self._send(request, 200, b"{}", "application/json")
        if endpoint == "reset":
            self.reset()
            return self._send(request, 200, b"{}", "application/json")
        return self._send(request, 404, b"{}", "application/json")

    @staticmethod
    def _daily_limit(endpoint, params):
        """ANAF's answer when a daily limit is reached, in each endpoint's
        format (HTTP 200)."""
        if endpoint == "stareMesaj":
            text = (
                "S-au facut deja 100 interogari de stare pentru mesajul cu "
                f"id_incarcare={params.get('id_incarcare')} in cursul zilei"
            )
            payload = (
                '<header xmlns="mfp:anaf:dgti:efactura:stareMesajFactura:v1">'
                f'<Errors errorMessage="{text}"/></header>'
            )
            return payload.encode(), "application/xml"
        if endpoint in ("upload", "uploadb2c"):
            payload = (
                '<header xmlns="mfp:anaf:dgti:spv:respUploadFisier:v1" '
                'ExecutionStatus="1"><Errors errorMessage="S-au facut deja 1000 '
                'incarcari de fisiere in cursul zilei"/></header>'
            )
            return payload.encode(), "application/xml"
        what = (
            f"10 descarcari la mesajul cu id_descarcare={params.get('id')}"
            if endpoint == "descarcare"
            else "1000 de interogari ale listei de mesaje"
        )
        payload = {"eroare": f"S-au facut deja {what} in cursul zilei", "titlu": ""}
        return json.dumps(payload).encode(), "application/json"

    def _upload(self, endpoint, params, body, plan):
        if plan.get("status") in (401, 429) or plan.get("drop"):
            return plan["status"], b"", "text/plain"  # nothing recorded
        if plan.get("error"):
            payload = (
                '<header xmlns="mfp:anaf:dgti:spv:respUploadFisier:v1" '
                'ExecutionStatus="1"><Errors errorMessage="{}"/></header>'
            ).format(plan["error"])
            return 200, payload.encode(), "application/xml"
        try:
            invoice_id = ElementTree.fromstring(body).findtext(f"{CBC}ID")
        except ElementTree.ParseError:
            invoice_id = None
        with self.lock:
            index = str(FIRST_INDEX + len(self.uploads))
            self.uploads.append(
                {
                    "index": index,
                    "cif": params.get("cif"),
                    "standard": params.get("standard"),
                    "extern": params.get("extern"),
                    "b2c": endpoint == "uploadb2c",
                    "invoice_id": invoice_id,
                    "xml": body,
                    "time": time.time(),
                }
            )
        if plan.get("status"):  # recorded, then a failure: the answer is lost
            return plan["status"], b"", "text/plain"
        payload = (
            '<header xmlns="mfp:anaf:dgti:spv:respUploadFisier:v1" '
            f'dateResponse="{datetime.now():%Y%m%d%H%M}" ExecutionStatus="0" '
            f'index_incarcare="{index}"/>'
        )
        return 200, payload.encode(), "application/xml"

    def _find(self, index):
        with self.lock:
            return next(
                (upload for upload in self.uploads if upload["index"] == index), None
            )

    def _status(self, endpoint, params, body, plan):
        index = params.get("id_incarcare", "")
        upload = self._find(index)
        if upload is None:
            payload = (
                '<header xmlns="mfp:anaf:dgti:efactura:stareMesajFactura:v1">'
                f'<Errors errorMessage="Nu exista factura cu id_incarcare= '
                f'{index}"/></header>'
            )
            return 200, payload.encode(), "application/xml"
        state = self._state_of(index)
        download = (
            f' id_descarcare="{int(index) + 1000000000}"'
            if state in ("ok", "nok")
            else ""
        )
        payload = (
            '<header xmlns="mfp:anaf:dgti:efactura:stareMesajFactura:v1" '
            f'stare="{state}"{download}/>'
        )
        return 200, payload.encode(), "application/xml"

    def _download(self, endpoint, params, body, plan):
        download_id = params.get("id", "")
        index = str(int(download_id) - 1000000000) if download_id.isdigit() else ""
        upload = self._find(index)
        if upload is None:
            return (
                400,
                b'{"eroare": "Id descarcare introdus= invalid"}',
                "application/json",
            )
        state = (self.states.get(index) or ["ok"])[-1]
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            if state == "nok":
                archive.writestr(
                    f"{index}.xml",
                    '<header xmlns="mfp:anaf:dgti:efactura:mesajEroriFactuta:v1" '
                    f'Index_incarcare="{index}" Cif_emitent="{upload["cif"]}">'
                    '<Error errorMessage="E: validari globale  eroare: [BR-RO-065] '
                    "Identificatorul de inregistrare fiscala a Vanzatorului (BT-32) "
                    'trebuie sa fie inscris."/></header>',
                )
            else:
                archive.writestr(f"{index}.xml", upload["xml"])
            archive.writestr(
                f"semnatura_{index}.xml",
                '<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignatureValue>'
                f"SIG{index}</SignatureValue><KeyInfo><X509Data><X509Certificate>CERT"
                "</X509Certificate></X509Data></KeyInfo></Signature>",
            )
        return 200, buffer.getvalue(), "application/zip"

    def _messages(self, endpoint, params, body, plan):
        try:
            start = int(params["startTime"]) / 1000
            end = int(params["endTime"]) / 1000
            page = int(params.get("pagina") or 1)
        except (KeyError, ValueError):
            return 400, b'{"eroare": "parametri invalizi"}', "application/json"
        with self.lock:
            found = [
                upload
                for upload in self.uploads
                if upload["cif"] == params.get("cif") and start <= upload["time"] <= end
            ]
            states = {index: list(values) for index, values in self.states.items()}
        if not found:
            return (
                200,
                json.dumps(
                    {"eroare": "Nu exista mesaje in intervalul selectat"}
                ).encode(),
                "application/json",
            )
        pages = max(1, -(-len(found) // self.page_size))
        chunk = found[(page - 1) * self.page_size : page * self.page_size]
        messages = []
        for upload in chunk:
            state = (states.get(upload["index"]) or ["ok"])[-1]
            if state not in ("ok", "nok"):
                continue  # still processing: ANAF lists it once processed
            created = datetime.fromtimestamp(upload["time"], timezone.utc)
            messages.append(
                {
                    "data_creare": f"{created:%Y%m%d%H%M}",
                    "cif": upload["cif"],
                    "id_solicitare": upload["index"],
                    "detalii": f"Factura cu id_incarcare={upload['index']} emisa de "
                    f"cif_emitent={upload['cif']}",
                    "tip": "FACTURA TRIMISA" if state == "ok" else "ERORI FACTURA",
                    "id": str(int(upload["index"]) + 1000000000),
                }
            )
        payload = {
            "mesaje": messages,
            "numar_inregistrari_in_pagina": len(messages),
            "numar_total_pagini": pages,
            "index_pagina_curenta": page,
            "titlu": "Lista Mesaje",
        }
        return 200, json.dumps(payload).encode(), "application/json"


def main(argv):
    """``python anaf_stub.py [port-file]``: serve until killed; the base URL
    is printed (and written to ``port-file`` when given)."""
    stub = AnafStub().start()
    sys.stdout.write(stub.url + "\n")
    sys.stdout.flush()
    if len(argv) > 1:
        with open(argv[1], "w") as handle:
            handle.write(stub.url)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        stub.stop()


if __name__ == "__main__":
    main(sys.argv)
