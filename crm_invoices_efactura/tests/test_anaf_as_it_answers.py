import random
from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from .common import EfacturaStubCommon


@tagged("post_install", "-at_install")
class TestAnafAsItAnswers(EfacturaStubCommon):
    """ANAF slow, limited, losing answers, refusing tokens: every invoice
    reaches it once, and every refusal is explained in ANAF's words."""

    def queued(self, **values):
        move = self.ro_invoice(**values)
        move._crm_efactura_queue()
        return move

    def lost_answer(self, state="ok"):
        """An invoice ANAF received, whose upload answer was lost."""
        move = self.queued()
        self.stub.plan["upload"] = [{"status": 500}]  # recorded, answer lost
        self.exchange._upload_due()
        self.stub.states[self.stub.uploads[-1]["index"]] = [state]
        self.assertEqual(move.crm_efactura_submission_ids.state, "unknown")
        return move

    def later(self, **delta):
        return freeze_time(fields.Datetime.now() + timedelta(**delta))

    def told(self, subject):
        return self.env["mail.message"].search_count([("subject", "like", subject)])

    def test_a_failed_read_of_the_list_means_wait_never_upload_again(self):
        move = self.lost_answer()
        submission = move.crm_efactura_submission_ids
        for plan in (
            {"listaMesajePaginatieFactura": [{"status": 503}]},
            {"listaMesajePaginatieFactura": [{"limit": True}]},
            {"descarcare": [{"status": 500}]},
            {"descarcare": [{"limit": True}]},
        ):
            self.stub.plan.update(plan)
            with self.later(days=3):
                self.exchange._recover()
                self.exchange._upload_due()
            self.assertEqual(submission.state, "unknown", plan)
            self.assertEqual(len(self.stub.uploads), 1, plan)
            self.env["crm.invoices.efactura.pause"].sudo().search([]).unlink()
        with self.later(days=3):
            self.exchange._recover()
        self.assertEqual(submission.state, "sent")
        self.assertEqual(move.crm_efactura_index, self.stub.uploads[0]["index"])
        self.assertEqual(len(self.stub.uploads), 1)

    def test_anaf_listing_an_upload_late_is_waited_for(self):
        move = self.lost_answer(state="in prelucrare")  # not listed yet
        with self.later(hours=20):
            self.exchange._recover()
            self.exchange._upload_due()
        self.assertEqual(len(self.stub.uploads), 1)
        self.stub.states[self.stub.uploads[0]["index"]] = ["ok"]
        with self.later(hours=30):
            self.exchange._recover()
        self.assertEqual(move.crm_efactura_submission_ids.state, "sent")
        self.assertEqual(len(self.stub.uploads), 1)

    def test_a_lost_upload_anaf_rejected_is_found_and_explained(self):
        """ANAF's error ZIP names no invoice: the one rejected upload nobody
        else has is the lost one."""
        move = self.lost_answer(state="nok")
        with self.later(minutes=15):
            self.exchange._recover()
        submission = move.crm_efactura_submission_ids
        self.assertEqual(submission.index, self.stub.uploads[0]["index"])
        self.exchange._poll(submission, force=True)
        self.assertEqual(move.crm_efactura_state, "rejected")
        self.assertIn("BR-RO-065", submission.message)
        self.assertEqual(len(self.stub.uploads), 1)

    def test_anafs_state_text_is_the_reason(self):
        move = self.queued()
        self.exchange._upload_due()
        self.stub.states[self.stub.uploads[0]["index"]] = [
            "XML cu erori nepreluat de sistem"
        ]
        self.exchange._poll(move.crm_efactura_submission_ids, force=True)
        self.assertEqual(move.crm_efactura_state, "rejected")
        last = move.message_ids[:1].body
        self.assertIn("XML cu erori nepreluat de sistem", last)
        self.assertNotIn("no reason given", last)

    def test_a_daily_limit_pauses_that_call_and_is_said_once(self):
        first, second = self.queued(), self.queued()
        self.exchange._upload_due()
        submissions = (first | second).crm_efactura_submission_ids
        self.stub.plan["stareMesaj"] = [{"limit": True}]
        messages = len(first.message_ids) + len(second.message_ids)
        self.exchange._poll(submissions, force=True)
        self.exchange._poll(submissions, force=True)
        self.assertEqual(self.stub.count("stareMesaj"), 1, "then it waits")
        self.assertEqual(self.told("ANAF calls wait"), 1)
        self.assertEqual(len(first.message_ids) + len(second.message_ids), messages)
        self.assertEqual(set(submissions.mapped("state")), {"sent"})
        # uploads are another kind of call: they go on
        third = self.queued()
        self.exchange._upload_due()
        self.assertEqual(third.crm_efactura_state, "sent")
        with self.later(days=1):
            self.exchange._poll(submissions, force=True)
        self.assertEqual(set(submissions.mapped("state")), {"accepted"})
        self.assertEqual(self.told("ANAF calls wait"), 1)

    def test_a_refused_token_pauses_the_exchange_without_clutter(self):
        moves = self.queued() | self.queued()
        self.company.l10n_ro_edi_access_token = "expired-token"
        attachments = self.env["ir.attachment"].search_count([])
        for _run in range(3):
            self.exchange._cron_exchange()
        self.assertEqual(self.stub.count("upload"), 1)
        self.assertFalse(moves.crm_efactura_submission_ids)
        self.assertEqual(self.env["ir.attachment"].search_count([]), attachments)
        self.assertEqual(set(moves.mapped("crm_efactura_state")), {"to_send"})
        self.assertEqual(self.told("ANAF calls wait"), 1)
        self.company.l10n_ro_edi_access_token = "good-token"
        with self.later(hours=2):
            self.exchange._cron_exchange()
        self.assertEqual(set(moves.mapped("crm_efactura_state")), {"sent"})
        self.assertEqual(sorted(self.stub.uploaded_ids()), sorted(moves.mapped("name")))

    def test_a_dead_index_ends_in_a_state_a_person_acts_on(self):
        move = self.queued()
        self.exchange._upload_due()
        submission = move.crm_efactura_submission_ids
        submission.sudo().index = "4999999999"  # ANAF knows no such upload
        self.exchange._poll(submission, force=True)
        self.assertEqual(submission.state, "rejected")
        self.assertIn("Nu exista factura", submission.message)
        self.assertEqual(move.crm_efactura_state, "rejected")
        checks = self.stub.count("stareMesaj")
        with self.later(hours=1):
            self.exchange._poll(None)
        self.assertEqual(self.stub.count("stareMesaj"), checks, "polled no more")

    def test_an_unknown_older_than_the_list_reaches_goes_to_a_person(self):
        move = self.queued()
        self.stub.plan["upload"] = [{"status": 502, "drop": True}]
        self.exchange._upload_due()
        with self.later(days=61):
            self.exchange._recover()
            self.exchange._upload_due()
        submission = move.crm_efactura_submission_ids
        self.assertEqual(submission.state, "expired")
        self.assertEqual(move.crm_efactura_state, "error")
        self.assertIn("SPV", move.message_ids[:1].body)
        self.assertEqual(self.stub.uploads, [], "never uploaded again by itself")
        for _name, params in self.stub.calls:
            self.assertNotIn("startTime", params)

    def test_each_answer_is_downloaded_once(self):
        """Another program's upload of the company is in the list: its
        answer is read once, not at every run."""
        client = self.exchange._client(self.company)
        client.upload(self.ro_invoice()._crm_efactura_check()[0], "18547290")
        self.lost_answer(state="in prelucrare")
        for hours in (1, 2, 3, 4):
            with self.later(hours=hours):
                self.exchange._recover()
        self.assertEqual(self.stub.count("descarcare"), 1)

    def test_buyers_outside_romania_are_uploaded_extern(self):
        moldovan = self.make_partner(
            name="Client Chisinau SRL",
            country_id=self.env.ref("base.md").id,
            state_id=False,
            city="Chisinau",
            zip="2001",
            vat=False,
        )
        abroad = self.queued(partner=moldovan)
        self.queued()
        self.exchange._upload_due()
        self.assertEqual(
            abroad.crm_efactura_state, "sent", abroad.crm_efactura_findings_html
        )
        self.assertEqual(
            sorted(str(upload["extern"]) for upload in self.stub.uploads),
            ["DA", "None"],
        )

    def test_the_access_token_is_refreshed_before_it_expires(self):
        company = self.company
        today = fields.Date.context_today(company)
        company.write(
            {
                "l10n_ro_edi_access_token": "old-token",
                "l10n_ro_edi_access_expiry_date": today + timedelta(days=3),
                "l10n_ro_edi_refresh_token": "refresh-me",
                "l10n_ro_edi_client_id": "client",
                "l10n_ro_edi_client_secret": "secret",
                "l10n_ro_edi_refresh_expiry_date": today + timedelta(days=300),
            }
        )
        calls = []

        def refresh(record, session):
            calls.append(session)
            record.write(
                {
                    "l10n_ro_edi_access_token": "good-token",
                    "l10n_ro_edi_access_expiry_date": today + timedelta(days=90),
                }
            )

        move = self.queued()
        with patch.object(type(company), "_l10n_ro_edi_refresh_access_token", refresh):
            self.exchange._upload_due()
            self.exchange._upload_due()
        self.assertEqual(len(calls), 1, "refreshed once, then valid for 90 days")
        self.assertEqual(move.crm_efactura_state, "sent")
        self.assertEqual(company.l10n_ro_edi_access_token, "good-token")

    def test_an_expired_authorization_pauses_and_says_what_to_do(self):
        today = fields.Date.context_today(self.company)
        self.company.write(
            {
                "l10n_ro_edi_access_expiry_date": today - timedelta(days=1),
                "l10n_ro_edi_refresh_token": False,
            }
        )
        moves = self.queued() | self.queued()
        messages = len(moves.message_ids)
        for _run in range(3):
            self.exchange._cron_exchange()
        self.assertEqual(self.stub.calls, [])
        self.assertFalse(moves.crm_efactura_submission_ids)
        self.assertEqual(len(moves.message_ids), messages)
        told = self.env["mail.message"].search([("subject", "like", "ANAF calls wait")])
        self.assertEqual(len(told), 1)
        self.assertIn("expired on", told.body)

    def test_the_digest_says_when_the_authorization_must_be_renewed(self):
        accountant = self.make_ar_user("contabil_spv")
        self.company.crm_efactura_accountant_id = accountant
        digest = self.env["crm.invoices.efactura.digest"]
        today = fields.Date.context_today(accountant)
        self.company.l10n_ro_edi_refresh_expiry_date = today + timedelta(days=200)
        self.assertEqual(digest._cron_send_digest(), 0, "all is well: no email")
        self.company.l10n_ro_edi_refresh_expiry_date = today + timedelta(days=20)
        self.assertEqual(digest._cron_send_digest(), 1)
        mail = self.env["mail.mail"].sudo().search([], order="id desc", limit=1)
        self.assertIn("ANAF authorization", mail.body_html)
        self.assertIn("in 20 day(s)", mail.body_html)

    def test_every_invoice_reaches_anaf_once_whatever_anaf_does(self):
        """Days of runs against an ANAF that loses answers, fails, limits
        and is slow, chosen at random (a fixed seed): each invoice is
        uploaded exactly once and ends accepted."""
        rng = random.Random(20261204)
        moves = self.env["account.move"]
        troubles = [
            {"upload": [{"status": 500}]},  # arrived, answer lost
            {"upload": [{"status": 502, "drop": True}]},  # never arrived
            {"upload": [{"status": 429}]},
            {"upload": [{"limit": True}]},
            {"listaMesajePaginatieFactura": [{"status": 503}]},
            {"listaMesajePaginatieFactura": [{"limit": True}]},
            {"descarcare": [{"status": 500}]},
            {"descarcare": [{"limit": True}]},
            {"stareMesaj": [{"status": 500}]},
            {"stareMesaj": [{"limit": True}]},
        ]
        start = fields.Datetime.now()
        for run in range(60):
            if run < 12:  # two invoices a run, as a day's work comes
                moves |= self.queued() | self.queued()
            for trouble in rng.sample(troubles, 2):
                for endpoint, plan in trouble.items():
                    self.stub.plan[endpoint].extend(plan)
            for index in list(self.stub.states):
                if rng.random() < 0.3:
                    self.stub.states[index] = ["in prelucrare", "ok"]
            with freeze_time(start + timedelta(hours=2 * run)):
                self.exchange._cron_exchange()
        self.stub.plan.clear()
        for day in range(6, 10):
            with freeze_time(start + timedelta(days=day)):
                self.exchange._cron_exchange()
                self.exchange._poll(None, force=True)
        self.assertEqual(sorted(self.stub.uploaded_ids()), sorted(moves.mapped("name")))
        self.assertEqual(set(moves.mapped("crm_efactura_state")), {"accepted"})
        # ANAF did make trouble: calls were refused, answers lost and found
        self.assertGreater(self.stub.count("upload"), len(moves))
        submissions = moves.crm_efactura_submission_ids
        self.assertTrue(any(submissions.mapped("adopted")), "a lost answer found")
        self.assertIn("lost", submissions.mapped("state"), "one never arrived")
