"""Which invoices have a pay link: one rule, as a domain.

The ORM runs it in SQL (the install hook, the list of open invoices) and
:func:`needs_pay_link` evaluates it on one invoice's values (when an invoice
is posted, printed or renewed), so both always agree.
"""

from odoo.addons.crm_invoices.lib import domain_rule, invoice_status

#: Payment states of a paid invoice: its link says "already paid".
PAID_STATES = invoice_status.PAID_PAYMENT_STATES

#: An invoice paid by link is a collectable one
#: (:func:`~odoo.addons.crm_invoices.lib.invoice_status.collectable_domain`):
#: posted, money left, not settled, not in dispute.
NEEDS_PAY_LINK = tuple(invoice_status.collectable_domain())


#: Operations of a transaction that charge nothing: a payment method check,
#: a refund.  Every other transaction (even one created without an
#: operation) becomes a payment when it is confirmed.
NOT_CHARGES = ("validation", "refund")


def is_charge(operation, child):
    """Whether a transaction of ``operation`` charges the customer (a
    partial capture's ``child`` belongs to the charge it captures)."""
    return operation not in NOT_CHARGES and not child


def in_progress_domain(started_since):
    """The payment transactions that may still charge the customer, or have
    charged them without Odoo having recorded it: a charge (not a partial
    capture's child) pending or authorized; confirmed by the provider and
    not post-processed yet; or a draft started after ``started_since``."""
    return [
        ("operation", "not in", NOT_CHARGES),
        ("source_transaction_id", "=", False),
        "|",
        "|",
        ("state", "in", ("pending", "authorized")),
        "&",
        ("state", "=", "done"),
        ("is_post_processed", "=", False),
        "&",
        ("state", "=", "draft"),
        ("create_date", ">", started_since),
    ]


def needs_pay_link_domain():
    return list(NEEDS_PAY_LINK)


def needs_pay_link(values):
    """Whether the invoice of ``values`` (field name -> value) needs a link."""
    return domain_rule.matches(NEEDS_PAY_LINK, values)


#: The states of a link, each with the rule (a conjunction) that decides it,
#: in the order they are decided: the first rule that holds gives the link's
#: state; a link for which none holds is ``active`` (it takes payments).
#: This is the one place a link's state is decided: the model's ``state``
#: (computed and searched), the pay page, the status page, the PDF, the
#: API's ``payment_link`` and the printed QR code all ask it.
LINK_STATES = ("revoked", "cancelled", "paid", "closed", "expired", "active")


def link_state_rules(now):
    """``[(state, domain)]`` in the order they are decided at ``now``."""
    return [
        ("revoked", [("revoked", "=", True)]),
        ("cancelled", [("move_id.state", "=", "cancel")]),
        (
            "cancelled",
            [("move_id.payment_state", "=", invoice_status.REVERSED_PAYMENT_STATE)],
        ),
        ("paid", [("move_id.payment_state", "in", PAID_STATES)]),
        # in dispute: closed until the dispute is settled
        ("closed", [("move_id.payment_state", "=", invoice_status.IN_DISPUTE)]),
        # reset to draft (being corrected): closed until it is posted again,
        # when the same link takes payments again (of the new amount)
        ("closed", [("move_id.state", "!=", "posted")]),
        ("closed", [("move_id.amount_residual", "<=", 0)]),
        ("expired", [("expiry_date", "!=", False), ("expiry_date", "<=", now)]),
    ]


#: The values :func:`link_state` reads (field paths of a pay link).
LINK_STATE_FIELDS = (
    "revoked",
    "expiry_date",
    "move_id.state",
    "move_id.payment_state",
    "move_id.amount_residual",
)


def link_state(values, now):
    """The state of the link of ``values`` (field path -> value) at ``now``."""
    for state, domain in link_state_rules(now):
        if domain_rule.matches(domain, values):
            return state
    return "active"


def link_state_search_domain(state, now):
    """The ORM domain of the links in ``state`` at ``now``: one of its rules
    and none of the rules decided before that one, as one term in prefix
    form (so that ``["!", *domain]`` negates it)."""
    if state not in LINK_STATES:
        return [("id", "=", 0)]
    rules = link_state_rules(now)
    alternatives = []
    for index, (rule_state, domain) in enumerate([*rules, ("active", [])]):
        if rule_state != state:
            continue
        terms = [_term(domain)] if domain else []
        terms += [["!", *_term(earlier)] for _state, earlier in rules[:index]]
        alternatives.append(
            ["&"] * (len(terms) - 1) + [item for term in terms for item in term]
        )
    return ["|"] * (len(alternatives) - 1) + [
        item for term in alternatives for item in term
    ]


def _term(leaves):
    """A conjunction of leaves as one prefix-form term."""
    return ["&"] * (len(leaves) - 1) + list(leaves)


#: The states of a statement link (one link for a customer's overdue
#: invoices), in the order they are decided.
STATEMENT_STATES = ("revoked", "paid", "closed", "expired", "active")


def statement_state(revoked, expiry_date, due_count, paid_count, now):
    """The state of a statement link at ``now``.

    :param due_count: how many of its invoices still need paying
        (:data:`NEEDS_PAY_LINK`): what the link takes payments for.
    :param paid_count: how many of its invoices are paid.
    Nothing left to pay closes the link: ``paid`` when something was paid
    (the customer sees a thank-you), ``closed`` when its invoices were
    cancelled, reversed or reset to draft instead.
    """
    if revoked:
        return "revoked"
    if not due_count:
        return "paid" if paid_count else "closed"
    if expiry_date and expiry_date <= now:
        return "expired"
    return "active"
