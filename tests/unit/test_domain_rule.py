"""The domain evaluator that lets a rule be written once (as a domain)."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from odoo.addons.crm_invoices.lib import domain_rule, invoice_status, reminder_schedule

TODAY = date(2026, 11, 24)


def test_leaves_follow_the_orms_semantics():
    values = {"state": "posted", "amount": 5, "email": "", "flag": False, "due": None}
    assert domain_rule.matches([("state", "=", "posted"), ("amount", ">", 0)], values)
    assert not domain_rule.matches([("amount", ">", 5)], values)
    # "= False" matches empty text and False; "!= False" the rest
    assert domain_rule.matches([("email", "=", False), ("flag", "=", False)], values)
    assert not domain_rule.matches([("email", "!=", False)], values)
    # NULL fails a comparison, but "!=" and "not in" include it (as the ORM does)
    assert not domain_rule.matches([("due", "<", TODAY)], values)
    assert domain_rule.matches([("due", "!=", TODAY)], values)
    assert domain_rule.matches([("due", "not in", (TODAY,))], values)
    assert not domain_rule.matches([("due", "in", (TODAY,))], values)


def test_failing_leaf_names_the_first_condition_that_fails():
    domain = [("a", "=", 1), ("b", "=", 2)]
    assert domain_rule.failing_leaf(domain, {"a": 1, "b": 3}) == ("b", "=", 2)
    assert domain_rule.failing_leaf(domain, {"a": 1, "b": 2}) is None


def overdue_values(**changes):
    values = {
        "move_type": "out_invoice",
        "state": "posted",
        "payment_state": "not_paid",
        "amount_residual": 100.0,
        "invoice_date_due": TODAY - timedelta(days=3),
        "crm_no_reminders": False,
        "commercial_partner_id.crm_no_payment_reminders": False,
        "partner_id.email": "ar@example.com",
    }
    values.update(changes)
    return values


def test_refusals_in_the_order_a_user_reads_them():
    assert reminder_schedule.refusal(overdue_values(), TODAY) is None
    cases = {
        "not_customer_invoice": {"move_type": "out_refund"},
        "nothing_to_pay": {"payment_state": "paid"},
        "in_dispute": {"payment_state": "blocked"},
        "not_overdue": {"invoice_date_due": TODAY},
        "invoice_opted_out": {"crm_no_reminders": True},
        "customer_opted_out": {"commercial_partner_id.crm_no_payment_reminders": True},
        "no_email": {"partner_id.email": False},
    }
    for code, change in cases.items():
        assert reminder_schedule.refusal(overdue_values(**change), TODAY) == code


@given(
    state=st.sampled_from(["draft", "posted", "cancel"]),
    payment_state=st.sampled_from(
        [
            "not_paid",
            "partial",
            "paid",
            "in_payment",
            "reversed",
            "blocked",
            "invoicing_legacy",
        ]
    ),
    residual=st.sampled_from([-5.0, 0.0, 0.01, 100.0]),
    due=st.one_of(st.none(), st.integers(-40, 40)),
    is_refund=st.booleans(),
)
def test_status_overdue_exactly_when_the_rule_domain_matches(
    state, payment_state, residual, due, is_refund
):
    due_date = None if due is None else TODAY + timedelta(days=due)
    status = invoice_status.invoice_status(
        state=state,
        payment_state=payment_state,
        is_sent=False,
        due_date=due_date,
        today=TODAY,
        amount_residual=residual,
        is_refund=is_refund,
    )
    in_domain = domain_rule.matches(
        invoice_status.overdue_domain(TODAY),
        {
            "move_type": "out_refund" if is_refund else "out_invoice",
            "state": state,
            "payment_state": payment_state,
            "amount_residual": residual,
            "invoice_date_due": due_date,
        },
    )
    assert (status == invoice_status.OVERDUE) == in_domain


def test_in_dispute_is_open_and_overdue_but_not_collected():
    """Odoo's "blocked" (in dispute): the invoice is still open and late --
    its status says overdue -- but no reminder, pay link, interest or bank
    match collects it."""
    disputed = overdue_values(payment_state="blocked")
    assert domain_rule.matches(invoice_status.open_domain(), disputed)
    assert domain_rule.matches(invoice_status.overdue_domain(TODAY), disputed)
    assert not invoice_status.is_collectable(disputed)
    assert invoice_status.is_collectable(overdue_values())
    assert invoice_status.is_collectable(overdue_values(payment_state="partial"))
    for settled in ("paid", "in_payment", "reversed"):
        assert not domain_rule.matches(
            invoice_status.open_domain(), overdue_values(payment_state=settled)
        )


@given(
    state=st.sampled_from(["draft", "posted", "cancel"]),
    payment_state=st.sampled_from(
        ["not_paid", "partial", "paid", "in_payment", "reversed", "blocked"]
    ),
    paid_part=st.sampled_from([0.0, 40.0]),
)
def test_has_payments(state, payment_state, paid_part):
    has = invoice_status.has_payments(state, payment_state, 100.0 - paid_part, 100.0)
    if state != "posted" or payment_state == "not_paid":
        assert not has
    elif payment_state == "blocked":
        assert has == bool(paid_part)
    else:
        assert has
