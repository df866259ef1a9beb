import json
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

#: How long a key is remembered.
KEY_LIFETIME = timedelta(hours=24)


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
    def _crm_claim(self, token, key, request_hash):
        """Reserve ``key`` for this request, or return the answer it already has.

        :return: ``("new", record)``, ``("replay", (status, body))`` or
            ``("conflict", None)`` when the key came with another body.
        """
        now = fields.Datetime.now()
        self.env.execute_query(
            SQL(
                "DELETE FROM crm_invoices_api_idempotency "
                "WHERE token_id = %s AND key = %s AND created < %s",
                token.id,
                key,
                now - KEY_LIFETIME,
            )
        )
        # Two requests with one key at once: the second waits on the unique
        # index, then (REPEATABLE READ) fails to serialize and Odoo retries it,
        # when it finds the first one's answer.  Expected: not logged as an error.
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO crm_invoices_api_idempotency
                       (token_id, key, request_hash, created)
                VALUES (%s, %s, %s, %s)
                ON CONFLICT (token_id, key) DO NOTHING
                RETURNING id
                """,
                token.id,
                key,
                request_hash,
                now,
            ),
            log_exceptions=False,
        )
        rows = self.env.cr.fetchall()
        if rows:
            return "new", self.browse(rows[0][0])
        [(stored_hash, status, body)] = self.env.execute_query(
            SQL(
                "SELECT request_hash, status_code, response_body "
                "FROM crm_invoices_api_idempotency WHERE token_id = %s AND key = %s",
                token.id,
                key,
            )
        )
        if stored_hash != request_hash:
            return "conflict", None
        return "replay", (status, json.loads(body or "null"))

    def _crm_store(self, status, body):
        self.ensure_one()
        self.write({"status_code": status, "response_body": json.dumps(body)})

    @api.autovacuum
    def _gc_expired_keys(self):
        self.search([("created", "<", fields.Datetime.now() - KEY_LIFETIME)]).unlink()
