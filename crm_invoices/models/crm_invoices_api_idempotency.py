import hashlib
import json
from datetime import timedelta

from odoo import api, fields, models

from .. import queries
from ..lib.api_errors import ValidationFailed

#: How long a key is remembered.
KEY_LIFETIME = timedelta(hours=24)
MAX_KEY_LENGTH = 255


class CrmInvoicesApiIdempotency(models.Model):
    """The first answer to a POST with an ``Idempotency-Key``, for 24 hours.

    The record is inserted before the request runs, in the request's own
    transaction: a retry running at the same time waits on the unique key,
    then finds the answer; a failed request leaves nothing behind.
    """

    _name = "crm.invoices.api.idempotency"
    _description = "Invoices API Idempotency Key"
    _log_access = False

    # An integer, not a Many2one: a foreign key would lock the token row in the
    # request's transaction while the usage counters update it in their own
    # (a serialization failure on every retry).
    token_id = fields.Integer(required=True, index=True)
    key = fields.Char(required=True)
    request_hash = fields.Char(required=True)
    status_code = fields.Integer()
    response_body = fields.Text()
    created = fields.Datetime(required=True, default=fields.Datetime.now, index=True)

    _sql_constraints = [
        ("token_key_uniq", "UNIQUE(token_id, key)", "This idempotency key was used."),
    ]

    @api.model
    def _crm_answer_once(self, token, key, body, answer):
        """The answer to a POST, computed once per ``Idempotency-Key``.

        Without a key, ``answer()`` is simply called.  With one, the first
        request runs ``answer()`` and its answer is kept (in the request's
        transaction: a failure keeps nothing); a retry with the same key and
        body gets that answer back; the key with another body is a 422.

        :param token: the request's ``crm.invoices.api.token``.
        :param key: the ``Idempotency-Key`` header, or ``None``.
        :param body: the request body (parsed), to tell a retry from a reuse.
        :param answer: computes the success answer (a JSON-able dict).
        :return: ``(status, answer, replayed)``.
        """
        key = (key or "").strip()
        if not key:
            return 200, answer(), False
        if len(key) > MAX_KEY_LENGTH:
            raise ValidationFailed(
                {"Idempotency-Key": f"at most {MAX_KEY_LENGTH} characters"}
            )
        digest = hashlib.sha256(
            json.dumps(body, sort_keys=True, default=str).encode()
        ).hexdigest()
        outcome, claim = self._crm_claim(token, key, digest)
        if outcome == "conflict":
            raise ValidationFailed(
                {"Idempotency-Key": "already used with another request body"}
            )
        if outcome == "replay":
            status, stored = claim
            return status, stored, True
        result = answer()
        claim._crm_store(200, result)
        return 200, result, False

    @api.model
    def _crm_claim(self, token, key, request_hash):
        """Reserve ``key`` for this request, or return the answer it already has.

        :return: ``("new", record)``, ``("replay", (status, body))`` or
            ``("conflict", None)`` when the key came with another body.
        """
        claimed, stored = queries.claim_idempotency_key(
            self.env, token.id, key, request_hash, fields.Datetime.now(), KEY_LIFETIME
        )
        if claimed:
            return "new", self.browse(claimed)
        stored_hash, status, body = stored
        if stored_hash != request_hash:
            return "conflict", None
        return "replay", (status, json.loads(body or "null"))

    def _crm_store(self, status, body):
        self.ensure_one()
        self.write({"status_code": status, "response_body": json.dumps(body)})

    @api.autovacuum
    def _gc_expired_keys(self):
        self.search([("created", "<", fields.Datetime.now() - KEY_LIFETIME)]).unlink()
