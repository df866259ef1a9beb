import logging
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from datetime import timedelta

from psycopg2.errors import SerializationFailure

from odoo import api, fields, models
from odoo.exceptions import AccessError

from .. import queries
from ..lib import webhook_client, webhook_delivery, webhook_sign
from ..lib.batch_job import may_commit

_logger = logging.getLogger(__name__)

#: How long one run of a lane delivers before it hands over to the next run.
RUN_SECONDS = 50
#: Webhooks a lane delivers to at once (each in its own thread): one slow
#: receiver holds one of them, never the others.
SLOTS = 8
#: Deliveries sent to a webhook in a row before another webhook's turn.
BATCH = 20
USER_AGENT = "crm-invoices-webhooks/1.0"
#: Tries of a lease that met another lane's (see ``_crm_lease``).
LEASE_ATTEMPTS = 5


def _send(sends):
    """Send a webhook's batch in order (a worker thread: no database here),
    stopping at its first failure: later events about a record never
    overtake an earlier one.  :return: ``[(delivery id, Outcome)]``."""
    outcomes = []
    for delivery_id, url, raw, headers, timeout, allow_private in sends:
        outcome = webhook_client.post(url, raw, headers, timeout, allow_private)
        outcomes.append((delivery_id, outcome))
        if not outcome.ok:
            break
    return outcomes


class CrmInvoicesWebhookDelivery(models.Model):
    """One event to send to one webhook: pending until the receiver takes it
    (any 2xx), tried again with growing delays until then.

    The lanes (two scheduled jobs, woken up by the commit that records an
    event) lease webhooks one at a time -- a webhook is served by one lane
    at a time, so its events go out in order -- and send to up to
    :data:`SLOTS` of them at once, in threads; each batch's outcome is
    written and committed as it comes back.  A lane that dies mid-flight
    leaves its lease to expire: what it sent without recording it is sent
    again (at least once; the event id lets a receiver deduplicate).
    """

    _name = "crm.invoices.webhook.delivery"
    _description = "Webhook Delivery"
    _order = "id"

    webhook_id = fields.Many2one(
        "crm.invoices.webhook",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    event_id = fields.Many2one(
        "crm.invoices.webhook.event",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    event = fields.Char(related="event_id.name")
    state = fields.Selection(
        [
            ("pending", "Pending"),
            ("delivered", "Delivered"),
            ("skipped", "Not Visible"),
        ],
        default="pending",
        required=True,
        readonly=True,
        index=True,
        help="Not Visible: the webhook's user may not read the record, so "
        "nothing was sent.",
    )
    attempts = fields.Integer(readonly=True)
    next_attempt = fields.Datetime(readonly=True, index=True)
    last_status = fields.Integer(string="Last HTTP Status", readonly=True)
    last_error = fields.Char(readonly=True)
    delivered_at = fields.Datetime(readonly=True)

    def write(self, vals):
        if not self.env.su:
            raise AccessError(self.env._("Deliveries are written by Odoo only."))
        return super().write(vals)

    # ------------------------------------------------------------------
    # a lane
    # ------------------------------------------------------------------

    @api.model
    def _cron_deliver(self):
        """One run of a lane: lease, send, record, until nothing is due or
        :data:`RUN_SECONDS` have passed (the lane is woken up again for
        what is left)."""
        deliveries = self.sudo()
        deadline = time.monotonic() + RUN_SECONDS
        running = {}
        with ThreadPoolExecutor(SLOTS, thread_name_prefix="webhook") as pool:
            while True:
                while len(running) < SLOTS and time.monotonic() < deadline:
                    work = deliveries._crm_take_work(
                        [work["webhook"].id for work in running.values()]
                    )
                    if work is None:
                        break
                    if not work["sends"]:
                        deliveries._crm_release(work["webhook"])
                        continue
                    running[pool.submit(_send, work["sends"])] = work
                if not running:
                    break
                done, _waiting = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    work = running.pop(future)
                    deliveries._crm_record(work, future.result())
        if deliveries._crm_due():
            self.env["crm.invoices.webhook.event"]._crm_wake_lanes()

    @api.model
    def _crm_due(self):
        return bool(
            self.search_count(
                [
                    ("state", "=", "pending"),
                    ("next_attempt", "<=", fields.Datetime.now()),
                    ("webhook_id.active", "=", True),
                ],
                limit=1,
            )
        )

    def _crm_commit(self):
        if may_commit():
            self.env.cr.commit()  # pylint: disable=invalid-commit

    @api.model
    def _crm_take_work(self, busy):
        """Lease the webhook whose oldest due delivery is the oldest (not one
        of ``busy``), and prepare what to send it; ``None`` when none is due.
        The lease is committed before anything is sent."""
        # what is done is kept, and the lease reads a fresh snapshot
        self._crm_commit()
        now = fields.Datetime.now()
        webhook = self._crm_lease(now, busy)
        self._crm_commit()
        if not webhook:
            return None
        pending = self.search_fetch(
            [("webhook_id", "=", webhook.id), ("state", "=", "pending")],
            ["next_attempt", "event_id"],
            order="id",
            limit=BATCH * 10,
        )
        due = {delivery.id for delivery in pending if delivery.next_attempt <= now}
        order = [(d.id, (d.event_id.res_model, d.event_id.res_id)) for d in pending]
        batch = self.browse(webhook_delivery.next_batch(order, due, BATCH))
        return {"webhook": webhook, "sends": batch._crm_sends(webhook)}

    @api.model
    def _crm_lease(self, now, busy):
        """:func:`..queries.lease_next_webhook`; when another lane changed
        the candidate since this transaction's snapshot (PostgreSQL refuses
        the lock), again in a new transaction: the other lane has it, or
        has just given it back."""
        webhooks = self.env["crm.invoices.webhook"]
        for attempt in range(LEASE_ATTEMPTS):
            try:
                with self.env.cr.savepoint(flush=False):
                    return queries.lease_next_webhook(webhooks, now, busy, BATCH)
            except SerializationFailure:
                if not may_commit() or attempt == LEASE_ATTEMPTS - 1:
                    raise
                self.env.cr.rollback()
        return webhooks

    def _crm_sends(self, webhook):
        """``[(delivery id, url, raw body, headers, timeout, allow private)]``
        of these deliveries to ``webhook``: each event's record as the
        webhook's user reads it, in the webhook's company."""
        payloads = self.event_id._crm_payloads(webhook)
        secret = webhook.secret
        allow_private = webhook._crm_allow_private()
        sends, hidden = [], self.browse()
        for delivery in self:
            event = delivery.event_id
            data = payloads.get(event.id)
            if data is None:
                hidden |= delivery
                continue
            envelope = {
                "id": event.uuid,
                "event": event.name,
                "timestamp": int(event.date.timestamp()),
                "webhook_id": str(webhook.id),
                "data": data,
            }
            raw = webhook_sign.body(envelope)
            headers = {
                **(webhook.headers or {}),
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
                "X-Perfex-Event": event.name,
                "X-Perfex-Event-Id": event.uuid,
                **webhook_sign.headers(secret, raw, time.time()),
            }
            sends.append(
                (delivery.id, webhook.url, raw, headers, webhook.timeout, allow_private)
            )
        if hidden:
            hidden.write({"state": "skipped", "next_attempt": False})
        return sends

    def _crm_record(self, work, outcomes):
        """Write what a batch's receiver answered (one write per kind of
        answer, one insert for the log), release its webhook, and commit."""
        webhook = work["webhook"]
        now = fields.Datetime.now()
        deliveries = self.browse([delivery_id for delivery_id, _outcome in outcomes])
        by_id = {delivery.id: delivery for delivery in deliveries}
        retry_at = now + webhook_delivery.retry_delay(webhook.failure_streak + 1)
        logs, writes = [], {}
        delivered = failed = 0
        for delivery_id, outcome in outcomes:
            delivery = by_id[delivery_id]
            attempt = delivery.attempts + 1
            logs.append(
                {
                    "webhook_id": webhook.id,
                    "delivery_id": delivery.id,
                    "event": delivery.event_id.name,
                    "attempt": attempt,
                    "status": "success" if outcome.ok else "failed",
                    "status_code": outcome.status or 0,
                    "answer": outcome.answer[:500],
                    "error": outcome.error or False,
                    "seconds": outcome.seconds,
                    "date": now,
                }
            )
            delivered += outcome.ok
            failed += not outcome.ok
            key = (attempt, outcome.status or 0, outcome.error or False, outcome.ok)
            writes.setdefault(key, []).append(delivery_id)
        for (attempt, status, error, ok), ids in writes.items():
            values = {"attempts": attempt, "last_status": status, "last_error": error}
            if ok:
                values.update(state="delivered", delivered_at=now, next_attempt=False)
            else:
                values["next_attempt"] = retry_at
            self.browse(ids).write(values)
        self.env["crm.invoices.webhook.log"].create(logs)
        webhook._crm_count(delivered, failed, now)
        self._crm_release(webhook, failed=bool(failed))
        self._crm_commit()

    def _crm_release(self, webhook, failed=False):
        """End the lease: at once, or after the backoff when the receiver
        failed (nothing is sent to it meanwhile)."""
        until = False
        if failed:
            until = fields.Datetime.now() + webhook_delivery.retry_delay(
                webhook.failure_streak
            )
        webhook.delivery_state_ids.write({"lease_until": until})
        if not failed:
            self._crm_commit()
        if until:
            self.env["crm.invoices.webhook.event"]._crm_wake_lanes(
                until + timedelta(seconds=1)
            )
