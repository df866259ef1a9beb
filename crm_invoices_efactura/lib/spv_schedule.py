"""When to ask ANAF again, and when an upload whose answer was lost may be
made again: timing rules without a database."""

from datetime import timedelta

#: Minutes to wait before the n-th status check of an upload (ANAF answers in
#: minutes, sometimes hours; its call limits count per day).
STATUS_BACKOFF_MINUTES = (1, 2, 5, 10, 20, 30, 60, 120, 240, 360)

#: An upload still "uploading" after this long was cut off (a crash, a lost
#: answer): ANAF's message list is asked whether it arrived.
RECOVER_AFTER = timedelta(minutes=10)

#: ANAF lists an upload once it has processed it.  An upload not listed this
#: long after it was made never arrived (or arrived broken): it may be made
#: again.  Hours, against five working days to report an invoice.
SETTLE_AFTER = timedelta(hours=6)

#: Message kinds of ANAF's list that answer an upload of ours.
UPLOAD_ANSWERS = ("FACTURA TRIMISA", "ERORI FACTURA")


def next_status_check(now, checks_done):
    """When to check an upload's status after ``checks_done`` checks."""
    minutes = STATUS_BACKOFF_MINUTES[min(checks_done, len(STATUS_BACKOFF_MINUTES) - 1)]
    return now + timedelta(minutes=minutes)


def recovery_window(attempt_date, now):
    """The period of ANAF's message list to search for an upload started at
    ``attempt_date``: from a little before it (clocks differ) to now."""
    return attempt_date - timedelta(minutes=5), now


def may_upload_again(attempt_date, now, found):
    """Whether an upload whose answer was lost, and that ANAF's message list
    does not show (``found`` false), may be made again."""
    return not found and now - attempt_date >= SETTLE_AFTER


def answers_upload(kind):
    """Whether a message of ANAF's list is the answer to an upload."""
    kind = (kind or "").upper()
    return any(kind.startswith(answer) for answer in UPLOAD_ANSWERS)
