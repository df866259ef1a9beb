"""When a webhook's deliveries are tried again, and what is sent next.

- A failed delivery is tried again after a growing delay (:data:`BACKOFF`),
  and the webhook waits as long before anything else is sent to it: a
  receiver that is down is not hammered.
- A webhook whose receiver has failed for a day (:data:`SWITCH_OFF_AFTER`)
  is switched off and its owner told; its undelivered events stay queued
  and go out, in order, when it is switched on again.
- Deliveries about one record go out in the order of its events: one is not
  sent while an earlier one about the same record is waiting.
"""

from datetime import timedelta

#: Delay before the n-th retry (then the last one, until a day has passed).
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=2),
    timedelta(hours=4),
)
#: How long a receiver may fail before its webhook is switched off.
SWITCH_OFF_AFTER = timedelta(days=1)


def retry_delay(failures):
    """The delay after the ``failures``-th failure in a row (1-based)."""
    return BACKOFF[min(max(failures, 1), len(BACKOFF)) - 1]


def switch_off(failing_since, now):
    """Whether a webhook failing since ``failing_since`` is switched off."""
    return failing_since is not None and now - failing_since >= SWITCH_OFF_AFTER


def next_batch(pending, due, limit):
    """Which of a webhook's ``pending`` deliveries to send now, in order.

    :param pending: ``[(delivery id, resource)]`` in event order (every
        pending delivery of the webhook, due or not)
    :param due: the ids of those due now
    :return: at most ``limit`` ids, due, none behind an earlier waiting
        delivery about the same resource (the batch is sent in order and
        stops at its first failure)
    """
    batch, waiting = [], set()
    for delivery_id, resource in pending:
        if resource in waiting:
            continue
        if delivery_id not in due:
            waiting.add(resource)
            continue
        batch.append(delivery_id)
        if len(batch) >= limit:
            break
    return batch
