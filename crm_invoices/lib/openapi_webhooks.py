"""The webhook routes and the deliveries in the OpenAPI document: paths under
``/api`` (also served under ``/api/v1``), their schemas, and the OpenAPI 3.1
``webhooks`` object that says what a receiver gets."""

from . import webhook_sign
from .api_payload import MAX_PER_PAGE, MAX_UNIX_TIME


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _json(description, schema):
    return {
        "description": description,
        "content": {"application/json": {"schema": schema}},
    }


TEXT = {"type": "string"}
NULLABLE_TEXT = {"type": ["string", "null"]}
STAMP = {"type": ["string", "null"], "examples": ["2026-12-07 10:15:00"]}

SCHEMAS = {
    "WebhookValidationError": {
        "type": "object",
        "description": "A webhook refused, in the words of Perfex's webhook routes.",
        "required": ["status", "error", "message", "errors"],
        "properties": {
            "status": {"const": False},
            "error": {"const": "validation_failed"},
            "message": TEXT,
            "errors": {"type": "object", "additionalProperties": TEXT},
        },
    },
    "Webhook": {
        "type": "object",
        "description": "Values are text, as Perfex's rows are; the secret is "
        "never shown again (`has_secret`).",
        "properties": {
            "id": TEXT,
            "name": TEXT,
            "url": {"type": "string", "format": "uri"},
            "events": {"type": "array", "items": TEXT},
            "active": {"type": "string", "enum": ["0", "1"]},
            "headers": {"type": ["object", "null"]},
            "timeout": NULLABLE_TEXT,
            "retry_count": NULLABLE_TEXT,
            "last_triggered": STAMP,
            "success_count": TEXT,
            "failure_count": TEXT,
            "date_created": STAMP,
            "date_updated": STAMP,
            "has_secret": {"type": "boolean"},
        },
    },
    "WebhookInput": {
        "type": "object",
        "description": "Also accepted as form data (`events[]` or a comma list).",
        "properties": {
            "name": TEXT,
            "url": {
                "type": "string",
                "format": "uri",
                "description": "http(s); the company's own network only when the "
                "administrator allows it in the settings.",
            },
            "events": {
                "oneOf": [{"type": "array", "items": TEXT}, TEXT],
                "description": "Event names (`invoice.paid`, Perfex's "
                "`invoice_paid` too), `invoice.*` or `*`: see "
                "GET /api/webhooks/events.",
            },
            "secret": {
                "type": "string",
                "description": "Signs the deliveries; made by the server (answered "
                "once, as `secret`) when none is given.",
            },
            "active": {"type": ["boolean", "string"]},
            "is_active": {
                "type": ["integer", "boolean", "string"],
                "description": "The n8n node's name of `active`.",
            },
            "headers": {
                "type": "object",
                "additionalProperties": TEXT,
                "description": "Extra headers sent with every delivery (not the "
                "signature's).",
            },
            "timeout": {"type": "integer", "minimum": 1, "maximum": 30},
            "retry_count": {
                "type": "integer",
                "minimum": 0,
                "description": "Kept for Perfex clients: a failed delivery is "
                "tried again until it succeeds or the webhook has failed for a day.",
            },
        },
        "additionalProperties": False,
    },
    "WebhookForm": {
        "type": "object",
        "description": "The same fields as form data: `events` a comma list, or "
        "repeated as `events[]`; `headers` a JSON text.",
        "properties": {
            "name": TEXT,
            "url": TEXT,
            "events": TEXT,
            "events[]": {"type": "array", "items": TEXT},
            "secret": TEXT,
            "is_active": {"type": "string", "enum": ["0", "1"]},
            "headers": TEXT,
            "timeout": {"type": "integer", "minimum": 1, "maximum": 30},
        },
        "additionalProperties": False,
    },
    "WebhookEvent": {
        "type": "object",
        "description": "The body of a delivery. `id` is the event's: a receiver "
        "may get an event more than once (at least once), never two events with "
        "one id.",
        "required": ["id", "event", "timestamp", "webhook_id", "data"],
        "properties": {
            "id": {"type": "string", "examples": ["evt_3f0c..."]},
            "event": {"type": "string", "examples": ["invoice.paid"]},
            "timestamp": {"type": "integer", "description": "When it happened."},
            "webhook_id": TEXT,
            "data": {
                "type": "object",
                "description": "The record as the webhook's user reads it when "
                "the delivery is made (an invoice as GET /api/invoices/{id} "
                "answers it); `details` says what changed (`from`, `to`); a "
                "deleted record is what identified it.",
            },
        },
    },
}

_PAGE = [
    {
        "name": "page",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": 2147483647},
    },
    {
        "name": "per_page",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
    },
]
_ID = {
    "name": "id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 1},
}
_RESOURCE = {
    "name": "resource",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "enum": ["invoices", "credit_notes"]},
}


def _page_of(schema):
    return {
        "type": "object",
        "properties": {
            "data": {"type": "array", "items": schema},
            "meta": {"type": "object"},
        },
    }


def paths(errors):
    """The webhook and polling routes; ``errors(*codes)`` their errors."""
    write_body = {
        "required": True,
        "content": {
            "application/json": {"schema": _ref("WebhookInput")},
            "application/x-www-form-urlencoded": {"schema": _ref("WebhookForm")},
        },
    }
    one = _json("The webhook, also under `data`", _ref("Webhook"))
    refused = {
        "422": _json(
            "A value refused: `errors` names each field (a bad JSON body or "
            "headers object: `error` does)",
            {"anyOf": [_ref("WebhookValidationError"), _ref("Error")]},
        )
    }
    return {
        "/api/webhooks": {
            "get": {
                "operationId": "listWebhooks",
                "summary": "The token's webhooks (scopes read and webhooks)",
                "parameters": _PAGE,
                "responses": {
                    "200": _json("Webhooks", _page_of(_ref("Webhook"))),
                    **errors("401", "403", "405", "422", "429"),
                },
            },
            "post": {
                "operationId": "createWebhook",
                "summary": "Subscribe a URL to events; it sends what the token's "
                "user may read, in the token's company",
                "requestBody": write_body,
                "responses": {
                    "200": _json(
                        "Created: `id`, `record_id`, `data.id`, and `secret` when "
                        "the server made it",
                        {"type": "object"},
                    ),
                    **errors("401", "403", "405", "413", "422", "429"),
                    **refused,
                },
            },
        },
        "/api/webhooks/events": {
            "get": {
                "operationId": "webhookEvents",
                "summary": "The events a webhook may subscribe to, by group",
                "responses": {
                    "200": _json("The catalogue", {"type": "object"}),
                    **errors("401", "403", "429"),
                },
            }
        },
        "/api/webhooks/{id}": {
            "parameters": [_ID],
            "get": {
                "operationId": "getWebhook",
                "summary": "One webhook",
                "responses": {"200": one, **errors("401", "403", "404", "429")},
            },
            "put": {
                "operationId": "updateWebhook",
                "summary": "Change a webhook",
                "requestBody": write_body,
                "responses": {
                    "200": one,
                    **errors("401", "403", "404", "413", "422", "429"),
                    **refused,
                },
            },
            "delete": {
                "operationId": "deleteWebhook",
                "summary": "Unsubscribe (what is queued is not sent)",
                "responses": {
                    "200": _json("Deleted", {"type": "object"}),
                    **errors("401", "403", "404", "429"),
                },
            },
        },
        "/api/webhooks/{id}/toggle": {
            "parameters": [_ID],
            "post": {
                "operationId": "toggleWebhook",
                "summary": "Switch off, or on again (its queued events sent at once)",
                "responses": {
                    "200": _json("`active`: 1 or 0", {"type": "object"}),
                    **errors("401", "403", "404", "405", "429"),
                },
            },
        },
        "/api/webhooks/{id}/logs": {
            "parameters": [_ID],
            "get": {
                "operationId": "webhookLogs",
                "summary": "Its delivery attempts, newest first",
                "parameters": _PAGE,
                "responses": {
                    "200": _json("Attempts", _page_of({"type": "object"})),
                    **errors("401", "403", "404", "422", "429"),
                },
            },
        },
        **{
            path: {
                "get": {
                    "operationId": operation,
                    "summary": "What the polling triggers know",
                    "responses": {
                        "200": _json("Resources", {"type": "object"}),
                        **errors("401", "403", "429"),
                    },
                }
            }
            for path, operation in (
                ("/api/zapier", "pollingResourcesShort"),
                ("/api/zapier/resources", "pollingResources"),
            )
        },
        "/api/zapier/poll/{resource}": {
            "parameters": [_RESOURCE],
            "get": {
                "operationId": "poll",
                "summary": "Records created or changed since a Unix time (that "
                "second included: dedupe by id and date_updated)",
                "parameters": [
                    {
                        "name": "since",
                        "in": "query",
                        "schema": {
                            "type": "integer",
                            "minimum": 0,
                            "maximum": MAX_UNIX_TIME,
                        },
                    },
                    {
                        "name": "limit",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 100},
                    },
                ],
                "responses": {
                    "200": _json(
                        "Oldest first; `meta.next_poll` is the next `since`",
                        {"type": "object"},
                    ),
                    **errors("401", "403", "404", "422", "429"),
                },
            },
        },
        "/api/zapier/test/{resource}": {
            "parameters": [_RESOURCE],
            "get": {
                "operationId": "pollSample",
                "summary": "One record to map fields with",
                "responses": {
                    "200": _json("A record", {"type": "object"}),
                    **errors("401", "403", "404", "429"),
                },
            },
        },
    }


def webhooks(events):
    """The OpenAPI 3.1 ``webhooks`` object: one entry per event name."""
    headers = {
        webhook_sign.PERFEX_HEADER: {
            "description": "`t=<unix>,v1=<hex>`: HMAC-SHA256 under the secret of "
            "`t + '.' + raw body`; refuse a `t` more than 5 minutes away.",
            "schema": {"type": "string"},
        },
        webhook_sign.N8N_HEADER: {
            "description": "Hex HMAC-SHA256 under the secret of the raw body "
            "(what the n8n PerfexCRM trigger node checks).",
            "schema": {"type": "string"},
        },
        "X-Perfex-Event": {"schema": {"type": "string"}},
        "X-Perfex-Event-Id": {
            "description": "The event's id: deduplicate by it.",
            "schema": {"type": "string"},
        },
    }
    return {
        name: {
            "post": {
                "summary": name,
                "parameters": [
                    {"name": header, "in": "header", **spec}
                    for header, spec in headers.items()
                ],
                "requestBody": {
                    "content": {"application/json": {"schema": _ref("WebhookEvent")}}
                },
                "responses": {
                    "2XX": {"description": "Received: not sent again."},
                    "default": {
                        "description": "Sent again later, in order, with "
                        "growing waits; after a day of failures the webhook is "
                        "switched off and its owner told, its events kept."
                    },
                },
            }
        }
        for name in events
    }
