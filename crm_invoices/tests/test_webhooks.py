import time
from datetime import date, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from ..lib import webhook_sign
from .common import CrmInvoicesCommon
from .webhook_receiver import Receiver


class WebhookCommon(CrmInvoicesCommon):
    """A receiver on 127.0.0.1 (the company's network allowed) and a
    webhook that listens to it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.receiver = Receiver.for_class(cls)
        cls.hook = cls.env["crm.invoices.webhook"].create(
            {"name": "Receiver", "url": cls.receiver.url, "events": "*"}
        )

    def setUp(self):
        super().setUp()
        self.receiver.clear()

    def commit(self):
        """What the commit of the request does: its precommit hooks run."""
        self.env.cr.flush()

    def events(self, name=None):
        domain = [("name", "=", name)] if name else []
        return self.env["crm.invoices.webhook.event"].sudo().search(domain)

    def deliver(self):
        self.env["crm.invoices.webhook.delivery"]._cron_deliver()


@tagged("post_install", "-at_install")
class TestWebhookEvents(WebhookCommon):
    def test_recorded_with_the_commit_once_and_never_for_a_rollback(self):
        before = len(self.events())
        with self.env.cr.savepoint(flush=False) as savepoint:
            self.make_invoice(100.0, post=False)
            savepoint.rollback()
        self.commit()
        self.assertEqual(len(self.events()), before, "a change rolled back: nothing")
        invoice = self.make_invoice(100.0, post=False)
        invoice.ref = "PO-1"
        invoice.ref = "PO-2"
        self.assertEqual(len(self.events()), before, "not before the commit")
        self.commit()
        created = self.events("invoice.created").filtered(
            lambda e: e.res_id == invoice.id
        )
        updated = self.events("invoice.updated").filtered(
            lambda e: e.res_id == invoice.id
        )
        self.assertEqual((len(created), len(updated)), (1, 1), "once per transaction")
        self.assertEqual(created.delivery_ids.webhook_id, self.hook)
        self.assertTrue(created.uuid.startswith("evt_"))

    def test_what_happened_to_an_invoice_by_the_end_of_the_transaction(self):
        invoice = self.make_invoice(
            500.0, invoice_date=date(2026, 1, 10), due_date=date(2026, 2, 9)
        )
        self.commit()
        with freeze_time("2026-03-01"):
            invoice._crm_mark_overdue()
            self.commit()
        self.assertTrue(
            self.events("invoice.overdue").filtered_domain(
                [("res_id", "=", invoice.id)]
            )
        )
        self.pay(invoice, 500.0, date(2026, 3, 1))
        self.commit()
        for name in ("invoice.paid", "invoice.status_changed"):
            event = self.events(name).filtered(lambda e: e.res_id == invoice.id)[-1:]
            self.assertTrue(event, name)
        changed = self.events("invoice.status_changed").filtered(
            lambda e: e.res_id == invoice.id
        )[-1]
        self.assertEqual(changed.snapshot, {"from": "overdue", "to": "paid"})
        self.assertTrue(self.events("payment.created"))
        draft = self.make_invoice(10.0)
        draft.button_cancel()
        self.commit()
        self.assertTrue(
            self.events("invoice.cancelled").filtered(lambda e: e.res_id == draft.id)
        )

    def test_a_deleted_invoice_keeps_what_identified_it(self):
        draft = self.make_invoice(10.0, post=False)
        self.commit()
        draft_id = draft.id
        draft.unlink()
        self.commit()
        deleted = self.events("invoice.deleted").filtered(
            lambda e: e.res_id == draft_id
        )
        self.assertEqual(deleted.snapshot["clientid"], str(self.customer.id))

    def test_nobody_listening_costs_nothing(self):
        self.hook.active = False
        invoice = self.make_invoice(10.0, post=False)
        self.env.flush_all()
        with self.assertQueryCount(0):
            self.env["crm.invoices.webhook.event"]._crm_emit("invoice.updated", invoice)
        before = len(self.events())
        invoice.ref = "x"
        self.commit()
        self.assertEqual(len(self.events()), before)

    def test_the_change_that_raises_an_event_costs_a_few_queries_more(self):
        invoice = self.make_invoice(10.0, post=False)
        self.commit()

        def change(ref):
            self.env.invalidate_all()
            started = self.env.cr.sql_log_count
            invoice.ref = ref
            self.commit()
            return self.env.cr.sql_log_count - started

        listened = change("a")
        self.hook.active = False
        self.commit()
        quiet = change("b")
        # the events and deliveries inserted (the lanes are woken up after
        # the commit, in a transaction of their own)
        self.assertLessEqual(listened - quiet, 3)

    def test_the_lanes_are_woken_up_after_the_commit_not_in_it(self):
        triggers = self.env["ir.cron.trigger"].sudo()
        lanes = self.env.ref("crm_invoices.ir_cron_webhook_lane_1") | self.env.ref(
            "crm_invoices.ir_cron_webhook_lane_2"
        )
        before = triggers.search_count([("cron_id", "in", lanes.ids)])
        self.make_invoice(10.0, post=False)
        self.commit()
        self.assertEqual(
            triggers.search_count([("cron_id", "in", lanes.ids)]),
            before,
            "no trigger written by the transaction that records events",
        )
        # what the commit runs once it is done, its new cursor this test's
        self.registry.enter_test_mode(self.env.cr)
        self.addCleanup(self.registry.leave_test_mode)
        self.env.cr.postcommit.run()
        self.assertEqual(
            triggers.search_count([("cron_id", "in", lanes.ids)]), before + 2
        )


@tagged("post_install", "-at_install")
class TestWebhookDelivery(WebhookCommon):
    def test_delivered_signed_both_ways_with_the_event_id(self):
        invoice = self.make_invoice(250.0)
        self.commit()
        self.deliver()
        bodies = self.receiver.bodies()
        created = next(b for b in bodies if b["event"] == "invoice.created")
        self.assertEqual(created["data"]["id"], str(invoice.id))
        self.assertEqual(created["data"]["total"], "250.00")
        headers, raw = next(
            (h, r) for h, r in self.receiver.received if b'"invoice.created"' in r
        )
        secret = self.hook.sudo().secret
        self.assertTrue(
            webhook_sign.verify_perfex(
                secret, raw, headers["X-Perfex-Signature"], time.time()
            )
        )
        self.assertEqual(
            headers["X-Webhook-Signature"], webhook_sign.n8n_signature(secret, raw)
        )
        self.assertEqual(headers["X-Perfex-Event-Id"], created["id"])
        delivery = (
            self.events("invoice.created")
            .filtered(lambda e: e.res_id == invoice.id)
            .delivery_ids
        )
        self.assertEqual(delivery.state, "delivered")
        self.assertEqual(self.hook.log_ids[:1].status, "success")

    def test_a_receiver_that_fails_gets_it_later_in_order(self):
        invoice = self.make_invoice(100.0, post=False)
        self.commit()
        invoice.ref = "changed"
        self.commit()
        self.receiver.answers = [(503, 0)]
        self.deliver()
        self.assertEqual(len(self.receiver.received), 1, "stopped at the failure")
        self.assertTrue(self.hook.failing_since)
        self.assertGreater(self.hook.lease_until, fields.Datetime.now())
        pending = self.hook.delivery_ids.filtered(lambda d: d.state == "pending")
        self.assertTrue(pending)
        self.deliver()
        self.assertEqual(len(self.receiver.received), 1, "nothing during the backoff")
        with freeze_time(fields.Datetime.now() + timedelta(minutes=2)):
            self.deliver()
        names = [
            body["event"]
            for body in self.receiver.bodies()
            if body["data"].get("id") == str(invoice.id)
        ]
        self.assertEqual(
            names, ["invoice.created", "invoice.created", "invoice.updated"]
        )
        self.assertFalse(self.hook.failing_since)

    def test_a_day_of_failures_switches_it_off_its_owner_told_nothing_lost(self):
        self.make_invoice(100.0, post=False)
        self.commit()
        start = fields.Datetime.now()
        self.receiver.answers = [(500, 0)] * 50
        for hours in (0, 5, 10, 20, 25):
            with freeze_time(start + timedelta(hours=hours)):
                self.deliver()
        self.assertFalse(self.hook.active)
        self.assertIn("Switched off", self.hook.message_ids[0].body)
        self.assertIn(
            self.hook.user_id.partner_id, self.hook.message_ids[0].partner_ids
        )
        pending = self.hook.delivery_ids.filtered(lambda d: d.state == "pending")
        self.assertTrue(pending, "its events wait")
        self.receiver.answers.clear()
        self.hook.active = True
        self.deliver()
        self.assertFalse(
            self.hook.delivery_ids.filtered(lambda d: d.state == "pending")
        )

    def test_a_slow_receiver_never_holds_the_others(self):
        slow = Receiver().start()
        self.addCleanup(slow.stop)
        slow_hook = self.env["crm.invoices.webhook"].create(
            {"name": "Slow", "url": slow.url, "events": "invoice.*", "timeout": 3}
        )
        slow.answers = [(200, 2)] * 5
        for _i in range(3):
            self.make_invoice(10.0, post=False)
        self.commit()
        started = time.monotonic()
        self.deliver()
        self.assertTrue(self.receiver.received)
        fast = self.hook.log_ids.filtered(lambda log: log.status == "success")
        self.assertTrue(fast)
        self.assertLess(max(fast.mapped("seconds")), 1)
        self.assertTrue(slow_hook.log_ids)
        self.assertLess(time.monotonic() - started, 60)

    def test_only_what_its_user_may_read_in_its_company(self):
        company_b = self.setup_other_company(name="Filiala Webhook")["company"]
        self.env.user.company_ids |= company_b
        clerk = self.make_ar_user("webhook_clerk")
        self.hook.sudo().user_id = clerk
        other = self.make_invoice(10.0, company=company_b)
        mine = self.make_invoice(20.0)
        self.commit()
        self.assertFalse(
            self.events("invoice.created")
            .filtered(lambda e: e.res_id == other.id)
            .delivery_ids,
            "another company's events are not the webhook's",
        )
        self.deliver()
        ids = {body["data"].get("id") for body in self.receiver.bodies()}
        self.assertIn(str(mine.id), ids)
        self.assertNotIn(str(other.id), ids)


@tagged("post_install", "-at_install")
class TestWebhookSafety(WebhookCommon):
    def test_targets_on_the_server_s_network_are_refused(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("crm_invoices.webhook_allow_private", "False")
        hooks = self.env["crm.invoices.webhook"]
        for url in (
            "http://127.0.0.1:8069/",
            "http://10.0.0.4/",
            "http://[::1]/",
            "file:///etc/passwd",
        ):
            with self.subTest(url=url), self.assertRaises(ValidationError):
                hooks.create({"name": "x", "url": url, "events": "*"})
        params.set_param("crm_invoices.webhook_allow_private", "True")
        with self.assertRaises(ValidationError):
            hooks.create({"name": "x", "url": "http://169.254.169.254/", "events": "*"})
        # a name that now resolves to the server's own network: not delivered
        params.set_param("crm_invoices.webhook_allow_private", "False")
        self.make_invoice(10.0, post=False)
        self.commit()
        self.deliver()
        self.assertEqual(self.receiver.received, [])
        self.assertIn("loopback", self.hook.log_ids[0].error)

    def test_unknown_events_reserved_headers_and_another_owner_are_refused(self):
        hooks = self.env["crm.invoices.webhook"]
        url = self.receiver.url
        with self.assertRaises(ValidationError):
            hooks.create({"name": "x", "url": url, "events": "invoice.eaten"})
        with self.assertRaises(ValidationError):
            hooks.create(
                {
                    "name": "x",
                    "url": url,
                    "events": "*",
                    "headers": {"X-Perfex-Signature": "forged"},
                }
            )
        manager = self.make_ar_user("webhook_manager", manager=True)
        with self.assertRaises(AccessError):
            hooks.with_user(manager).create(
                {"name": "x", "url": url, "events": "*", "user_id": self.env.uid}
            )
        own = hooks.with_user(manager).create({"name": "x", "url": url, "events": "*"})
        self.assertEqual(own.user_id, manager)
        with self.assertRaises(AccessError):
            own.with_user(manager).write({"success_count": 1000})
        self.assertFalse(own.with_user(manager).read(["has_secret"])[0].get("secret"))
        with self.assertRaises(AccessError):
            own.with_user(manager).read(["secret"])
        # another manager may not send its data elsewhere, or see its secret
        other = self.make_ar_user("webhook_manager_2", manager=True)
        for change in (
            lambda hook: hook.write({"url": "http://127.0.0.1:9/mine"}),
            lambda hook: hook.action_new_secret(),
            lambda hook: hook.action_send_test(),
        ):
            with self.assertRaises(AccessError):
                change(own.with_user(other))
        self.assertEqual(own.url, url)

    def test_the_secret_is_shown_once(self):
        action = self.hook.action_new_secret()
        secret = action["context"]["default_secret"]
        self.assertEqual(self.hook.sudo().secret, secret)
        self.assertTrue(secret.startswith("whsec_"))
