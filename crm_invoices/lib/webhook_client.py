"""The one HTTP client of webhook deliveries: a POST to a checked address.

A webhook's URL is somebody's input, and the server posts to it: it must not
reach what only the server can reach (SSRF).  Every delivery resolves the
host again, refuses the URL when any of its addresses is not a public one --
private, loopback, link-local (cloud metadata), CGNAT, multicast, reserved;
private and loopback are allowed by a setting, for receivers on the
company's own network -- and connects to the address it checked (a DNS
answer that changes between the check and the connection changes nothing).
Redirects are not followed (a 3xx is a failed delivery: a redirect could
point anywhere).  TLS certificates are verified; every call has a timeout.
"""

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

#: The most of a receiver's answer kept in the delivery log.
ANSWER_BYTES = 2048
#: Schemes a webhook may use.
SCHEMES = ("http", "https")


class Refused(ValueError):
    """A URL the server will not post to; the message says why."""


@dataclass
class Outcome:
    """What a receiver answered: its status (``None`` when it did not
    answer), the start of its answer, or the error, and the time taken."""

    status: int | None
    answer: str = ""
    error: str = ""
    seconds: float = 0.0

    @property
    def ok(self):
        return self.status is not None and 200 <= self.status < 300


def address_refusal(address, allow_private=False):
    """Why ``address`` (an IP as text) may not be posted to, or ``None``."""
    ip = ipaddress.ip_address(address)
    mapped = getattr(ip, "ipv4_mapped", None)
    if mapped is not None:
        ip = mapped
    if ip.is_link_local:
        return "a link-local address (cloud metadata lives there)"
    if ip.is_unspecified or ip.is_multicast:
        return "not a host address"
    if ip.is_loopback:
        return None if allow_private else "a loopback address"
    if ip.is_global:
        return None
    private = ip.is_private or ip in ipaddress.ip_network("100.64.0.0/10")
    if private and not ip.is_reserved:
        return None if allow_private else "a private network address"
    return "a reserved address"


def split_url(url):
    """``(scheme, host, port, path with query)`` of ``url``.

    :raise Refused: not an http(s) URL with a host, or with credentials
    """
    try:
        parts = urlsplit((url or "").strip())
        port = parts.port
    except ValueError as error:
        raise Refused(f"not a URL ({error})") from error
    if parts.scheme not in SCHEMES:
        raise Refused("only http and https URLs are allowed")
    if not parts.hostname:
        raise Refused("the URL names no host")
    if parts.username or parts.password:
        raise Refused("credentials in a URL are not allowed: use headers")
    port = port or (443 if parts.scheme == "https" else 80)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return parts.scheme, parts.hostname, port, path


def resolve(host, port, allow_private=False, resolver=socket.getaddrinfo):
    """The addresses to connect to for ``host``, in the resolver's order:
    every address the name resolves to must be allowed (a name that also
    resolves to a private one is refused, whatever the order of the answer).

    :raise Refused: the host does not resolve, or to an address refused
    """
    try:
        answers = resolver(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise Refused(f"{host} does not resolve") from error
    addresses = list(dict.fromkeys(answer[4][0] for answer in answers))
    if not addresses:
        raise Refused(f"{host} does not resolve")
    for address in addresses:
        why = address_refusal(address, allow_private)
        if why:
            raise Refused(f"{host} resolves to {address}: {why}")
    return addresses


def check_url(url, allow_private=False, resolver=socket.getaddrinfo):
    """Refuse (:class:`Refused`) a URL a webhook may not have."""
    _scheme, host, port, _path = split_url(url)
    resolve(host, port, allow_private, resolver)


def _connect(addresses, port, timeout):
    """A socket to the first of the checked ``addresses`` that answers."""
    error = None
    for address in addresses:
        try:
            return socket.create_connection((address, port), timeout)
        except OSError as failed:
            error = failed
    raise error


class _Http(http.client.HTTPConnection):
    """A connection to the checked addresses, its ``Host`` header the URL's
    name."""

    def __init__(self, host, port, addresses, timeout):
        super().__init__(host, port, timeout=timeout)
        self._addresses = addresses

    def connect(self):
        self.sock = _connect(self._addresses, self.port, self.timeout)


class _Https(http.client.HTTPSConnection):
    """The same over TLS, the certificate checked against the URL's name."""

    def __init__(self, host, port, addresses, timeout):
        super().__init__(
            host, port, timeout=timeout, context=ssl.create_default_context()
        )
        self._addresses = addresses

    def connect(self):
        sock = _connect(self._addresses, self.port, self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(
    url,
    raw,
    headers,
    timeout,
    allow_private=False,
    resolver=socket.getaddrinfo,
    clock=time.monotonic,
):
    """POST the body ``raw`` to ``url``; never raises for what the network
    or the receiver does: the :class:`Outcome` says it."""
    started = clock()

    def outcome(status=None, answer="", error=""):
        return Outcome(status, answer, error, round(clock() - started, 3))

    try:
        scheme, host, port, path = split_url(url)
        addresses = resolve(host, port, allow_private, resolver)
    except Refused as refused:
        return outcome(error=f"refused: {refused}")
    connection_class = _Https if scheme == "https" else _Http
    connection = connection_class(host, port, addresses, timeout)
    try:
        connection.request("POST", path, body=raw, headers=headers)
        response = connection.getresponse()
        answer = response.read(ANSWER_BYTES).decode(errors="replace")
        status = response.status
    except (OSError, http.client.HTTPException) as error:
        kind = "timeout" if isinstance(error, TimeoutError) else "no answer"
        return outcome(error=f"{kind}: {error}")
    finally:
        connection.close()
    if 300 <= status < 400:
        return outcome(status, answer, "a redirect: not followed")
    if not 200 <= status < 300:
        return outcome(status, answer, f"HTTP {status}")
    return outcome(status, answer)
