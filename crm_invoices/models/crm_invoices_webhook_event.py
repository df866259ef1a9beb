import logging
import uuid

from psycopg2.errors import LockNotAvailable, SerializationFailure

from odoo import SUPERUSER_ID, api, fields, models, tools

from ..lib import webhook_events

#: Where a transaction gathers its events until it commits.
PENDING = "crm_invoices.webhook.pending"
_logger = logging.getLogger(__name__)

#: Where a transaction gathers when to wake the lanes up after it commits.
WAKE = "crm_invoices.webhook.wake"
#: Tries of a wake-up that met a lane's run (see ``_crm_wake_lanes``).
WAKE_ATTEMPTS = 3
#: The delivery lanes: jobs that send in parallel (see the dispatcher).
LANES = (
    "crm_invoices.ir_cron_webhook_lane_1",
    "crm_invoices.ir_cron_webhook_lane_2",
)


class CrmInvoicesWebhookEvent(models.Model):
    """Something that happened, recorded in the transaction that made it
    happen: none for a change rolled back, none lost once it is committed.

    An event is recorded only when an active webhook listens to it, once per
    record and transaction, with a delivery for each such webhook, when the
    transaction commits (precommit: two inserts for all its events); the
    delivery lanes are woken up by the same commit.  A receiver deduplicates
    by ``uuid``.  What is sent is the record as the webhook's user reads it
    when the delivery is made; a deleted record's last known values are
    kept in ``snapshot``.
    """

    _name = "crm.invoices.webhook.event"
    _description = "Webhook Event"
    _order = "id"
    _log_access = False

    uuid = fields.Char(string="Event ID", required=True, readonly=True, index=True)
    name = fields.Char(required=True, readonly=True, index=True)
    res_model = fields.Char(string="Model", required=True, readonly=True)
    res_id = fields.Integer(string="Record ID", readonly=True, index=True)
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    snapshot = fields.Json(readonly=True)
    delivery_ids = fields.One2many(
        "crm.invoices.webhook.delivery", "event_id", string="Deliveries"
    )

    _sql_constraints = [
        ("uuid_uniq", "UNIQUE(uuid)", "An event id is given once."),
    ]

    # ------------------------------------------------------------------
    # the catalogue and who listens
    # ------------------------------------------------------------------

    @api.model
    def _crm_catalogue(self):
        """``{group: {event: description}}`` of the events a webhook may
        subscribe to: the base addon's; others add theirs with ``super()``."""
        return {
            group: dict(events) for group, events in webhook_events.CATALOGUE.items()
        }

    @api.model
    @tools.ormcache()
    def _crm_subscriptions(self):
        """``((webhook id, company id, subscriptions), ...)`` of the active
        webhooks: read once, until a webhook changes."""
        hooks = (
            self.env["crm.invoices.webhook"]
            .sudo()
            .search_read([("active", "=", True)], ["company_id", "events"])
        )
        return tuple(
            (hook["id"], hook["company_id"][0], tuple(hook["events"].split(",")))
            for hook in hooks
        )

    @api.model
    def _crm_listeners(self, name, company_id):
        """The webhook ids that listen to ``name`` in ``company_id``."""
        return [
            hook_id
            for hook_id, company, subscriptions in self._crm_subscriptions()
            if company == company_id and webhook_events.matches(subscriptions, name)
        ]

    # ------------------------------------------------------------------
    # recording
    # ------------------------------------------------------------------

    @api.model
    def _crm_emit(self, name, records, snapshot=None):
        """Record that ``name`` happened to ``records``, when the transaction
        commits; nothing when no webhook listens.

        :param snapshot: ``callable(record) -> dict`` of what to keep now
            (a deleted record's identity), or ``None``
        """
        if not records or not self._crm_subscriptions():
            return
        pending = self.env.cr.precommit.data.setdefault(PENDING, {})
        added = False
        for record in records.sudo():
            company = record.company_id.id if "company_id" in record._fields else False
            key = (name, record._name, record.id)
            if key in pending or not self._crm_listeners(name, company):
                continue
            pending[key] = {
                "company_id": company,
                "snapshot": snapshot(record) if snapshot else None,
            }
            added = True
        if added:
            self.env.cr.precommit.add(self._crm_record_pending)

    def _crm_record_pending(self):
        """Precommit: the transaction's events and their deliveries, in two
        inserts, then the lanes woken up."""
        pending = self.env.cr.precommit.data.pop(PENDING, None)
        pending = self._crm_still_true(pending or {})
        if not pending:
            return
        now = fields.Datetime.now()
        events = (
            self.sudo()
            .with_context(tracking_disable=True)
            .create(
                [
                    {
                        "uuid": f"evt_{uuid.uuid4().hex}",
                        "name": name,
                        "res_model": model,
                        "res_id": res_id,
                        "company_id": values["company_id"],
                        "snapshot": values["snapshot"],
                        "date": now,
                    }
                    for (name, model, res_id), values in pending.items()
                ]
            )
        )
        self.env["crm.invoices.webhook.delivery"].sudo().create(
            [
                {"webhook_id": hook_id, "event_id": event.id, "next_attempt": now}
                for event in events
                for hook_id in self._crm_listeners(event.name, event.company_id.id)
            ]
        )
        self._crm_wake_lanes()
        # called after the transaction's last flush: flush what was made here
        self.env.flush_all()

    @api.model
    def _crm_still_true(self, pending):
        """``pending`` without what a savepoint rolled back: the events of
        records that no longer exist, deletions of records that still do."""
        ids = {}
        for _name, model, res_id in pending:
            ids.setdefault(model, set()).add(res_id)
        existing = {
            model: set(self.env[model].sudo().browse(list(ids)).exists().ids)
            for model, ids in ids.items()
        }
        return {
            key: values
            for key, values in pending.items()
            if (key[2] in existing[key[1]]) != key[0].endswith(".deleted")
        }

    @api.model
    def _crm_wake_lanes(self, at=None):
        """Wake the delivery lanes up (at once, or ``at``) once this
        transaction has committed, in a short transaction of its own.

        Not in this one: a cron trigger's foreign key reads the lane's
        ``ir_cron`` row, which Odoo's cron runner writes on every run, and
        PostgreSQL refuses to commit a transaction that read a row written
        since it began (``could not serialize access``); a user's save or a
        long batch job would fail for a lane having run meanwhile.  If the
        wake-up is lost (a crash right after the commit), the lanes' own
        interval catches up."""
        wakes = self.env.cr.postcommit.data.setdefault(WAKE, [])
        if not wakes:
            self.env.cr.postcommit.add(self._crm_wake_after_commit)
        wakes.append(at)

    def _crm_wake_after_commit(self):
        now = fields.Datetime.now()
        moments = sorted(
            {at or now for at in self.env.cr.postcommit.data.pop(WAKE, [])}
        )
        for attempt in range(WAKE_ATTEMPTS):
            try:
                with self.env.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    for xmlid in LANES:
                        lane = env.ref(xmlid, raise_if_not_found=False)
                        if lane:
                            lane._trigger_list(moments)
                return
            except (SerializationFailure, LockNotAvailable):
                if attempt == WAKE_ATTEMPTS - 1:
                    _logger.warning(
                        "Webhook lanes not woken up: their interval will catch up"
                    )

    @api.model
    def _crm_queue_test(self, webhook):
        """A ``webhook.test`` event for ``webhook`` alone, sent at once."""
        event = self.sudo().create(
            {
                "uuid": f"evt_{uuid.uuid4().hex}",
                "name": "webhook.test",
                "res_model": webhook._name,
                "res_id": webhook.id,
                "company_id": webhook.company_id.id,
                "snapshot": {"webhook_id": str(webhook.id), "name": webhook.name},
            }
        )
        self.env["crm.invoices.webhook.delivery"].sudo().create(
            {
                "webhook_id": webhook.id,
                "event_id": event.id,
                "next_attempt": fields.Datetime.now(),
            }
        )
        self._crm_wake_lanes()
        return event

    # ------------------------------------------------------------------
    # what a delivery sends
    # ------------------------------------------------------------------

    def _crm_payloads(self, webhook):
        """``{event id: data}`` of these events as ``webhook``'s user reads
        their records in its company (``None``: not visible to that user);
        a deleted record is its snapshot.  One read per model."""
        env = self.env(
            user=webhook.user_id.id,
            context=dict(self.env.context, allowed_company_ids=webhook.company_id.ids),
            su=False,
        )
        payloads = {}
        by_model = {}
        for event in self:
            by_model.setdefault(event.res_model, []).append(event)
        for model, events in by_model.items():
            ids = {event.res_id for event in events}
            rows = self._crm_rows(env, model, ids)
            existing = set(self.env[model].sudo().browse(list(ids)).exists().ids)
            for event in events:
                details = event.snapshot or {}
                if event.res_id in rows:
                    data = rows[event.res_id]
                    payloads[event.id] = (
                        {**data, "details": details} if details else data
                    )
                elif event.res_id not in existing:
                    payloads[event.id] = {"id": str(event.res_id), **details}
                else:
                    payloads[event.id] = None
        return payloads

    @api.model
    def _crm_rows(self, env, model, ids):
        """``{id: data}`` of the records ``ids`` of ``model`` that ``env``'s
        user may read: invoices and credit notes as the REST API answers
        them; other records by their snapshot (other addons add theirs with
        ``super()``)."""
        if model == "account.move":
            moves = env["account.move"].search([("id", "in", list(ids))])
            rows = env["crm.invoices.api"]._serialize(moves)
            return {int(row["id"]): row for row in rows}
        if model == "account.payment":
            return (
                env["account.payment"]
                .search([("id", "in", list(ids))])
                ._crm_webhook_rows()
            )
        visible = env[model].search([("id", "in", list(ids))]) if model in env else ()
        return {record.id: {"id": str(record.id)} for record in visible}

    @api.autovacuum
    def _gc_delivered_events(self):
        """Events older than the log's retention with nothing left to send."""
        self.search(
            [
                ("date", "<", self.env["crm.invoices.webhook.log"]._crm_horizon()),
                ("delivery_ids", "not any", [("state", "=", "pending")]),
            ]
        ).unlink()
