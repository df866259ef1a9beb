"""Business rules written once, as Odoo domains, and evaluated here too.

A rule that selects records in SQL (a search, a scheduled job's batch
statement) and decides about one record in Python (a status, a refusal
message) is written once, as a domain of plain tuples.  The ORM turns it into
SQL; :func:`matches` evaluates it on plain values with the ORM's semantics
(``None`` fails every comparison but ``!=`` and ``not in``, which the ORM
extends to NULL), so both always agree.

Only what the rules need is supported: conjunctions of leaves with the
operators below, on plain values (paths such as ``partner_id.email`` are
looked up as keys of the values).
"""

import operator

OPERATORS = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "in": lambda value, options: value in options,
    "not in": lambda value, options: value not in options,
}
#: The operators that compare two values.
COMPARISONS = {
    name: compare for name, compare in OPERATORS.items() if name not in ("in", "not in")
}


def _truthy(value):
    return value not in (None, False, "")


def leaf_matches(leaf, values):
    """Whether one ``(field, operator, value)`` leaf holds for ``values``."""
    field, op, expected = leaf
    actual = values.get(field)
    if expected is False and op in ("=", "!="):
        # "= False" matches NULL (and "" for text), "!= False" the rest.
        return _truthy(actual) == (op == "!=")
    if actual is None or actual is False:
        return op in ("!=", "not in")
    return OPERATORS[op](actual, expected)


def matches(domain, values):
    """Whether every leaf of ``domain`` (an implicit AND) holds for ``values``."""
    for leaf in domain:
        if leaf == "&":
            continue
        if isinstance(leaf, str):
            raise ValueError(f"only conjunctions are supported, not {leaf!r}")
        if not leaf_matches(leaf, values):
            return False
    return True


def failing_leaf(domain, values):
    """The first leaf of ``domain`` that does not hold, or ``None``."""
    return next(
        (leaf for leaf in domain if leaf != "&" and not leaf_matches(leaf, values)),
        None,
    )
