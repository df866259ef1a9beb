"""A webhook receiver on 127.0.0.1 for the tests: it keeps what it is sent
and answers what the test tells it (a status, after a delay)."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    def __init__(self, port=0):
        self.received = []  # (headers, raw body)
        self.arrivals = []  # time.time() of each, in the same order
        self.arriving = 0  # requests begun (answered or not)
        self.answers = []  # (status, delay) to give, in order; then 200
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver.lock:
                    receiver.arriving += 1
                    status, delay = (
                        receiver.answers.pop(0) if receiver.answers else (200, 0)
                    )
                time.sleep(delay)
                with receiver.lock:
                    receiver.received.append((dict(self.headers), raw))
                    receiver.arrivals.append(time.time())
                try:
                    self.send_response(status)
                    self.end_headers()
                    self.wfile.write(b'{"received":true}')
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the sender stopped waiting (its timeout)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def start(self):
        self.thread.start()
        return self

    @classmethod
    def for_class(cls, test_class):
        """A receiver for a test class's tests (stopped after them), with
        the company's network allowed as a target."""
        receiver = cls().start()
        test_class.addClassCleanup(receiver.stop)
        test_class.env["ir.config_parameter"].sudo().set_param(
            "crm_invoices.webhook_allow_private", "True"
        )
        return receiver

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def clear(self):
        with self.lock:
            self.received.clear()
            self.arrivals.clear()
            self.answers.clear()

    def bodies(self):
        return [json.loads(raw) for _headers, raw in self.received]
