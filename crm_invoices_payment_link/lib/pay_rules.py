"""Which invoices have a pay link: one rule, as a domain.

The ORM runs it in SQL (the install hook, the list of open invoices) and
:func:`needs_pay_link` evaluates it on one invoice's values (when an invoice
is posted, printed or renewed), so both always agree.
"""

import importlib

# crm_invoices' rule evaluator, imported where this package lives: under
# ``odoo.addons`` in Odoo, at the top level in the database-free tests.
domain_rule = importlib.import_module(
    ".".join([*__package__.split(".")[:-2], "crm_invoices", "lib", "domain_rule"])
)

#: Payment states of a paid invoice: its link says "already paid".
PAID_STATES = ("paid", "in_payment")
#: Payment states in which an invoice has nothing left to pay by link.
SETTLED_STATES = (*PAID_STATES, "reversed")

#: A posted customer invoice with money left.
NEEDS_PAY_LINK = (
    ("move_type", "=", "out_invoice"),
    ("state", "=", "posted"),
    ("amount_residual", ">", 0),
    ("payment_state", "not in", SETTLED_STATES),
)


def needs_pay_link_domain():
    return list(NEEDS_PAY_LINK)


def needs_pay_link(values):
    """Whether the invoice of ``values`` (field name -> value) needs a link."""
    return domain_rule.matches(NEEDS_PAY_LINK, values)


#: The states of a link, in the order they are decided: the first whose
#: domain holds is the link's state; a link matching none is ``active``.
LINK_STATES = ("revoked", "paid", "expired")


def link_state_domains(now):
    """``{state: domain}`` of the decided states at ``now``."""
    return {
        "revoked": [("revoked", "=", True)],
        "paid": [("move_id.payment_state", "in", PAID_STATES)],
        "expired": [("expiry_date", "!=", False), ("expiry_date", "<=", now)],
    }


def link_state(values, now):
    """The state of the link of ``values`` (field path -> value) at ``now``."""
    domains = link_state_domains(now)
    for state in LINK_STATES:
        if domain_rule.matches(domains[state], values):
            return state
    return "active"


def link_state_search_domain(state, now):
    """The ORM domain of the links in ``state`` at ``now``: its own rule and
    none of the rules decided before it, as one term in prefix form (so that
    ``["!", *domain]`` negates it)."""
    domains = link_state_domains(now)
    order = (*LINK_STATES, "active")
    if state not in order:
        return [("id", "=", 0)]
    terms = [_term(domains[state])] if state in domains else []
    terms += [
        ["!", *_term(domains[earlier])] for earlier in order[: order.index(state)]
    ]
    return ["&"] * (len(terms) - 1) + [item for term in terms for item in term]


def _term(leaves):
    """A conjunction of leaves as one prefix-form term."""
    return ["&"] * (len(leaves) - 1) + list(leaves)
