"""Which payment reminder is due for an invoice, given its lateness.

Levels only escalate: the level due is the highest level whose delay has
passed, unless that level, or a later one, was already sent.  A job that did
not run for days therefore sends one reminder, the highest due, never a burst
of the levels it missed, and never a polite reminder after a firm one.
"""

from collections import namedtuple

from . import domain_rule, invoice_status

#: Opt-outs and the address a reminder needs, besides being overdue.
REMINDABLE = [
    ("crm_no_reminders", "=", False),
    ("commercial_partner_id.crm_no_payment_reminders", "=", False),
    ("partner_id.email", "!=", False),
]

#: Why an invoice gets no reminder, by the condition it fails (the field,
#: else the field and operator).
REFUSALS = {
    "move_type": "not_customer_invoice",
    "state": "nothing_to_pay",
    ("payment_state", "not in"): "nothing_to_pay",
    ("payment_state", "!="): "in_dispute",
    "amount_residual": "nothing_to_pay",
    "invoice_date_due": "not_overdue",
    "crm_no_reminders": "invoice_opted_out",
    "commercial_partner_id.crm_no_payment_reminders": "customer_opted_out",
    "partner_id.email": "no_email",
}


def eligible_domain(today):
    """The rule "may get a payment reminder" as a domain on ``account.move``:
    collectable (not in dispute) and overdue -- the rules themselves --, not
    opted out, with an email address.

    The job selects its candidates with it; :func:`refusal` tells a user
    which of its conditions an invoice fails.
    """
    return [
        *invoice_status.collectable_domain(),
        ("invoice_date_due", "<", today),
        *REMINDABLE,
    ]


def refusal(values, today):
    """The reason code why an invoice gets no reminder, ``None`` when it may.

    :param values: the invoice's values for the fields of :func:`eligible_domain`.
    """
    leaf = domain_rule.failing_leaf(eligible_domain(today), values)
    if not leaf:
        return None
    return REFUSALS.get((leaf[0], leaf[1])) or REFUSALS[leaf[0]]


#: A reminder level: its id and its delay in days after the due date.
Level = namedtuple("Level", ["id", "delay_days"])


def days_overdue(due_date, today):
    """Whole days since the due date (0 or less when not late)."""
    return (today - due_date).days


def level_due(levels, days_late, sent=()):
    """The one :class:`Level` to send now, or ``None``.

    :param levels: the active levels of the invoice's company.
    :param days_late: days since the invoice's due date.
    :param sent: the levels already sent for the invoice (archived ones too).
    """
    passed = [level for level in levels if level.delay_days <= days_late]
    if not passed or days_late <= 0:
        return None
    due = max(passed, key=lambda level: (level.delay_days, level.id))
    sent_ids = {level.id for level in sent}
    if due.id in sent_ids or any(level.delay_days >= due.delay_days for level in sent):
        return None
    return due
