from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from odoo.addons.crm_invoices.lib.reminder_schedule import (
    Level,
    days_overdue,
    level_due,
)

L1, L2, L3 = Level(1, 7), Level(2, 14), Level(3, 30)
LADDER = [L1, L2, L3]


def test_nothing_before_the_first_delay():
    assert level_due(LADDER, 6) is None
    assert level_due(LADDER, 0) is None
    assert level_due(LADDER, -10) is None


def test_each_level_on_its_day():
    assert level_due(LADDER, 7) == L1
    assert level_due(LADDER, 14, sent=[L1]) == L2
    assert level_due(LADDER, 30, sent=[L1, L2]) == L3


def test_nothing_twice():
    assert level_due(LADDER, 8, sent=[L1]) is None
    assert level_due(LADDER, 45, sent=[L1, L2, L3]) is None


def test_catch_up_sends_only_the_highest_level():
    assert level_due(LADDER, 31) == L3
    assert level_due(LADDER, 20, sent=[L1]) == L2


def test_levels_only_escalate():
    # Level 2 sent by hand early: level 1 is never sent after it.
    assert level_due(LADDER, 10, sent=[L2]) is None
    assert level_due(LADDER, 30, sent=[L2]) == L3


def test_an_archived_level_sent_still_counts():
    archived = Level(9, 30)
    assert level_due([L1, L2], 31, sent=[archived]) is None


def test_no_levels():
    assert level_due([], 100) is None


def test_forty_days_ladder():
    sent, sent_days = [], []
    for day in range(1, 41):
        level = level_due(LADDER, day, sent)
        if level:
            sent.append(level)
            sent_days.append(day)
    assert sent == LADDER
    assert sent_days == [7, 14, 30]


def test_days_overdue():
    assert days_overdue(date(2026, 1, 1), date(2026, 1, 8)) == 7
    assert days_overdue(date(2026, 1, 8), date(2026, 1, 1)) == -7


levels_strategy = st.lists(
    st.integers(1, 120), min_size=0, max_size=6, unique=True
).map(lambda delays: [Level(i + 1, d) for i, d in enumerate(delays)])


@given(levels_strategy, st.integers(-30, 400), st.data())
def test_properties(levels, days, data):
    sent = data.draw(
        st.lists(st.sampled_from(levels), unique=True) if levels else st.just([])
    )
    due = level_due(levels, days, sent)
    if due is not None:
        assert due in levels
        assert due not in sent, "never a level already sent"
        assert due.delay_days <= days, "never a level whose delay has not passed"
        assert all(s.delay_days < due.delay_days for s in sent), "only escalates"


@given(levels_strategy, st.integers(1, 200), st.integers(1, 15))
def test_running_daily_or_with_gaps_sends_each_level_at_most_once(
    levels, horizon, step
):
    """However often the job runs, one level per run and never twice."""
    sent = []
    for day in range(1, horizon + 1, step):
        due = level_due(levels, day, sent)
        if due:
            assert due not in sent
            sent.append(due)
    assert len(sent) == len(set(sent))
    delays = [level.delay_days for level in sent]
    assert delays == sorted(delays)


@given(levels_strategy, st.integers(1, 200))
def test_after_a_gap_one_reminder_the_highest(levels, days):
    due = level_due(levels, days)
    passed = [level for level in levels if level.delay_days <= days]
    if passed:
        assert due.delay_days == max(level.delay_days for level in passed)
    else:
        assert due is None
