"""A delivery's body and the signatures receivers check.

Two receivers verify differently, and every delivery carries both headers:

- Perfex's v3 webhooks: ``X-Perfex-Signature: t=<unix>,v1=<hex>``, the hex
  HMAC-SHA256 under the webhook's secret of ``t + "." + raw body``;
- the n8n PerfexCRM trigger node: ``X-Webhook-Signature: <hex>``, the hex
  HMAC-SHA256 of the body as JavaScript's ``JSON.stringify`` writes it back
  from the parsed body.

So the body is JSON as ``JSON.stringify`` writes it: no spaces, non-ASCII
characters as they are, keys in order -- and no number that JavaScript would
write otherwise (a float: ``1.0`` comes back as ``1``): amounts are strings,
as in Perfex's answers.  :func:`body` refuses a float.
"""

import hashlib
import hmac
import json
import secrets

#: The headers of a delivery's signatures.
PERFEX_HEADER = "X-Perfex-Signature"
N8N_HEADER = "X-Webhook-Signature"


def new_secret():
    """A webhook's signing secret when its creator gives none."""
    return "whsec_" + secrets.token_urlsafe(32)


def _no_floats(value):
    if isinstance(value, float):
        raise TypeError(f"a float in a webhook body ({value!r}): send it as a string")
    if isinstance(value, dict):
        for item in value.values():
            _no_floats(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _no_floats(item)


def body(payload):
    """The raw body of ``payload`` (bytes), as ``JSON.stringify`` writes it."""
    _no_floats(payload)
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


def _hex(secret, message):
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def perfex_signature(secret, raw, timestamp):
    """``t=<unix>,v1=<hex>`` of the raw body ``raw`` signed at ``timestamp``."""
    timestamp = int(timestamp)
    return f"t={timestamp},v1={_hex(secret, f'{timestamp}.'.encode() + raw)}"


def n8n_signature(secret, raw):
    """The hex HMAC-SHA256 of the raw body ``raw``."""
    return _hex(secret, raw)


def headers(secret, raw, timestamp):
    """Both signature headers of a delivery."""
    return {
        PERFEX_HEADER: perfex_signature(secret, raw, timestamp),
        N8N_HEADER: n8n_signature(secret, raw),
    }


def verify_perfex(secret, raw, header, now, tolerance=300):
    """What a receiver does with ``X-Perfex-Signature`` (tests, docs)."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = perfex_signature(secret, raw, timestamp).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))
