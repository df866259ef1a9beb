from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import EfacturaStubCommon


@tagged("post_install", "-at_install")
class TestEfacturaExchange(EfacturaStubCommon):
    """The SPV exchange against a stand-in for ANAF on 127.0.0.1."""

    def queued(self, count=1, **values):
        moves = self.env["account.move"]
        for _i in range(count):
            moves |= self.ro_invoice(**values)
        moves._crm_efactura_queue()
        self.assertEqual(set(moves.mapped("crm_efactura_state")), {"to_send"})
        return moves

    def test_upload_poll_download_accepted(self):
        move = self.queued()
        self.assertEqual(self.exchange._upload_due(), 1)
        self.assertEqual(self.stub.uploaded_ids(), [move.name])
        upload = self.stub.uploads[0]
        self.assertEqual(
            (upload["cif"], upload["standard"], upload["b2c"]),
            ("18547290", "UBL", False),
        )
        self.assertEqual(move.crm_efactura_state, "sent")
        self.assertEqual(move.crm_efactura_index, upload["index"])
        self.assertEqual(move.l10n_ro_edi_state, "invoice_sent")
        self.assertFalse(move.show_reset_to_draft_button)
        # not due yet: no status call
        self.exchange._poll(None)
        self.assertEqual(self.stub.count("stareMesaj"), 0)
        self.stub.states[upload["index"]] = ["in prelucrare", "ok"]
        later = fields.Datetime.now() + timedelta(minutes=2)
        with freeze_time(later):
            self.exchange._poll(None)
        submission = move.crm_efactura_submission_ids
        self.assertEqual((submission.state, submission.check_count), ("sent", 1))
        with freeze_time(later + timedelta(minutes=5)):
            self.exchange._poll(None)
        self.assertEqual(move.crm_efactura_state, "accepted")
        self.assertEqual(move.l10n_ro_edi_state, "invoice_validated")
        self.assertEqual(submission.signature, f"SIG{upload['index']}")
        self.assertTrue(submission.answer_attachment_id.raw.startswith(b"PK"))
        self.assertEqual(self.stub.count("upload"), 1)

    def test_rejected_shows_anafs_errors_then_is_corrected_and_sent_again(self):
        move = self.queued()
        self.exchange._upload_due()
        index = self.stub.uploads[0]["index"]
        self.stub.states[index] = ["nok"]
        self.exchange._poll(move.crm_efactura_submission_ids, force=True)
        self.assertEqual(move.crm_efactura_state, "rejected")
        self.assertIn("BR-RO-065", move.crm_efactura_findings_html)
        self.assertTrue(move.show_reset_to_draft_button)
        move.button_draft()
        self.assertFalse(move.crm_efactura_state)
        move.narration = "Corectata"
        move.action_post()
        move._crm_efactura_queue()
        self.exchange._upload_due()
        self.assertEqual(self.stub.uploaded_ids(), [move.name, move.name])
        self.assertEqual(
            move.crm_efactura_submission_ids.mapped("state"), ["sent", "rejected"]
        )

    def test_invalid_invoice_is_never_uploaded(self):
        partner = self.make_partner(vat=False, company_registry=False)
        move = self.queued(partner=partner)
        self.exchange._upload_due()
        self.assertEqual(self.stub.count("upload"), 0)
        self.assertEqual(move.crm_efactura_state, "error")
        self.assertIn("CUI", move.crm_efactura_findings_html)
        self.assertFalse(move.crm_efactura_submission_ids)

    def test_without_validation_files_nothing_is_sent(self):
        move = self.queued()
        self.env["ir.config_parameter"].sudo().set_param(
            "crm_invoices_efactura.artifacts_path", "/nonexistent"
        )
        self.exchange._upload_due()
        self.assertEqual(self.stub.count("upload"), 0)
        self.assertEqual(move.crm_efactura_state, "to_send")
        self.assertIn("validation is off", move.message_ids[0].body)

    def test_upload_refused_and_token_and_rate_limit(self):
        refused, bad_token = self.queued(2)
        self.stub.plan["upload"] = [{"error": "Fisierul transmis nu este valid"}]
        self.exchange._upload_due(limit=1)
        self.assertEqual(refused.crm_efactura_state, "error")
        self.assertIn("nu este valid", refused.crm_efactura_findings_html)
        self.stub.plan["upload"] = [{"status": 401}]
        self.exchange._upload_due()
        self.assertEqual(bad_token.crm_efactura_state, "to_send")
        # nothing was uploaded: no submission, no XML, no chatter message
        self.assertFalse(bad_token.crm_efactura_submission_ids)
        self.exchange._upload_due()  # the exchange waits: no call
        self.assertEqual(self.stub.count("upload"), 2)
        later = fields.Datetime.now() + timedelta(hours=1, minutes=1)
        self.stub.plan["upload"] = [{"status": 429}]
        with freeze_time(later):
            self.exchange._upload_due()
            self.assertEqual(bad_token.crm_efactura_state, "to_send")
            self.exchange._upload_due()  # within the minute: waits
        self.assertEqual(self.stub.count("upload"), 3)
        with freeze_time(later + timedelta(minutes=2)):
            self.exchange._upload_due()
        self.assertEqual(bad_token.crm_efactura_state, "sent")
        self.assertEqual(self.stub.uploaded_ids(), [bad_token.name])

    def test_lost_answer_is_recovered_without_a_second_upload(self):
        """ANAF got the upload, its answer was lost (a 500 after recording
        it, as after a timeout): the index is found in its message list."""
        move = self.queued()
        self.stub.plan["upload"] = [{"status": 500}]
        self.exchange._upload_due()
        submission = move.crm_efactura_submission_ids
        self.assertEqual(submission.state, "unknown")
        self.assertEqual(move.crm_efactura_state, "sending")
        self.assertFalse(move.show_reset_to_draft_button)
        # a second run does not upload it again, nor does a click
        move._crm_efactura_queue()
        move.action_crm_efactura_send()
        self.exchange._upload_due()
        self.assertEqual(len(self.stub.uploads), 1)
        # later, ANAF's message list shows it: its index is adopted
        with freeze_time(fields.Datetime.now() + timedelta(minutes=15)):
            self.exchange._recover()
        self.assertEqual(submission.state, "sent")
        self.assertTrue(submission.adopted)
        self.assertEqual(move.crm_efactura_index, self.stub.uploads[0]["index"])
        self.assertEqual(len(self.stub.uploads), 1)

    def test_crash_between_upload_and_storing_the_index(self):
        """A run uploaded, then died before storing the answer: the next run
        finds the upload in ANAF's message list (page 2 of 2) and adopts it."""
        others = self.queued(3)
        self.exchange._upload_due()
        move = self.queued()
        xml = move._crm_efactura_check()[0]
        submission = self.exchange._claim(move, xml)
        client = self.exchange._client(self.company)
        client.upload(xml, "18547290")  # the answer never reached the database
        self.assertEqual(submission.state, "uploading")
        self.exchange._recover()  # too early: the upload may still be under way
        self.assertEqual(submission.state, "uploading")
        with freeze_time(fields.Datetime.now() + timedelta(minutes=11)):
            self.exchange._recover()
            self.exchange._upload_due()
        self.assertEqual(submission.state, "sent")
        self.assertEqual(move.crm_efactura_index, self.stub.uploads[-1]["index"])
        self.assertEqual(self.stub.uploaded_ids(), [*others.mapped("name"), move.name])

    def test_upload_that_never_arrived_is_made_again_after_the_settle_time(self):
        move = self.queued()
        self.stub.plan["upload"] = [{"status": 502, "drop": True}]  # lost on the way
        self.exchange._upload_due()
        submission = move.crm_efactura_submission_ids
        self.assertEqual(
            (submission.state, move.crm_efactura_state), ("unknown", "sending")
        )
        self.assertEqual(self.stub.uploads, [])
        with freeze_time(fields.Datetime.now() + timedelta(hours=1)):
            self.exchange._recover()
            self.exchange._upload_due()
        self.assertEqual(submission.state, "unknown")  # not listed yet: wait
        self.assertEqual(self.stub.uploads, [])
        with freeze_time(fields.Datetime.now() + timedelta(hours=7)):
            self.exchange._recover()
        self.assertEqual(submission.state, "unknown")  # ANAF may be slow: wait
        with freeze_time(fields.Datetime.now() + timedelta(hours=49)):
            self.exchange._recover()
            self.assertEqual(submission.state, "lost")
            self.assertEqual(move.crm_efactura_state, "to_send")
            self.exchange._upload_due()
        self.assertEqual(self.stub.uploaded_ids(), [move.name])
        self.assertEqual(
            move.crm_efactura_submission_ids.mapped("state"), ["sent", "lost"]
        )

    def test_one_live_submission_per_invoice(self):
        move = self.queued()
        xml = move._crm_efactura_check()[0]
        first = self.exchange._claim(move, xml)
        self.assertTrue(first)
        self.assertIsNone(self.exchange._claim(move, xml))
        self.assertEqual(len(move.crm_efactura_submission_ids), 1)

    def test_b2c_and_credit_notes_use_their_endpoint_and_standard(self):
        person = self.make_partner(name="Ion Popescu", is_company=False, vat=False)
        invoice = self.queued(partner=person)
        refund = invoice._reverse_moves()
        refund.action_post()
        refund._crm_efactura_queue()
        self.exchange._upload_due()
        self.assertEqual(
            sorted((u["b2c"], u["standard"]) for u in self.stub.uploads),
            [(True, "CN"), (True, "UBL")],
        )

    def test_odoo_send_wizard_queues_instead_of_uploading(self):
        move = self.ro_invoice()
        move._l10n_ro_edi_send_invoice(b"<ignored/>")
        self.assertEqual(move.crm_efactura_state, "to_send")
        self.assertEqual(self.stub.count("upload"), 0)
        self.exchange._upload_due()
        self.assertEqual(self.stub.count("upload"), 1)
        # what ANAF has cannot be reset to draft
        with self.assertRaisesRegex(UserError, "credit note"):
            move.button_draft()
