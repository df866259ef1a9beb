"""OpenAPI 3.1 description of the invoices API (served at /api/openapi.json)."""

import copy

from .api_payload import (
    DEFAULT_PER_PAGE,
    LEGACY_LIMIT,
    MAX_DATE,
    MAX_DEPTH,
    MAX_PER_PAGE,
    MIN_DATE,
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


ITEM_INPUT = {
    "type": "object",
    "properties": {
        "description": {"type": "string", "maxLength": 255},
        "long_description": {"type": "string"},
        "qty": {"type": ["number", "string"], "minimum": 0, "examples": [2]},
        "rate": {"type": ["number", "string"], "examples": ["50.00"]},
        "unit": {
            "type": "string",
            "description": "Unit of measure name, if Odoo has it.",
        },
        "order": {"type": ["integer", "string"]},
        "taxname": {
            "oneOf": [
                {"type": "array", "items": {"type": "string"}},
                {"type": "string"},
            ],
            "description": 'Taxes as "NAME|RATE", e.g. "TVA|19.00".',
        },
    },
}

INVOICE_INPUT = {
    "type": "object",
    "description": (
        "Also accepted as form data with Perfex's field names, e.g. "
        "`newitems[0][description]`, `newitems[0][taxname][]`."
    ),
    "properties": {
        "clientid": {"type": ["integer", "string"], "description": "Customer id."},
        "number": {
            "type": ["string", "integer"],
            "description": "Accepted for compatibility; Odoo numbers the invoice.",
        },
        "date": {"type": "string", "format": "date"},
        "duedate": {"type": "string", "format": "date"},
        "currency": {
            "type": ["integer", "string"],
            "description": "Currency id or ISO 4217 code.",
        },
        "newitems": {
            "oneOf": [
                {"type": "array", "items": ITEM_INPUT},
                {"type": "object", "additionalProperties": ITEM_INPUT},
            ]
        },
        "billing_street": {"type": "string"},
        "billing_city": {"type": "string"},
        "billing_state": {"type": "string"},
        "billing_zip": {"type": "string"},
        "billing_country": {
            "type": ["integer", "string"],
            "description": "Country id or ISO 3166 code.",
        },
        "clientnote": {"type": "string"},
        "terms": {"type": "string"},
        "adminnote": {"type": "string"},
        "sale_agent": {"type": ["integer", "string"], "description": "Staff user id."},
        "discount_type": {"enum": ["", "before_tax", "after_tax"]},
        "discount_percent": {
            "type": ["number", "string"],
            "minimum": 0,
            "maximum": 100,
        },
        "cancel_overdue_reminders": {"type": ["integer", "boolean", "string"]},
        "save_as_draft": {"type": ["integer", "boolean", "string"]},
        "sent": {"type": ["integer", "boolean", "string"]},
        "subtotal": {
            "type": ["number", "string"],
            "description": "Checked against Odoo's subtotal (422 when they differ).",
        },
        "total": {
            "type": ["number", "string"],
            "description": "Checked against Odoo's total (422 when they differ).",
        },
    },
}

INVOICE_UPDATE = {
    "type": "object",
    "description": "Only the fields sent change. "
    "Lines of a posted invoice are locked (409).",
    "properties": {
        **INVOICE_INPUT["properties"],
        "items": {
            "oneOf": [
                {"type": "object", "additionalProperties": ITEM_INPUT},
                {"type": "array", "items": {**ITEM_INPUT, "required": ["id"]}},
            ],
            "description": "Changes to existing items, by item id.",
        },
        "removed_items": {
            "oneOf": [
                {"type": "array", "items": {"type": ["integer", "string"]}},
                {"type": ["integer", "string"]},
            ]
        },
    },
}

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
    "Item": {
        "type": "object",
        "required": ["id", "description", "qty", "rate", "taxname", "subtotal"],
        "properties": {
            "id": {"type": "integer"},
            "rel_id": {"type": "integer"},
            "rel_type": {"const": "invoice"},
            "description": {"type": "string"},
            "long_description": {"type": "string"},
            "qty": {"type": "string"},
            "rate": MONEY,
            "unit": {"type": "string"},
            "item_order": {"type": "integer"},
            "taxname": {"type": "array", "items": {"type": "string"}},
            "subtotal": MONEY,
        },
    },
    "Payment": {
        "type": "object",
        "required": ["id", "invoiceid", "amount", "date"],
        "properties": {
            "id": {"type": ["integer", "null"]},
            "invoiceid": {"type": "integer"},
            "amount": MONEY,
            "paymentmode": {"type": "string"},
            "date": NULLABLE_DATE,
            "transactionid": {"type": "string"},
        },
    },
    "InvoiceSummary": {
        "type": "object",
        "required": ["id", "status", "status_name", "total", "odoo_id"],
        "properties": {
            "id": {"type": "integer"},
            "number": {"type": ["integer", "null"]},
            "prefix": {"type": "string"},
            "formatted_number": NULLABLE_STRING,
            "clientid": {"type": ["integer", "null"]},
            "date": NULLABLE_DATE,
            "duedate": NULLABLE_DATE,
            "currency": {"type": "integer"},
            "currency_name": {"type": "string"},
            "subtotal": MONEY,
            "total_tax": MONEY,
            "total": MONEY,
            "total_left_to_pay": MONEY,
            "discount_percent": MONEY,
            "discount_type": {"enum": ["", "before_tax"]},
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
            "billing_country": {"type": "integer"},
            "datecreated": NULLABLE_STRING,
            "odoo_id": {"type": "integer"},
            "portal_url": {"type": "string"},
            "odoo": {"type": "object"},
        },
    },
    "Invoice": {
        "allOf": [
            _ref("InvoiceSummary"),
            {
                "type": "object",
                "required": ["items", "payments"],
                "properties": {
                    "items": {"type": "array", "items": _ref("Item")},
                    "payments": {"type": "array", "items": _ref("Payment")},
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
                "description": "`total` and `total_pages` only with `count=true` "
                "(counting costs as much as the page itself on a large database).",
                "required": ["page", "per_page", "has_more"],
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
            "invoice": _ref("Invoice"),
            "action": {"enum": ["deleted", "cancelled"]},
        },
    },
    "InvoiceInput": INVOICE_INPUT,
    "InvoiceUpdate": INVOICE_UPDATE,
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


def document(server_url="", invoice_properties=None):
    """The OpenAPI 3.1 document, for a server at ``server_url``.

    :param invoice_properties: more properties of an invoice's answer (the
        ones other addons add), merged into the ``InvoiceSummary`` schema.
    """
    schemas = copy.deepcopy(SCHEMAS)
    schemas["InvoiceSummary"]["properties"].update(invoice_properties or {})
    list_parameters = [
        {
            "name": "count",
            "in": "query",
            "description": "With paging: also count the invoices (`meta.total`).",
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
                "nothing. Money is a decimal string in the invoice currency."
            ),
        },
        "servers": [{"url": server_url or "/"}],
        "security": [{"authtoken": []}, {"bearer": []}],
        "paths": {
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
                                            "items": _ref("InvoiceSummary"),
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
                    "responses": {
                        "200": _ok("The invoice", _ref("Invoice")),
                        **_errors("401", "403", "404", "405", "429"),
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
                    "summary": "Search by number (with or without prefix or leading "
                    "zeros), customer name or reference",
                    "parameters": [
                        {
                            "name": "keyword",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "minLength": 1},
                        }
                    ],
                    "responses": {
                        "200": _ok(
                            "Matching invoices",
                            {"type": "array", "items": _ref("InvoiceSummary")},
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
                "bearer": {"type": "http", "scheme": "bearer"},
            },
            "schemas": schemas,
        },
    }
