"""The events a webhook may subscribe to, and which subscriptions match.

Names are dotted, ``group.action`` (``invoice.created``), as Perfex's v3
webhooks and the n8n PerfexCRM trigger node name them; an underscore name
(``invoice_created``, Perfex's older spelling) is read as the dotted one.  A
subscription is an event name, ``group.*`` (every event of a group) or ``*``
(every event).  The catalogue here is the base addon's; the pay link,
e-Factura and bank addons add theirs (``crm.invoices.webhook.event``
``_crm_catalogue``).
"""

#: Every event of every group.
WILDCARD = "*"

#: ``{group: {event: description}}``: Perfex's invoice, payment and credit
#: note events (the n8n trigger node's list), then this product's own.
CATALOGUE = {
    "invoices": {
        "invoice.created": "Invoice created",
        "invoice.updated": "Invoice updated",
        "invoice.sent": "Invoice sent to the customer",
        "invoice.paid": "Invoice fully paid",
        "invoice.overdue": "Invoice past its due date with money left",
        "invoice.status_changed": "Invoice status changed",
        "invoice.cancelled": "Invoice cancelled",
        "invoice.deleted": "Invoice deleted",
    },
    "payments": {
        "payment.created": "Payment recorded",
        "payment.updated": "Payment updated",
        "payment.deleted": "Payment deleted",
    },
    "credit_notes": {
        "credit_note.created": "Credit note created",
        "credit_note.updated": "Credit note updated",
        "credit_note.status_changed": "Credit note status changed",
        "credit_note.credits_applied": "Credit note applied to invoices",
        "credit_note.refund_created": "Credit note refunded to the customer",
        "credit_note.deleted": "Credit note deleted",
    },
    "reminders": {
        "reminder.sent": "Payment reminder sent",
    },
}


def normalize(name):
    """``name`` stripped and in lower case."""
    return (name or "").strip().lower()


def dotted(name, known):
    """The dotted event of ``known`` that ``name`` spells with underscores
    (``credit_note_credits_applied`` -> ``credit_note.credits_applied``), or
    ``name`` itself."""
    name = normalize(name)
    if name in known or "." in name or name == WILDCARD:
        return name
    for event in known:
        if event.replace(".", "_") == name:
            return event
    return name


def events_of(catalogue):
    """Every event name of ``catalogue``, in its order."""
    return [event for group in catalogue.values() for event in group]


def unknown(subscriptions, catalogue):
    """The subscriptions that name no event, group or wildcard of
    ``catalogue`` (what a create or update refuses)."""
    known = set(events_of(catalogue))
    groups = {event.split(".", 1)[0] for event in known}
    refused = []
    for name in subscriptions:
        if name == WILDCARD or name in known:
            continue
        if name.endswith(".*") and name[:-2] in groups:
            continue
        refused.append(name)
    return refused


def parse(value, catalogue):
    """The subscriptions of ``value`` (a list, or a comma separated string),
    normalized and deduplicated in order."""
    if isinstance(value, str):
        value = value.split(",")
    known = set(events_of(catalogue))
    seen, names = set(), []
    for item in value or ():
        name = dotted(str(item), known)
        if name and name not in seen:
            seen.add(name)
            names.append(name)
    return names


def matches(subscriptions, event):
    """Whether ``subscriptions`` receive ``event``."""
    group = event.split(".", 1)[0]
    return any(name in (WILDCARD, event, f"{group}.*") for name in subscriptions or ())
