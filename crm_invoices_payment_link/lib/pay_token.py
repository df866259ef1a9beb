"""Pay link tokens: 256 bits the server can print again, stored as a digest.

A link's token is an HMAC, under the database secret, of the link's random
salt: the server prints the same link in every email, reminder, PDF and API
answer without storing it, and finds a link by the SHA-256 digest of what a
visitor brings (an index lookup on a digest leaks nothing about the token).
Rotating the database secret revokes every link at once.
"""

import base64
import hashlib
import hmac
import re
import secrets

#: 256-bit HMAC, base64url without padding.
TOKEN_LENGTH = 43
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")


def new_salt():
    """A link's random salt (128 bits): what makes its token unguessable."""
    return secrets.token_urlsafe(16)


#: What a token opens, named by each kind of link (``crm_pay_link`` an
#: invoice's, ``crm_statement_link`` a statement's): a token of one kind is
#: never a token of another.
_PURPOSE = re.compile(r"^[a-z][a-z_]*$")


def link_token(secret, salt, purpose="crm_pay_link"):
    """The token of the link with ``salt``, for ``purpose``."""
    if not _PURPOSE.match(purpose or ""):
        raise ValueError(purpose)
    mac = hmac.new(secret.encode(), f"{purpose}:{salt}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()).decode().rstrip("=")


def token_digest(token):
    """What is stored and looked up."""
    return hashlib.sha256(token.encode()).hexdigest()


def well_formed(token):
    """Whether ``token`` can be a link token at all (anything else is a 404
    without a database lookup)."""
    return isinstance(token, str) and bool(_TOKEN.match(token))


def same_token(expected, given):
    return hmac.compare_digest(str(expected or ""), str(given or ""))
