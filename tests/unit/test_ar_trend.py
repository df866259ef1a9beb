from datetime import date

from odoo.addons.crm_invoices.lib import ar_trend


def test_twenty_four_months_up_to_today_oldest_first():
    months = ar_trend.months(date(2026, 12, 4))
    assert len(months) == ar_trend.MONTHS == 24
    assert months[0] == (date(2025, 1, 1), date(2025, 1, 31))
    assert months[-1] == (date(2026, 12, 1), date(2026, 12, 4)), "today's month: today"
    assert all(first.day == 1 for first, _end in months)
    assert [end for _first, end in months][1] == date(2025, 2, 28)


def test_month_ends_in_leap_years_and_on_the_last_day():
    assert ar_trend.month_end(date(2028, 2, 1), date(2030, 1, 1)) == date(2028, 2, 29)
    months = ar_trend.months(date(2028, 2, 29))
    assert months[-1] == (date(2028, 2, 1), date(2028, 2, 29))
    assert months[-2] == (date(2028, 1, 1), date(2028, 1, 31))
    assert ar_trend.months(date(2027, 12, 31))[-1][1] == date(2027, 12, 31)
    assert ar_trend.first_month(date(2027, 12, 31)) == date(2026, 1, 1)


def test_left_at_a_day_and_settled_on():
    payments = [(date(2025, 2, 20), 1500.0), (date(2025, 4, 5), 500.0)]
    assert ar_trend.left_at(2000.0, payments, date(2025, 2, 19)) == 2000.0
    assert ar_trend.left_at(2000.0, payments, date(2025, 2, 28)) == 500.0
    assert ar_trend.left_at(2000.0, payments, date(2025, 4, 5)) == 0.0
    assert ar_trend.settled_on(0.0, payments) == date(2025, 4, 5)
    assert ar_trend.settled_on(500.0, payments[:1]) is None
    # a credit note: negative, set against an invoice
    assert ar_trend.left_at(-300.0, [(date(2025, 3, 1), -300.0)], date(2025, 3, 1)) == 0


def test_paid_by_due_date():
    due = date(2025, 2, 19)
    assert ar_trend.paid_by_due_date(due, date(2025, 2, 19))
    assert not ar_trend.paid_by_due_date(due, date(2025, 2, 20))
    assert not ar_trend.paid_by_due_date(due, None)


def test_buckets_and_channels():
    assert ar_trend.OVERDUE_BUCKETS == ("1_30", "31_60", "61_90", "90_plus")
    # the base knows money entered by hand; the addons add their channels
    assert ar_trend.BY_HAND == "manual"
