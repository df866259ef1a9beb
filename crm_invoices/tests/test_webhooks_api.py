from odoo.tests import tagged

from .test_api import ApiCommon
from .webhook_receiver import Receiver


@tagged("post_install", "-at_install")
class TestWebhooksApi(ApiCommon):
    """The webhook routes as the n8n PerfexCRM trigger node and Perfex's v3
    clients call them: ``X-API-KEY``, ``/api/v1``, ``data.id``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.receiver = Receiver.for_class(cls)
        cls.hooker = cls.make_token("hooker", cls.clerk, read=True, scope_webhooks=True)
        cls.hooker_b = cls.make_token(
            "hooker b", cls.clerk_b, read=True, scope_webhooks=True
        )

    def n8n(self, method, path, json=None, data=None, token=None):
        return self.api(
            method,
            path,
            json=json,
            data=data,
            headers={"X-API-KEY": token or self.hooker},
        )

    def test_the_n8n_trigger_node_subscribes_and_unsubscribes(self):
        created = self.n8n(
            "POST",
            "/api/v1/webhooks",
            json={
                "name": "n8n",
                "url": self.receiver.url,
                "events": ["invoice.created", "invoice_paid"],
            },
        )
        self.assertEqual(created.status_code, 200, created.text)
        answer = created.json()
        webhook_id = answer["data"]["id"]
        self.assertEqual(str(answer["id"]), webhook_id)
        self.assertTrue(answer["secret"].startswith("whsec_"), "shown once, now")
        self.assertEqual(answer["data"]["events"], ["invoice.created", "invoice.paid"])
        self.assertNotIn("secret", answer["data"])
        hook = self.env["crm.invoices.webhook"].sudo().browse(int(webhook_id))
        self.assertEqual(hook.user_id, self.clerk, "sends what its token's user reads")
        self.assertEqual(hook.secret, answer["secret"])

        fetched = self.n8n("GET", f"/api/v1/webhooks/{webhook_id}")
        self.assertEqual(fetched.json()["data"]["url"], self.receiver.url)
        listed = self.n8n("GET", "/api/webhooks").json()
        self.assertEqual([row["id"] for row in listed["data"]], [webhook_id])
        self.assertEqual(listed["meta"]["total"], 1)

        toggled = self.n8n("POST", f"/api/webhooks/{webhook_id}/toggle").json()
        self.assertEqual((toggled["active"], hook.active), (0, False))

        deleted = self.n8n("DELETE", f"/api/v1/webhooks/{webhook_id}")
        self.assertIs(deleted.json()["status"], True)
        self.assertFalse(hook.exists())
        self.assertApiError(self.n8n("GET", f"/api/v1/webhooks/{webhook_id}"), 404)

    def test_a_form_post_with_events_as_a_list(self):
        answer = self.n8n(
            "POST",
            "/api/webhooks",
            data={
                "name": "Form",
                "url": self.receiver.url,
                "events[]": ["invoice.updated", "payment.created"],
                "secret": "my-own-secret-of-some-length",
            },
        ).json()
        self.assertEqual(
            answer["data"]["events"], ["invoice.updated", "payment.created"]
        )
        self.assertNotIn("secret", answer, "the client chose it: not echoed")
        self.assertTrue(answer["data"]["has_secret"])

    def test_what_is_refused_writes_nothing(self):
        hooks = self.env["crm.invoices.webhook"].sudo().with_context(active_test=False)
        before = hooks.search_count([])
        unknown = self.assertApiError(
            self.n8n(
                "POST",
                "/api/webhooks",
                json={"name": "x", "url": self.receiver.url, "events": ["nope"]},
            ),
            422,
        )
        self.assertIn("events", unknown["errors"])
        missing = self.assertApiError(
            self.n8n("POST", "/api/webhooks", json={"name": "x"}), 422
        )
        self.assertEqual(set(missing["errors"]), {"url", "events"})
        hostile = self.assertApiError(
            self.n8n(
                "POST",
                "/api/webhooks",
                json={"name": "a\x00b", "url": self.receiver.url, "events": "*"},
            ),
            422,
        )
        self.assertEqual(hostile["errors"], {"name": "must not contain NUL characters"})
        loopback_off = self.env["ir.config_parameter"].sudo()
        loopback_off.set_param("crm_invoices.webhook_allow_private", "False")
        self.assertApiError(
            self.n8n(
                "POST",
                "/api/webhooks",
                json={"name": "x", "url": "http://127.0.0.1:9/", "events": "*"},
            ),
            422,
        )
        loopback_off.set_param("crm_invoices.webhook_allow_private", "True")
        self.assertApiError(
            self.api(
                "POST",
                "/api/webhooks",
                token=self.reader,
                json={"name": "x", "url": self.receiver.url, "events": "*"},
            ),
            403,
        )
        self.assertEqual(hooks.search_count([]), before)

    def test_another_user_s_webhook_does_not_exist(self):
        theirs = self.n8n(
            "POST",
            "/api/webhooks",
            token=self.hooker_b,
            json={"name": "B", "url": self.receiver.url, "events": "*"},
        ).json()["data"]["id"]
        for method in ("GET", "PUT", "DELETE"):
            self.assertApiError(
                self.n8n(method, f"/api/webhooks/{theirs}", json={"name": "mine"}),
                404,
            )
        self.assertApiError(self.n8n("POST", f"/api/webhooks/{theirs}/toggle"), 404)
        hook = self.env["crm.invoices.webhook"].sudo().browse(int(theirs))
        self.assertEqual((hook.name, hook.active), ("B", True))

    def test_the_catalogue_the_logs_and_the_polling_triggers(self):
        catalogue = self.n8n("GET", "/api/v1/webhooks/events").json()
        self.assertIn("invoice.paid", catalogue["events"])
        self.assertEqual(catalogue["total_events"], len(catalogue["events"]))
        webhook_id = self.n8n(
            "POST",
            "/api/webhooks",
            json={"name": "Logs", "url": self.receiver.url, "events": "invoice.*"},
        ).json()["data"]["id"]
        invoice = self.make_invoice(120.0)
        self.env.cr.flush()
        self.env["crm.invoices.webhook.delivery"]._cron_deliver()
        logs = self.n8n("GET", f"/api/webhooks/{webhook_id}/logs").json()
        self.assertTrue(logs["data"])
        self.assertEqual(logs["data"][0]["status"], "success")
        self.assertEqual(logs["data"][0]["response_code"], "200")
        self.assertTrue(logs["data"][0]["event_id"].startswith("evt_"))

        polled = self.n8n("GET", "/api/zapier/poll/invoices").json()
        self.assertIn(str(invoice.id), [row["id"] for row in polled["data"]])
        self.assertGreaterEqual(polled["meta"]["next_poll"], polled["meta"]["since"])
        next_poll = polled["meta"]["next_poll"]
        again = self.n8n("GET", f"/api/zapier/poll/invoices?since={next_poll}")
        self.assertIn(
            str(invoice.id),
            [row["id"] for row in again.json()["data"]],
            "its second answered again: nothing missed",
        )
        later = self.n8n(
            "GET", f"/api/zapier/poll/invoices?since={next_poll + 1}"
        ).json()
        self.assertNotIn(str(invoice.id), [row["id"] for row in later["data"]])
        self.assertApiError(self.n8n("GET", "/api/zapier/poll/secrets"), 404)
        refused = self.n8n("GET", "/api/zapier/poll/invoices?since=null&limit=1.5")
        self.assertApiError(refused, 422)
        self.assertEqual(set(refused.json()["error"]), {"since", "limit"})
        huge = self.n8n("GET", "/api/zapier/poll/invoices?since=99999999999999")
        self.assertApiError(huge, 422)

    def test_the_token_never_in_the_query_string(self):
        answer = self.api("GET", f"/api/webhooks?authtoken={self.hooker}")
        self.assertApiError(answer, 401)
