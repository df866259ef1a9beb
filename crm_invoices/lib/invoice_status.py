"""The CRM status of a customer invoice, derived from Odoo's own fields.

Odoo knows an invoice's ``state`` (draft / posted / cancel), its ``payment_state``
and whether it was sent (``is_move_sent``).  A CRM user thinks in one status:
draft, unpaid, sent, partially paid, paid, overdue, credited (settled by
credit notes alone: issued, then annulled by them -- not voided) or
cancelled.  When several hold at once the first one of :data:`PRECEDENCE`
wins.

A credit note is not an invoice the customer owes: the company owes it.  Once
posted it has statuses of its own -- open (money still to give back or to set
against an invoice), applied (set against invoices) or refunded (paid out) --
and never takes an invoice's (unpaid, sent, overdue...).
"""

from . import domain_rule

DRAFT = "draft"
UNPAID = "unpaid"
SENT = "sent"
PARTIAL = "partial"
PAID = "paid"
OVERDUE = "overdue"
CANCELLED = "cancelled"
CREDITED = "credited"
CREDIT_OPEN = "credit_open"
CREDIT_APPLIED = "credit_applied"
CREDIT_REFUNDED = "credit_refunded"

#: (value, English label), in the order a user reads the life of an invoice.
INVOICE_SELECTION = [
    (DRAFT, "Draft"),
    (UNPAID, "Unpaid"),
    (SENT, "Sent"),
    (PARTIAL, "Partially Paid"),
    (OVERDUE, "Overdue"),
    (PAID, "Paid"),
    (CREDITED, "Credited"),
    (CANCELLED, "Cancelled"),
]
#: A posted credit note's statuses.
CREDIT_NOTE_SELECTION = [
    (CREDIT_OPEN, "Credit Note Open"),
    (CREDIT_APPLIED, "Credit Note Applied"),
    (CREDIT_REFUNDED, "Credit Note Refunded"),
]
#: Every status: an invoice's, then a credit note's.
SELECTION = INVOICE_SELECTION + CREDIT_NOTE_SELECTION
CREDIT_NOTE_STATUSES = tuple(value for value, _label in CREDIT_NOTE_SELECTION)

#: When two statuses hold, the first one in this tuple is the status.
PRECEDENCE = (
    CANCELLED,
    CREDITED,
    CREDIT_REFUNDED,
    CREDIT_APPLIED,
    CREDIT_OPEN,
    PAID,
    OVERDUE,
    PARTIAL,
    SENT,
    UNPAID,
    DRAFT,
)

#: Statuses in which the customer still owes money.
OPEN_STATUSES = (UNPAID, SENT, PARTIAL, OVERDUE)

#: Perfex CRM numeric status codes of the invoice statuses (the API speaks
#: them; it serves invoices, not credit notes). "sent" has no code of
#: its own in Perfex: a sent invoice is still "unpaid" (1) with ``sent = 1``;
#: nor has "credited": Perfex marks an invoice its credits settle in full
#: "paid" (2).
PERFEX_CODES = {
    UNPAID: 1,
    SENT: 1,
    PAID: 2,
    CREDITED: 2,
    PARTIAL: 3,
    OVERDUE: 4,
    CANCELLED: 5,
    DRAFT: 6,
}

#: Odoo payment states meaning "nothing left to collect".
PAID_PAYMENT_STATES = ("paid", "in_payment")
#: Fully compensated by a credit note: the invoice is annulled, not paid.
REVERSED_PAYMENT_STATE = "reversed"
#: Paid, or settled by credit notes: nothing is left to collect.
SETTLED_PAYMENT_STATES = (*PAID_PAYMENT_STATES, REVERSED_PAYMENT_STATE)
#: Odoo's ``blocked`` payment state, set by hand: the invoice is in dispute.
#: It keeps its status (an overdue invoice in dispute is still late) but is
#: not collected: no reminder, no pay link, no late-payment interest, and a
#: bank line never closes it by itself -- a person settles the dispute.
IN_DISPUTE = "blocked"
#: Payment states of an invoice something was set against (a payment, a
#: credit note): it cannot be cancelled or reset without undoing that.
SETTLED_IN_PART_STATES = ("partial", *SETTLED_PAYMENT_STATES)


def open_domain():
    """The rule "open": a posted customer invoice with money left, neither
    paid nor settled by credit notes (in dispute or not)."""
    return [
        ("move_type", "=", "out_invoice"),
        ("state", "=", "posted"),
        ("payment_state", "not in", SETTLED_PAYMENT_STATES),
        ("amount_residual", ">", 0),
    ]


def receivable_domain():
    """The rule "receivable": posted customer invoices and credit notes that
    are neither paid nor settled -- what customers owe, their open credit
    notes deducted (an invoice in dispute is still owed)."""
    return [
        ("move_type", "in", ("out_invoice", "out_refund")),
        ("state", "=", "posted"),
        ("payment_state", "not in", SETTLED_PAYMENT_STATES),
    ]


def collectable_domain():
    """The rule "collectable": open and not in dispute (:data:`IN_DISPUTE`).
    What the reminders, the pay links, the late-payment interest and the
    bank matcher collect -- each asks this rule, as a domain, or in SQL made
    from it by the ORM."""
    return [*open_domain(), ("payment_state", "!=", IN_DISPUTE)]


def interest_bearing_domain():
    """The rule "may bear late-payment interest": a posted customer invoice
    with a due date, not in dispute, in a company that charges interest,
    not itself an interest invoice (paid or not: an invoice paid late owes
    the days it was late)."""
    return [
        ("move_type", "=", "out_invoice"),
        ("state", "=", "posted"),
        ("payment_state", "!=", IN_DISPUTE),
        ("invoice_date_due", "!=", False),
        ("company_id.crm_late_interest", "=", True),
        ("crm_late_charge_invoice", "=", False),
    ]


def is_collectable(values):
    """:func:`collectable_domain` on one invoice's ``values``."""
    return domain_rule.matches(collectable_domain(), values)


def has_payments(state, payment_state, amount_residual, amount_total):
    """Whether something was set against a posted invoice (a payment, a
    credit note): it cannot be cancelled or reset to draft until that is
    undone.  An invoice in dispute has when part of it was paid."""
    if state != "posted":
        return False
    if payment_state in SETTLED_IN_PART_STATES:
        return True
    return payment_state == IN_DISPUTE and amount_residual != amount_total


def overdue_domain(today):
    """The rule "overdue" as a domain on ``account.move``: an open invoice
    (:func:`open_domain`) after its due date.

    The daily job selects with it; :func:`holding_statuses` evaluates it, so
    the status an invoice gets and the invoices the job moves never disagree.
    """
    return [*open_domain(), ("invoice_date_due", "<", today)]


def holding_statuses(
    *,
    state,
    payment_state,
    is_sent,
    due_date,
    today,
    amount_residual,
    is_refund=False,
    paid_out=False,
):
    """Return the set of statuses that hold for an invoice or a credit note.

    :param state: Odoo move state: ``draft``, ``posted`` or ``cancel``.
    :param payment_state: Odoo payment state (``not_paid``, ``partial``, ``paid``...).
    :param is_sent: whether the invoice was sent to the customer.
    :param due_date: ``datetime.date`` or ``None``.
    :param today: ``datetime.date`` of the company's today.
    :param amount_residual: amount left to pay, in the invoice currency.
    :param is_refund: a credit note: never overdue (the company owes it), and
        once posted it has a credit note's statuses only.
    :param paid_out: a settled credit note was settled, at least in part, by
        money paid to the customer (else only against invoices).
    """
    if state == "cancel":
        return {CANCELLED}
    if state != "posted":
        return {DRAFT}
    if is_refund:
        settled = payment_state in SETTLED_PAYMENT_STATES
        if not settled:
            return {CREDIT_OPEN}
        return {CREDIT_REFUNDED if paid_out else CREDIT_APPLIED}
    holding = {UNPAID}
    if payment_state == REVERSED_PAYMENT_STATE:
        holding.add(CREDITED)
    if payment_state in PAID_PAYMENT_STATES:
        holding.add(PAID)
    if payment_state == "partial":
        holding.add(PARTIAL)
    if is_sent:
        holding.add(SENT)
    values = {
        "move_type": "out_refund" if is_refund else "out_invoice",
        "state": state,
        "payment_state": payment_state,
        "amount_residual": amount_residual,
        "invoice_date_due": due_date,
    }
    if domain_rule.matches(overdue_domain(today), values):
        holding.add(OVERDUE)
    return holding


def invoice_status(**kwargs):
    """Return the one status of an invoice (see :func:`holding_statuses`)."""
    holding = holding_statuses(**kwargs)
    return next(status for status in PRECEDENCE if status in holding)


def perfex_code(status):
    """Perfex numeric code of a status, ``None`` when there is no status."""
    return PERFEX_CODES.get(status)


def statuses_for_perfex_code(code):
    """All statuses that map to a Perfex numeric code (1 → unpaid and sent)."""
    return tuple(status for status, value in PERFEX_CODES.items() if value == code)


def days_overdue(status, due_date, today):
    """Days since the due date of an overdue invoice, 0 for any other."""
    if status != OVERDUE or due_date is None:
        return 0
    return max((today - due_date).days, 0)
