"""The invoices API's errors and their HTTP answers, in one place.

Every answer other than a success is JSON ``{"status": false, "message",
"error": {field: why}}`` with an HTTP status.  The API's own refusals are
:class:`ApiError` (a werkzeug HTTP exception, so that Odoo answers one raised
during authentication without logging it as a fault); the validator raises
:class:`ValidationFailed` (422), the writer :class:`ApiConflict` (409).  What
Odoo itself raises maps to a status by :func:`answer_for` (by class name:
this module does not import Odoo); anything else is a 500.  The API speaks
English (its authentication sets the language), so messages are plain text.
"""

from werkzeug.exceptions import HTTPException


class ApiError(HTTPException):
    """An answer other than success: ``status``, ``message``, ``errors``
    (field → why) and response ``headers``."""

    status = 400

    def __init__(self, message, errors=None, headers=None, status=None):
        super().__init__(message)
        self.code = status or self.status
        self.message = message
        self.errors = dict(errors or {})
        self.headers = dict(headers or {})

    def __str__(self):
        return self.message

    def body(self):
        return error_json(self.message, self.errors)


class ValidationFailed(ApiError):
    """Bad input (422): ``errors`` maps each offending field to a message."""

    status = 422

    def __init__(self, errors, message="Validation failed"):
        super().__init__(message, errors)


class ApiConflict(ApiError):
    """The request is valid but the invoice's state forbids it (409)."""

    status = 409

    def __init__(self, message, errors=None):
        super().__init__(message, errors or {"state": message})


def error_json(message, errors=None):
    return {"status": False, "message": message, "error": dict(errors or {})}


NOT_FOUND = "No data were found"

#: What Odoo raises, by class name (the first of the exception's classes that
#: is named here decides): status, message (``None``: the exception's) and
#: the error key.
ODOO_ERRORS = {
    "MissingError": (404, NOT_FOUND, {"id": "not found"}),
    "AccessError": (
        403,
        "You are not allowed to access this invoice",
        {"access": "denied by the token user's access rights"},
    ),
    # a refusal of Odoo's (ValidationError included): its message, as it is
    "UserError": (422, None, "odoo"),
    # PostgreSQL refused a value (too long for a column, out of range)
    "DataError": (422, "Invalid value", "body"),
}

#: Failures of the request itself, by status (routing, concurrency).
ROUTING_MESSAGES = {
    404: NOT_FOUND,
    405: "Method not allowed",
    503: "The server is busy: retry",
}


def answer_for(exception):
    """The :class:`ApiError` that answers ``exception``; ``None`` when it is
    not one the API expects (a fault: 500)."""
    if isinstance(exception, ApiError):
        return exception
    for cls in type(exception).__mro__:
        if cls.__name__ not in ODOO_ERRORS:
            continue
        status, message, errors = ODOO_ERRORS[cls.__name__]
        text = str(exception)
        if isinstance(errors, str):  # the key of the exception's own text
            shown = text.splitlines()[0][:200] if message else text
            errors = {errors: shown}
        return ApiError(message or text, errors, status=status)
    return None


def routing_error(status, headers=None):
    """The answer to a request no endpoint answered: no route (404), a wrong
    method (405), a concurrency failure Odoo could not retry away (503); a
    status that is not an error's is a fault (500)."""
    if not isinstance(status, int) or not 400 <= status < 600:
        status = 500
    message = ROUTING_MESSAGES.get(status, "Internal error")
    return ApiError(message, {"request": message}, headers, status=status)


def internal_error():
    """A fault of the server (logged by the caller)."""
    return ApiError("Internal error", {"server": "unexpected"}, status=500)
