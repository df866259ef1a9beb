"""When to ask ANAF again, and when an upload whose answer was lost may be
made again: timing rules without a database."""

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

ROMANIA = ZoneInfo("Europe/Bucharest")

#: Minutes to wait before the n-th status check of an upload (ANAF answers in
#: minutes, sometimes hours; its call limits count per day).
STATUS_BACKOFF_MINUTES = (1, 2, 5, 10, 20, 30, 60, 120, 240, 360)

#: An upload still "uploading" after this long was cut off (a crash, a lost
#: answer): ANAF's message list is asked whether it arrived.
RECOVER_AFTER = timedelta(minutes=10)

#: ANAF lists an upload once it has processed it, usually in minutes, at the
#: end of a month sometimes after a day or more.  An upload not listed this
#: long after it was made, by a complete read of the list, never arrived: it
#: may be made again.  Two days, against five working days to report.
SETTLE_AFTER = timedelta(hours=48)

#: ANAF's message list answers for the last 60 days only (and refuses an
#: older start); a little margin for the clocks.
LIST_DAYS = 60
LIST_REACH = timedelta(days=LIST_DAYS) - timedelta(hours=1)

#: How long a refused token pauses the exchange before it is tried again
#: (the accountant is told once, when the pause starts).
AUTH_PAUSE = timedelta(hours=1)
#: ANAF's per-minute limit (HTTP 429).
MINUTE_PAUSE = timedelta(minutes=1)

#: The SPV access token is refreshed (with the refresh token) this many days
#: before it expires...
REFRESH_BEFORE_DAYS = 7
#: ...and the accountant is told this many days ahead that the authorization
#: itself (the refresh token, got with the company's certificate) must be
#: renewed by hand.
RENEW_WARNING_DAYS = 30

#: Message kinds of ANAF's list that answer an upload of ours.
UPLOAD_ANSWERS = ("FACTURA TRIMISA", "ERORI FACTURA")


def next_status_check(now, checks_done):
    """When to check an upload's status after ``checks_done`` checks."""
    minutes = STATUS_BACKOFF_MINUTES[min(checks_done, len(STATUS_BACKOFF_MINUTES) - 1)]
    return now + timedelta(minutes=minutes)


def recovery_window(attempt_date, now):
    """The period of ANAF's message list to search for an upload started at
    ``attempt_date``: from a little before it (clocks differ) to now, never
    further back than ANAF lists."""
    return max(attempt_date - timedelta(minutes=5), now - LIST_REACH), now


def beyond_list(attempt_date, now):
    """Whether an upload is older than ANAF's message list reaches: its
    outcome can no longer be looked up."""
    return attempt_date < now - LIST_REACH


def pause_until(now, kind):
    """Until when (naive UTC, as Odoo stores it) calls wait after an error
    of ``kind``: a minute after a 429, ANAF's next day (midnight in
    Bucharest) after a daily limit, an hour after a refused token."""
    if kind == "rate_limit":
        return now + MINUTE_PAUSE
    if kind == "daily_limit":
        local = now.replace(tzinfo=timezone.utc).astimezone(ROMANIA)
        midnight = datetime.combine(
            local.date() + timedelta(days=1), time(0, 1), tzinfo=ROMANIA
        )
        return midnight.astimezone(timezone.utc).replace(tzinfo=None)
    return now + AUTH_PAUSE


def may_upload_again(attempt_date, now, found):
    """Whether an upload whose answer was lost, and that ANAF's message list
    does not show (``found`` false), may be made again."""
    return not found and now - attempt_date >= SETTLE_AFTER


def answers_upload(kind):
    """Whether a message of ANAF's list is the answer to an upload."""
    kind = (kind or "").upper()
    return any(kind.startswith(answer) for answer in UPLOAD_ANSWERS)


def needs_refresh(today, access_expiry):
    """Whether the access token expiring on ``access_expiry`` (a date, or
    ``None`` when unknown) is refreshed now."""
    return bool(access_expiry) and (access_expiry - today).days <= REFRESH_BEFORE_DAYS


def expired(today, expiry):
    """Whether a token that expires on ``expiry`` (a date) has expired."""
    return bool(expiry) and expiry < today


def renewal_due(today, refresh_expiry):
    """The days left to renew the SPV authorization by hand, when the
    accountant should be told (within :data:`RENEW_WARNING_DAYS`), else
    ``None``."""
    if not refresh_expiry:
        return None
    left = (refresh_expiry - today).days
    return left if left <= RENEW_WARNING_DAYS else None
