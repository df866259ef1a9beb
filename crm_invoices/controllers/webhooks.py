"""Webhooks and polling triggers of the REST API, as Perfex's v3 module and
the n8n PerfexCRM trigger node use them (``/api/...`` and ``/api/v1/...``).

A token manages the webhooks that send what its user may read: its own
(``user_id`` its user, in its companies).  Registering needs its ``read``
and ``webhooks`` scopes; polling its ``read`` scope.  Every answer is JSON;
a request that fails writes nothing.
"""

from datetime import UTC, datetime

from odoo import fields, http
from odoo.exceptions import ValidationError
from odoo.http import request

from ..lib import api_payload, webhook_api
from ..lib.api_errors import ApiError
from .api import ROUTE, _json, api_endpoint, read_body

#: The fields a client may send, and what Perfex calls them.
WRITABLE = ("name", "url", "events", "secret", "active", "timeout", "retry_count")
#: Resources the polling triggers know, and their ``account.move`` type.
POLLED = {
    "invoices": ("out_invoice", "Invoices", "New or updated invoices"),
    "credit_notes": ("out_refund", "Credit notes", "New or updated credit notes"),
}
#: The most records a poll answers.
MAX_POLL = 100


def _routes(*paths):
    """Each path under ``/api`` and under ``/api/v1`` (the n8n node's)."""
    return [prefix + path for path in paths for prefix in ("/api", "/api/v1")]


class WebhooksApi(http.Controller):
    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------

    def _require(self, *scopes):
        granted = request.env.context.get("crm_invoices_scopes", ())
        missing = [scope for scope in scopes if scope not in granted]
        if missing:
            raise ApiError(
                request.env._(
                    "This token may not %(scope)s", scope=" or ".join(missing)
                ),
                {"scope": f"'{missing[0]}' scope required"},
                status=403,
            )

    def _hooks(self):
        """The webhooks this token manages: its user's, in its companies."""
        return (
            request.env["crm.invoices.webhook"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("user_id", "=", request.env.uid),
                    ("company_id", "in", request.env.companies.ids),
                ],
                order="id",
            )
        )

    def _hook(self, webhook_id):
        hook = self._hooks().filtered(lambda hook: hook.id == webhook_id)
        if not hook:
            raise webhook_api.not_found(webhook_id)
        return hook

    def _present(self, hooks):
        rows = hooks.read(
            [
                "name",
                "url",
                "events",
                "active",
                "headers",
                "timeout",
                "retry_count",
                "last_triggered",
                "success_count",
                "failure_count",
                "create_date",
                "write_date",
                "has_secret",
            ]
        )
        return [webhook_api.present(row) for row in rows]

    def _values(self, body, creating):
        """The webhook's values of a request ``body`` (JSON or form)."""
        values = {key: body[key] for key in WRITABLE if key in body}
        if "is_active" in body and "active" not in body:
            values["active"] = body["is_active"]
        if "active" in values:
            values["active"] = str(values["active"]).lower() in ("1", "true", "yes")
        if isinstance(values.get("events"), dict):  # form: events[0]=..., events[]=
            values["events"] = list(values["events"].values())
        if "headers" in body:
            headers = body["headers"]
            if isinstance(headers, str) and headers.strip():
                headers = api_payload.parse_json(headers.encode())
            values["headers"] = headers or False
        errors = webhook_api.type_errors(values)
        for field in ("name", "url", "events"):
            if (creating or field in values) and not values.get(field):
                errors[field] = f"The {field} field is required."
        for field in ("timeout", "retry_count"):
            if field in values:
                try:
                    values[field] = int(values[field])
                except (TypeError, ValueError, OverflowError):
                    errors[field] = "a whole number"
        if errors:
            raise webhook_api.WebhookValidationFailed(errors)
        return values

    def _write(self, hook, values):
        """Create or write, Odoo's refusals answered as 422 on their field."""
        try:
            with request.env.cr.savepoint():
                if hook is None:
                    return (
                        request.env["crm.invoices.webhook"]
                        .sudo()
                        .create(
                            {
                                **values,
                                "user_id": request.env.uid,
                                "company_id": request.env.company.id,
                                "token_id": request.env.context.get(
                                    "crm_invoices_token_id"
                                ),
                            }
                        )
                    )
                hook.write(values)
                return hook
        except ValidationError as error:
            message = str(error)
            field = next(
                (
                    name
                    for name in ("url", "events", "headers")
                    if name.lower() in message.lower()
                ),
                "_general",
            )
            raise webhook_api.WebhookValidationFailed({field: message}) from error

    def _body(self):
        body = read_body()
        if not isinstance(body, dict):
            raise webhook_api.WebhookValidationFailed({"body": "must be an object"})
        return body

    # ------------------------------------------------------------------
    # webhooks
    # ------------------------------------------------------------------

    @http.route(_routes("/webhooks"), **ROUTE)
    @api_endpoint
    def webhooks(self, **kwargs):
        self._require("read", "webhooks")
        method = request.httprequest.method
        if method == "POST":
            body = self._body()
            values = self._values(body, creating=True)
            given_secret = values.get("secret")
            hook = self._write(None, values)
            secret = None if given_secret else hook.secret
            [presented] = self._present(hook)
            return _json(webhook_api.created(presented, secret))
        if method != "GET":
            raise ApiError("Method not allowed", {"method": "GET, POST"}, status=405)
        args = request.httprequest.args
        page, per_page = api_payload.parse_page(args)
        hooks = self._hooks()
        rows = self._present(hooks[(page - 1) * per_page : page * per_page])
        return _json(webhook_api.page(rows, page, per_page, len(hooks)))

    @http.route(_routes("/webhooks/events"), **ROUTE)
    @api_endpoint
    def webhook_events(self, **kwargs):
        self._require("read")
        catalogue = request.env["crm.invoices.webhook.event"].sudo()._crm_catalogue()
        return _json(webhook_api.catalogue(catalogue))

    @http.route(_routes("/webhooks/<int:webhook_id>"), **ROUTE)
    @api_endpoint
    def webhook(self, webhook_id, **kwargs):
        self._require("read", "webhooks")
        hook = self._hook(webhook_id)
        method = request.httprequest.method
        if method == "GET":
            [presented] = self._present(hook)
            return _json(webhook_api.one(presented))
        if method == "PUT":
            values = self._values(self._body(), creating=False)
            if not values:
                raise webhook_api.WebhookValidationFailed(
                    {"_general": "No updatable fields provided"}, "Nothing to update"
                )
            self._write(hook, values)
            [presented] = self._present(hook)
            return _json(
                {
                    "status": True,
                    "message": "Webhook updated successfully",
                    "data": presented,
                }
            )
        if method == "DELETE":
            hook.unlink()
            return _json({"status": True, "message": "Webhook deleted successfully"})
        raise ApiError("Method not allowed", {"method": "GET, PUT, DELETE"}, status=405)

    @http.route(_routes("/webhooks/<int:webhook_id>/toggle"), **ROUTE)
    @api_endpoint
    def webhook_toggle(self, webhook_id, **kwargs):
        self._require("read", "webhooks")
        if request.httprequest.method != "POST":
            raise ApiError("Method not allowed", {"method": "POST"}, status=405)
        hook = self._hook(webhook_id)
        hook.active = not hook.active
        return _json(
            {
                "status": True,
                "message": "Webhook enabled" if hook.active else "Webhook disabled",
                "active": 1 if hook.active else 0,
            }
        )

    @http.route(_routes("/webhooks/<int:webhook_id>/logs"), **ROUTE)
    @api_endpoint
    def webhook_logs(self, webhook_id, **kwargs):
        self._require("read", "webhooks")
        hook = self._hook(webhook_id)
        page, per_page = api_payload.parse_page(request.httprequest.args)
        logs = request.env["crm.invoices.webhook.log"].sudo()
        domain = [("webhook_id", "=", hook.id)]
        total = logs.search_count(domain)
        attempts = logs.search(
            domain, limit=per_page, offset=(page - 1) * per_page, order="id desc"
        )
        rows = [
            webhook_api.log_row(
                {
                    "id": attempt.id,
                    "webhook_id": hook.id,
                    "event": attempt.event,
                    "event_uuid": attempt.delivery_id.event_id.uuid or None,
                    "url": hook.url,
                    "status_code": attempt.status_code,
                    "answer": attempt.answer,
                    "error": attempt.error,
                    "attempt": attempt.attempt,
                    "status": attempt.status,
                    "seconds": attempt.seconds,
                    "date": attempt.date,
                }
            )
            for attempt in attempts
        ]
        return _json(webhook_api.page(rows, page, per_page, total))

    # ------------------------------------------------------------------
    # polling triggers (Zapier, Make, n8n)
    # ------------------------------------------------------------------

    @http.route(_routes("/zapier", "/zapier/resources"), **ROUTE)
    @api_endpoint
    def zapier_resources(self, **kwargs):
        self._require("read")
        return _json(
            {
                "status": True,
                "resources": list(POLLED),
                "data": [
                    {"key": key, "label": label, "description": description}
                    for key, (_type, label, description) in POLLED.items()
                ],
            }
        )

    def _polled(self, resource):
        if resource not in POLLED:
            raise ApiError(
                "Unknown resource",
                {"resource": "one of " + ", ".join(POLLED)},
                status=404,
            )
        return POLLED[resource][0]

    @http.route(_routes("/zapier/poll/<string:resource>"), **ROUTE)
    @api_endpoint
    def zapier_poll(self, resource, **kwargs):
        """Records created or changed since ``since`` (a Unix time, that
        second included; the last day when absent), oldest first, at most
        ``limit`` (50).  ``next_poll`` is the newest change's second: the
        records of that second are answered again by the next poll (at least
        once, as webhooks: a client deduplicates by ``id`` and
        ``date_updated``), none is missed for being written in the second a
        poll read."""
        self._require("read")
        move_type = self._polled(resource)
        args = request.httprequest.args
        now = int(datetime.now(UTC).timestamp())
        since, limit = api_payload.parse_poll(args, now, 86400, MAX_POLL)
        moment = fields.Datetime.to_string(datetime.fromtimestamp(since, UTC))
        moves = request.env["account.move"].search(
            [
                ("move_type", "=", move_type),
                ("state", "!=", "cancel"),
                ("write_date", ">=", moment),
            ],
            order="write_date, id",
            limit=limit,
        )
        rows = request.env["crm.invoices.api"]._serialize(moves)
        stamps = {
            move.id: int(move.write_date.replace(tzinfo=UTC).timestamp())
            for move in moves
        }
        return _json(
            {
                "status": True,
                "resource": resource,
                "data": rows,
                "meta": {
                    "since": since,
                    "count": len(rows),
                    # the newest change answered: the next poll's since
                    "next_poll": max(stamps.values(), default=since),
                },
            }
        )

    @http.route(_routes("/zapier/test/<string:resource>"), **ROUTE)
    @api_endpoint
    def zapier_test(self, resource, **kwargs):
        """One record to map fields with: the latest, else a made-up one."""
        self._require("read")
        move_type = self._polled(resource)
        move = request.env["account.move"].search(
            [("move_type", "=", move_type)], order="id desc", limit=1
        )
        if move:
            [row] = request.env["crm.invoices.api"]._serialize(move)
        else:
            row = {
                "id": "1",
                "number": "1",
                "prefix": "INV/",
                "clientid": "1",
                "total": "100.00",
                "status": "1",
            }
        return _json({"status": True, "data": row})
