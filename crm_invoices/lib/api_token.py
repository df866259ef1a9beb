"""API tokens: generation, hashing, reading from headers, rate limiting.

A token is shown once; only its HMAC-SHA256 digest (keyed with the
database secret) is stored, so a leaked database does not leak usable tokens.
"""

import hashlib
import hmac
import secrets

PREFIX = "crmi_"
TOKEN_BYTES = 32


def generate_token():
    """A new token: a visible prefix and 32 random bytes, URL-safe."""
    return PREFIX + secrets.token_urlsafe(TOKEN_BYTES)


def token_digest(token, secret):
    """What is stored and looked up: HMAC-SHA256(secret, token), hex."""
    return hmac.new(secret.encode(), token.encode(), hashlib.sha256).hexdigest()


def token_hint(token):
    """The part of a token that may be shown again to tell tokens apart."""
    return token[: len(PREFIX) + 4] + "…"


def same_digest(a, b):
    return hmac.compare_digest(a or "", b or "")


def extract_token(get_header):
    """The token of a request: header ``authtoken``, or ``Authorization: Bearer``.

    :param get_header: ``headers.get``-like callable.
    """
    token = (get_header("authtoken") or "").strip()
    if token:
        return token
    authorization = (get_header("Authorization") or "").strip()
    scheme, _sep, value = authorization.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def fixed_window(now, window_start, count, limit, window=60):
    """Rate limit one request in fixed windows of ``window`` seconds.

    :param now: current time, seconds (float).
    :param window_start: start of the current window or ``None``.
    :param count: requests counted in that window.
    :param limit: requests allowed per window (0 or less: no limit).
    :return: ``(window_start, count, allowed, retry_after_seconds)`` after
        counting this request.
    """
    if window_start is None or now - window_start >= window or now < window_start:
        window_start, count = now, 0
    count += 1
    if limit <= 0 or count <= limit:
        return window_start, count, True, 0
    retry_after = max(1, int(window_start + window - now + 0.999))
    return window_start, count, False, retry_after
