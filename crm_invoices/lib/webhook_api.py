"""The webhook routes' answers, as Perfex's v3 module gives them and the
n8n PerfexCRM trigger node reads them.

Where the two differ, an answer carries both shapes: a create answers
``id`` (Perfex's docs), ``record_id`` and ``data.id`` (the n8n node reads
``response.data.id``); one webhook is its fields and ``data`` (the node
checks ``response.data``).  Values are text, as Perfex's rows are.
"""

from .api_errors import ApiError

NOT_FOUND = "Webhook not found"


class WebhookValidationFailed(ApiError):
    """422, in the webhook routes' words."""

    status = 422

    def __init__(self, errors, message="Webhook validation failed"):
        super().__init__(message, errors)

    def body(self):
        return {
            "status": False,
            "error": "validation_failed",
            "message": self.message,
            "errors": self.errors,
        }


def _has_nul(value):
    """Whether a text, or a text of a list or an object, holds a NUL."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


#: The longest text a request may give each field.
TEXT_LIMITS = {"name": 256, "url": 2048, "secret": 256}


def type_errors(values):
    """What is not of its kind among a request's webhook ``values`` (texts
    for ``name``, ``url`` and ``secret``, within :data:`TEXT_LIMITS`; a text
    or a list of texts for ``events``; an object for ``headers``; no NUL
    character anywhere): field -> why."""
    errors = {}
    for field, limit in TEXT_LIMITS.items():
        if field not in values:
            continue
        if not isinstance(values[field], str):
            errors[field] = "must be a text"
        elif len(values[field]) > limit:
            errors[field] = f"is longer than {limit} characters"
    for field in ("name", "url", "secret", "events", "headers"):
        if field not in errors and _has_nul(values.get(field)):
            errors[field] = "must not contain NUL characters"
    events = values.get("events")
    if events is not None and not (
        isinstance(events, str)
        or (isinstance(events, list) and all(isinstance(e, str) for e in events))
    ):
        errors["events"] = "must be a text or a list of texts"
    headers = values.get("headers")
    if headers not in (None, False) and not isinstance(headers, dict):
        errors["headers"] = "must be an object"
    return errors


def not_found(webhook_id):
    return ApiError(NOT_FOUND, {"id": f"no webhook {webhook_id}"}, status=404)


def _text(value):
    return None if value is None or value is False else str(value)


def present(values):
    """One webhook as Perfex presents it (the secret never; ``has_secret``).

    :param values: its fields (``id``, ``name``, ``url``, ``events`` as a
        comma list, ``active``, ``headers``, ``timeout``, ``retry_count``,
        ``last_triggered``, ``success_count``, ``failure_count``,
        ``create_date``, ``write_date``, ``has_secret``)
    """

    def stamp(moment):
        return moment.strftime("%Y-%m-%d %H:%M:%S") if moment else None

    return {
        "id": str(values["id"]),
        "name": values["name"],
        "url": values["url"],
        "events": [name for name in (values["events"] or "").split(",") if name],
        "active": "1" if values["active"] else "0",
        "headers": values["headers"] or None,
        "timeout": _text(values["timeout"]),
        "retry_count": _text(values["retry_count"]),
        "last_triggered": stamp(values["last_triggered"]),
        "success_count": _text(values["success_count"] or 0),
        "failure_count": _text(values["failure_count"] or 0),
        "date_created": stamp(values["create_date"]),
        "date_updated": stamp(values["write_date"]),
        "has_secret": bool(values["has_secret"]),
    }


def one(presented):
    """One webhook's answer: its fields, and the same under ``data``."""
    return {**presented, "data": presented}


def created(presented, secret=None):
    """A create's answer; ``secret`` when the server made it (shown once)."""
    answer = {
        "status": True,
        "message": "Webhook created successfully",
        "id": int(presented["id"]),
        "record_id": int(presented["id"]),
        "data": presented,
    }
    if secret:
        answer["secret"] = secret
    return answer


def page(rows, page_number, per_page, total):
    """A list's answer: ``data`` and Perfex's v3 ``meta``."""
    last = max((total + per_page - 1) // per_page, 1)
    return {
        "data": rows,
        "meta": {
            "page": page_number,
            "per_page": per_page,
            "total": total,
            "total_pages": last,
            "has_more": page_number < last,
            "current_page": page_number,
            "last_page": last,
        },
    }


def catalogue(groups):
    """The event catalogue's answer (``groups``: ``{group: {event: label}}``)."""
    events = [event for group in groups.values() for event in group]
    return {
        "total_events": len(events),
        "wildcard": "*",
        "groups": groups,
        "events": events,
    }


def log_row(values):
    """One delivery attempt as Perfex's logs list it."""
    return {
        "id": str(values["id"]),
        "webhook_id": str(values["webhook_id"]),
        "event": values["event"],
        "event_id": values.get("event_uuid"),
        "url": values["url"],
        "response_code": _text(values["status_code"] or None),
        "response_body": values["answer"] or None,
        "error_message": values["error"] or None,
        "attempt_number": str(values["attempt"]),
        "status": values["status"],
        "duration": f"{values['seconds']:.3f}",
        "triggered_at": values["date"].strftime("%Y-%m-%d %H:%M:%S"),
    }
