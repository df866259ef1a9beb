"""OpenAPI 3.1 description of the invoices API (served at /api/openapi.json)."""

import copy

from . import api_fields, openapi_webhooks, perfex, webhook_events
from .api_payload import (
    DEFAULT_PER_PAGE,
    LEGACY_LIMIT,
    MAX_DATE,
    MAX_DEPTH,
    MAX_PER_PAGE,
    MIN_DATE,
    PAGE_META_KEYS,
    SORTABLE,
)

VERSION = "1.0.0"

MONEY = {"type": "string", "pattern": r"^-?\d+(\.\d+)?$", "examples": ["1250.00"]}
NULLABLE_STRING = {"type": ["string", "null"]}
NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _error_response(description):
    return {
        "description": description,
        "content": {"application/json": {"schema": _ref("Error")}},
    }


ERRORS = {
    "401": _error_response(
        "Missing, invalid, expired or revoked token. `error.authtoken` says which."
    ),
    "403": _error_response(
        "The token lacks the scope, or its user may not see the invoice."
    ),
    "404": _error_response("No such invoice, or nothing found (`No data were found`)."),
    "405": {
        **_error_response(
            "Wrong HTTP method; the `Allow` header lists the right ones."
        ),
        "headers": {"Allow": {"schema": {"type": "string"}}},
    },
    "409": _error_response("The invoice's state forbids it (posted, cancelled, paid)."),
    "413": _error_response("The request body is larger than 1 MiB."),
    "422": _error_response(
        "Validation failed; `error` maps each field to its problem. "
        "Nothing was written. Dates are between "
        f"{MIN_DATE} and {MAX_DATE}; JSON bodies and form field names are nested "
        f"at most {MAX_DEPTH} levels; text holds no NUL character; a PUT naming an "
        "unknown or read-only field is refused."
    ),
    "429": {
        **_error_response("Over the token's rate limit."),
        "headers": {
            "Retry-After": {
                "description": "Seconds to wait before retrying.",
                "schema": {"type": "string", "pattern": r"^\d+$"},
            }
        },
    },
}


ERRORS["503"] = {
    **_error_response(
        "A concurrent update Odoo could not retry away; nothing was written."
    ),
    "headers": {"Retry-After": {"schema": {"type": "string", "pattern": r"^\d+$"}}},
}


def _errors(*codes):
    return {code: ERRORS[code] for code in (*codes, "503")}


ITEM_INPUT = {"type": "object", "properties": api_fields.item_properties()}

INVOICE_INPUT = {
    "type": "object",
    "description": (
        "Also accepted as form data with Perfex's field names, e.g. "
        "`newitems[0][description]`, `newitems[0][taxname][]`."
    ),
    "required": list(api_fields.REQUIRED),
    "properties": api_fields.request_properties(items_schema=ITEM_INPUT),
}

INVOICE_UPDATE = {
    "type": "object",
    "description": "Only the fields sent change; a PUT with the values the invoice "
    "has changes nothing. A change to a posted invoice without payment resets it "
    "to draft, applies the change and posts it again under the same number "
    "(action 'reposted'); otherwise 409 says why. Read-only keys of an answer may "
    "be sent back with their value; another value is a 422.",
    "properties": api_fields.request_properties(update=True, items_schema=ITEM_INPUT),
}
INVOICE_UPDATE["properties"]["items"]["description"] = (
    "Changes to existing items, named by itemid (or id, or their key); an item "
    "without one is added."
)

SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["status", "message", "error"],
        "properties": {
            "status": {"const": False},
            "message": {"type": "string"},
            "error": {"type": "object", "additionalProperties": {"type": "string"}},
        },
    },
    "InvoiceSummary": {
        "type": "object",
        "description": "An invoice of a page: numbers as numbers; all keys "
        "present unless `fields` narrows them.",
        "properties": {
            "id": {"type": "integer"},
            "number": {"type": ["integer", "null"]},
            "prefix": {"type": "string"},
            "formatted_number": NULLABLE_STRING,
            "clientid": {"type": ["integer", "null"]},
            "client_number": NULLABLE_STRING,
            "date": NULLABLE_DATE,
            "duedate": NULLABLE_DATE,
            "currency": {"type": ["integer", "string"]},
            "currency_name": {"type": "string"},
            "subtotal": MONEY,
            "total_tax": MONEY,
            "total": MONEY,
            "total_left_to_pay": MONEY,
            "discount_percent": MONEY,
            "discount_type": {"enum": ["", "before_tax", "after_tax"]},
            "status": {
                "type": "integer",
                "enum": [1, 2, 3, 4, 5, 6],
                "description": "1 unpaid (or sent), 2 paid, 3 partially paid, "
                "4 overdue, 5 cancelled, 6 draft.",
            },
            "status_name": {"type": "string"},
            "sent": {"enum": [0, 1]},
            "datesend": NULLABLE_STRING,
            "clientnote": {"type": "string"},
            "adminnote": {"type": "string"},
            "terms": {"type": "string"},
            "sale_agent": {"type": "integer"},
            "cancel_overdue_reminders": {"enum": [0, 1]},
            "billing_street": {"type": "string"},
            "billing_city": {"type": "string"},
            "billing_state": {"type": "string"},
            "billing_zip": {"type": "string"},
            "billing_country": {"type": ["integer", "string"]},
            "datecreated": NULLABLE_STRING,
            "odoo_id": {"type": "integer"},
            "portal_url": {"type": "string"},
            "odoo": {"type": "object"},
        },
    },
    "PerfexInvoice": {
        "type": "object",
        "description": "An invoice as Perfex's invoices table has it: every value "
        "a string (or null), Perfex's keys, all present unless `fields` narrows "
        "them; Odoo's own under odoo_id, portal_url and odoo.",
        "properties": {
            **{key: NULLABLE_STRING for key in perfex.INVOICE_COLUMNS},
            "subtotal": MONEY,
            "total_tax": MONEY,
            "total": MONEY,
            "status": {
                "enum": ["1", "2", "3", "4", "5", "6"],
                "description": "1 unpaid (or sent), 2 paid, 3 partially paid, "
                "4 overdue, 5 cancelled, 6 draft.",
            },
            "odoo_id": {"type": "integer"},
            "portal_url": {"type": "string"},
            "odoo": {"type": "object"},
        },
    },
    "PerfexItem": {
        "type": "object",
        "required": list(perfex.ITEM_KEYS),
        "properties": {
            **{key: {"type": "string"} for key in perfex.ITEM_KEYS},
            "taxname": {"type": "array", "items": {"type": "string"}},
        },
    },
    "PerfexPayment": {
        "type": "object",
        "required": list(perfex.PAYMENT_KEYS),
        "properties": {key: NULLABLE_STRING for key in perfex.PAYMENT_KEYS},
    },
    "PerfexClient": {
        "type": "object",
        "required": list(perfex.CLIENT_KEYS),
        "properties": {key: NULLABLE_STRING for key in perfex.CLIENT_KEYS},
    },
    "Invoice": {
        "allOf": [
            _ref("PerfexInvoice"),
            {
                "type": "object",
                "description": "One invoice, as Perfex's GET answer has it.",
                "properties": {
                    **{key: NULLABLE_STRING for key in perfex.CURRENCY_COLUMNS},
                    "total_left_to_pay": MONEY,
                    "items": {"type": "array", "items": _ref("PerfexItem")},
                    "attachments": {"type": "array", "items": {"type": "object"}},
                    "visible_attachments_to_customer_found": {"type": "boolean"},
                    "client": _ref("PerfexClient"),
                    "payments": {"type": "array", "items": _ref("PerfexPayment")},
                    "scheduled_email": {"type": "null"},
                },
            },
        ]
    },
    "PerfexListRow": {
        "allOf": [
            _ref("PerfexInvoice"),
            {
                "type": "object",
                "description": "An invoice of the unpaged list, as Perfex's list "
                "gives it: joined with its currency, and what is left to pay.",
                "properties": {
                    **{key: NULLABLE_STRING for key in perfex.CURRENCY_COLUMNS},
                    "total_left_to_pay": MONEY,
                },
            },
        ]
    },
    "PerfexSearchRow": {
        "allOf": [
            _ref("PerfexInvoice"),
            {
                "type": "object",
                "description": "A search hit: the invoice joined with its "
                "customer's columns, as Perfex's search answers.",
                "properties": {
                    **{key: NULLABLE_STRING for key in perfex.SEARCH_CLIENT_KEYS},
                    "invoiceid": {"type": "string"},
                },
            },
        ]
    },
    "InvoicePage": {
        "type": "object",
        "required": ["data", "meta"],
        "properties": {
            "data": {"type": "array", "items": _ref("InvoiceSummary")},
            "meta": {
                "type": "object",
                "description": "Perfex v3's envelope: all seven keys, always "
                "(`current_page` and `last_page` are v3's names; `last_page` is 1 "
                "for an empty list).",
                "required": list(PAGE_META_KEYS),
                "properties": {
                    "page": {"type": "integer", "minimum": 1},
                    "per_page": {
                        "type": "integer",
                        "minimum": 1,
                        "maximum": MAX_PER_PAGE,
                    },
                    "total": {"type": "integer", "minimum": 0},
                    "total_pages": {"type": "integer", "minimum": 0},
                    "has_more": {"type": "boolean"},
                    "current_page": {"type": "integer", "minimum": 1},
                    "last_page": {"type": "integer", "minimum": 1},
                },
            },
        },
    },
    "Written": {
        "type": "object",
        "required": ["status", "message", "id"],
        "properties": {
            "status": {"const": True},
            "message": {"type": "string"},
            "id": {"type": "integer"},
            "record_id": {"type": "integer", "description": "Perfex v3's id."},
            "warnings": {
                "type": "object",
                "additionalProperties": {"type": "string"},
                "description": "The client's subtotal or total differed from "
                "Odoo's: the invoice has Odoo's (unless the company refuses such "
                "requests: then 422).",
            },
            "invoice": _ref("Invoice"),
            "action": {
                "enum": ["deleted", "cancelled", "unchanged", "updated", "reposted"]
            },
        },
    },
    "InvoiceInput": INVOICE_INPUT,
    "InvoiceUpdate": INVOICE_UPDATE,
}

FIELDS_PARAMETER = {
    "name": "fields",
    "in": "query",
    "description": "Perfex v3: comma-separated keys to keep in each invoice.",
    "schema": {"type": "string"},
}

ID_PARAMETER = {
    "name": "id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
}


def _body(schema_name):
    schema = _ref(schema_name)
    return {
        "required": True,
        "content": {
            "application/json": {"schema": schema},
            "application/x-www-form-urlencoded": {"schema": {"type": "object"}},
            "multipart/form-data": {"schema": {"type": "object"}},
        },
    }


def _ok(description, schema):
    return {
        "description": description,
        "content": {"application/json": {"schema": schema}},
    }


def document(server_url="", invoice_properties=None, events=None):
    """The OpenAPI 3.1 document, for a server at ``server_url``.

    :param invoice_properties: more properties of an invoice's answer (the
        ones other addons add), merged into the ``InvoiceSummary`` schema.
    :param events: the webhook events' names (the base addon's when
        ``None``; other addons add theirs).
    """
    if events is None:
        events = webhook_events.events_of(webhook_events.CATALOGUE)
    schemas = copy.deepcopy(SCHEMAS)
    schemas.update(copy.deepcopy(openapi_webhooks.SCHEMAS))
    for name in ("InvoiceSummary", "PerfexInvoice"):
        schemas[name]["properties"].update(invoice_properties or {})
    list_parameters = [
        FIELDS_PARAMETER,
        {
            "name": "include_cancelled",
            "in": "query",
            "description": "Also cancelled invoices (a DELETE cancels a posted "
            "invoice; it is then left out like a deleted one). status=5 lists "
            "them too.",
            "schema": {"type": "string", "enum": ["true", "false", "1", "0"]},
        },
        {
            "name": "count",
            "in": "query",
            "description": "Accepted for older clients: a page always carries "
            "its count (`meta.total`).",
            "schema": {"type": "string", "enum": ["true", "false", "1", "0"]},
        },
        {"name": "nr_page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
        {
            "name": "page",
            "in": "query",
            "description": "Alias of nr_page.",
            "schema": {"type": "integer", "minimum": 1},
        },
        {
            "name": "per_page",
            "in": "query",
            "description": f"1-{MAX_PER_PAGE}, default {DEFAULT_PER_PAGE}.",
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
        },
        {
            "name": "limit",
            "in": "query",
            "description": "With page (or nr_page) and without per_page: an alias "
            f"of per_page (1-{MAX_PER_PAGE}). Without page: the unpaged list's "
            f"first `limit` invoices (1-{LEGACY_LIMIT}).",
            "schema": {"type": "integer", "minimum": 1, "maximum": LEGACY_LIMIT},
        },
        {
            "name": "sort",
            "in": "query",
            "description": "Comma-separated fields, '-' for descending: "
            + ", ".join(SORTABLE),
            "schema": {"type": "string"},
        },
        {
            "name": "status",
            "in": "query",
            "description": "Perfex code 1-6 or a status name.",
            "schema": {"type": "string"},
        },
        {
            "name": "clientid",
            "in": "query",
            "schema": {"type": "integer", "minimum": 1},
        },
        {
            "name": "date_from",
            "in": "query",
            "schema": {"type": "string", "format": "date"},
        },
        {
            "name": "date_to",
            "in": "query",
            "schema": {"type": "string", "format": "date"},
        },
    ]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "crm-invoices REST API",
            "version": VERSION,
            "description": (
                "Customer invoices of Odoo, compatible with the `authtoken` API of "
                "Perfex-style CRMs. Every answer is JSON; a request that fails writes "
                "nothing. Money is a decimal string in the invoice currency. Every "
                "path is also served under `/api/v1` (the n8n PerfexCRM node's). "
                "The token goes in a header, never in the query string: URLs end "
                "up in logs."
            ),
        },
        "servers": [{"url": server_url or "/"}],
        "security": [{"authtoken": []}, {"apiKey": []}, {"bearer": []}],
        "webhooks": openapi_webhooks.webhooks(events),
        "paths": {
            **openapi_webhooks.paths(_errors),
            "/api/invoices": {
                "get": {
                    "operationId": "listInvoices",
                    "summary": "List invoices",
                    "description": "A JSON array by default (Perfex's shape), at "
                    f"most {LEGACY_LIMIT} invoices: the `X-Total-Count` header says "
                    "how many match and, when there are more, the `Link` header "
                    "(rel=next) gives the next page in the paged form. With "
                    "nr_page, page or per_page, a page with its meta.",
                    "parameters": list_parameters,
                    "responses": {
                        "200": {
                            **_ok(
                                "Invoices",
                                {
                                    "oneOf": [
                                        {
                                            "type": "array",
                                            "items": _ref("PerfexListRow"),
                                        },
                                        _ref("InvoicePage"),
                                    ]
                                },
                            ),
                            "headers": {
                                "X-Total-Count": {
                                    "description": "Unpaged: invoices matching.",
                                    "schema": {"type": "string"},
                                },
                                "Link": {
                                    "description": "Unpaged, when capped: the next "
                                    "page.",
                                    "schema": {"type": "string"},
                                },
                            },
                        },
                        **_errors("401", "403", "404", "405", "422", "429"),
                    },
                },
                "post": {
                    "operationId": "createInvoice",
                    "summary": "Create an invoice (posted unless save_as_draft)",
                    "parameters": [
                        {
                            "name": "Idempotency-Key",
                            "in": "header",
                            "description": "Same key and body within 24 h: the first "
                            "answer again, nothing created.",
                            "schema": {"type": "string", "maxLength": 255},
                        }
                    ],
                    "requestBody": _body("InvoiceInput"),
                    "responses": {
                        "200": _ok("Invoice Added Successfully", _ref("Written")),
                        **_errors("401", "403", "405", "409", "413", "422", "429"),
                    },
                },
            },
            "/api/invoices/{id}": {
                "parameters": [ID_PARAMETER],
                "get": {
                    "operationId": "getInvoice",
                    "summary": "One invoice with its items and payments",
                    "parameters": [
                        FIELDS_PARAMETER,
                        {
                            "name": "include_cancelled",
                            "in": "query",
                            "description": "Also a cancelled invoice (else 404).",
                            "schema": {
                                "type": "string",
                                "enum": ["true", "false", "1", "0"],
                            },
                        },
                    ],
                    "responses": {
                        "200": _ok("The invoice", _ref("Invoice")),
                        **_errors("401", "403", "404", "405", "422", "429"),
                    },
                },
                "put": {
                    "operationId": "updateInvoice",
                    "summary": "Update an invoice",
                    "requestBody": _body("InvoiceUpdate"),
                    "responses": {
                        "200": _ok("Invoice Updated Successfully", _ref("Written")),
                        **_errors(
                            "401", "403", "404", "405", "409", "413", "422", "429"
                        ),
                    },
                },
                "delete": {
                    "operationId": "deleteInvoiceRest",
                    "summary": "Same as DELETE /api/delete/invoices/{id}",
                    "responses": {
                        "200": _ok("Deleted or cancelled", _ref("Written")),
                        **_errors("401", "403", "404", "405", "409", "429"),
                    },
                },
            },
            "/api/invoices/search/{keyword}": {
                "get": {
                    "operationId": "searchInvoices",
                    "summary": "Search by number (the client's, or Odoo's with or "
                    "without prefix or leading zeros), customer name or reference",
                    "parameters": [
                        {
                            "name": "keyword",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "minLength": 1},
                        },
                        FIELDS_PARAMETER,
                    ],
                    "responses": {
                        "200": _ok(
                            "Matching invoices",
                            {"type": "array", "items": _ref("PerfexSearchRow")},
                        ),
                        **_errors("401", "403", "404", "405", "422", "429"),
                    },
                }
            },
            "/api/invoices/search": {
                "get": {
                    "operationId": "searchInvoicesQuery",
                    "summary": "Perfex v3's search: the keyword as ?q=",
                    "parameters": [
                        {
                            "name": "q",
                            "in": "query",
                            "required": True,
                            "schema": {"type": "string", "minLength": 1},
                        },
                        FIELDS_PARAMETER,
                    ],
                    "responses": {
                        "200": _ok(
                            "Matching invoices",
                            {"type": "array", "items": _ref("PerfexSearchRow")},
                        ),
                        **_errors("401", "403", "404", "405", "422", "429"),
                    },
                }
            },
            "/api/delete/invoices/{id}": {
                "parameters": [ID_PARAMETER],
                "delete": {
                    "operationId": "deleteInvoice",
                    "summary": "Delete a draft; cancel a posted invoice",
                    "description": "`action` says which happened: a posted invoice is "
                    "cancelled, so the legal numbering never gets a hole.",
                    "responses": {
                        "200": _ok("Deleted or cancelled", _ref("Written")),
                        **_errors("401", "403", "404", "405", "409", "429"),
                    },
                },
            },
        },
        "components": {
            "securitySchemes": {
                "authtoken": {"type": "apiKey", "in": "header", "name": "authtoken"},
                "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-KEY"},
                "bearer": {"type": "http", "scheme": "bearer"},
            },
            "schemas": schemas,
        },
    }
