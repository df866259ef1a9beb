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
    """The token of a request: header ``authtoken``, ``X-API-KEY`` (what the
    n8n PerfexCRM node sends), or ``Authorization: Bearer``.  Never the query
    string: URLs end up in logs.

    :param get_header: ``headers.get``-like callable.
    """
    for header in ("authtoken", "X-API-KEY"):
        token = (get_header(header) or "").strip()
        if token:
            return token
    authorization = (get_header("Authorization") or "").strip()
    scheme, _sep, value = authorization.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


#: Length of a rate-limit window, seconds.
WINDOW = 60


def window_restarts(now, window_start, window=WINDOW):
    """Whether a request at ``now`` opens a new window (the rule, in Python).

    Parallel requests reach the counter in another order than their clocks
    were read: a request a little "before" the window start belongs to it.
    Only a clock more than a window behind (set back) opens a new window.
    """
    return (
        window_start is None
        or now - window_start >= window
        or now <= window_start - window
    )


def window_restarts_sql(column, window=WINDOW):
    """The same rule as SQL on ``column``, with the time as ``%(now)s``.

    The database counts the requests (one atomic UPDATE, see the token model);
    this is :func:`window_restarts` written for it, and a test checks that
    both agree.
    """
    if not column.replace("_", "").isalnum():
        raise ValueError(f"not a column name: {column!r}")
    return (
        f"({column} IS NULL OR %(now)s - {column} >= {float(window)!r} "
        f"OR %(now)s <= {column} - {float(window)!r})"
    )


def retry_after(now, window_start, count, limit, window=WINDOW):
    """Seconds to wait when ``count`` requests in the window exceed ``limit``,
    else 0 (a limit of 0 or less means no limit)."""
    if limit <= 0 or count <= limit:
        return 0
    return max(1, min(window, int(window_start + window - now + 0.999)))


def fixed_window(now, window_start, count, limit, window=WINDOW):
    """Rate limit one request in fixed windows of ``window`` seconds.

    :param now: current time, seconds (float).
    :param window_start: start of the current window or ``None``.
    :param count: requests counted in that window.
    :param limit: requests allowed per window (0 or less: no limit).
    :return: ``(window_start, count, allowed, retry_after_seconds)`` after
        counting this request.
    """
    if window_restarts(now, window_start, window):
        window_start, count = now, 0
    count += 1
    wait = retry_after(now, window_start, count, limit, window)
    return window_start, count, not wait, wait


def token_companies(company_id, other_company_ids, user_company_ids):
    """The companies a request of a token works in, the token's first: those
    of the token that its user still belongs to; none when the user left the
    token's own company."""
    user_companies = set(user_company_ids or ())
    if company_id not in user_companies:
        return []
    others = sorted(set(other_company_ids or ()) & user_companies - {company_id})
    return [company_id, *others]
