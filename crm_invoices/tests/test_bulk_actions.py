from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import CrmInvoicesCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-01")
class TestBulkActions(CrmInvoicesCommon):
    def setUp(self):
        super().setUp()
        self.draft = self.make_invoice(post=False)
        self.unpaid = self.make_invoice(due_date=date(2026, 3, 31))
        self.paid = self.make_invoice()
        self.pay(self.paid)
        self.cancelled = self.make_invoice()
        self.cancelled.button_cancel()
        self.selection = self.draft + self.unpaid + self.paid + self.cancelled

    def test_cancel_mixed_selection(self):
        action = self.selection.action_crm_bulk_cancel()
        message = self.notification_message(action)
        self.assertEqual(self.draft.crm_status, "cancelled")
        self.assertEqual(self.unpaid.crm_status, "cancelled")
        self.assertEqual(
            self.paid.crm_status, "paid", "a paid invoice is not cancelled"
        )
        self.assertIn("2 invoice(s) cancelled.", message)
        self.assertIn(
            f"has payments: unreconcile them or issue a credit note): {self.paid.name}",
            message,
        )
        self.assertIn(f"(already cancelled): {self.cancelled.name}", message)
        self.assertEqual(action["params"]["type"], "warning")
        self.assertEqual(
            action["params"]["next"], {"type": "ir.actions.act_window_close"}
        )

    def test_cancel_keeps_what_is_allowed_when_odoo_refuses_one(self):
        locked = self.make_invoice(
            invoice_date=date(2025, 12, 15), due_date=date(2026, 1, 15)
        )
        self.env.company.fiscalyear_lock_date = date(2025, 12, 31)
        action = (self.unpaid + locked).action_crm_bulk_cancel()
        message = self.notification_message(action)
        self.assertEqual(self.unpaid.state, "cancel")
        self.assertEqual(locked.state, "posted")
        self.assertIn("1 invoice(s) cancelled.", message)
        self.assertIn(locked.name, message)
        self.assertIn("Lock Date", message)

    def test_reset_to_draft_mixed_selection(self):
        action = self.selection.action_crm_bulk_reset_to_draft()
        message = self.notification_message(action)
        self.assertEqual(self.unpaid.state, "draft")
        self.assertEqual(self.cancelled.state, "draft")
        self.assertEqual(self.paid.state, "posted")
        self.assertIn("2 invoice(s) reset to draft.", message)
        self.assertIn("already a draft", message)
        self.assertIn("has payments: unreconcile them first", message)

    def test_delete_mixed_selection(self):
        self.make_invoice()  # the cancelled invoice is no longer the last number
        never_posted = self.make_invoice(post=False)
        draft_ids = (self.draft + never_posted).ids
        action = (self.selection + never_posted).action_crm_bulk_delete()
        message = self.notification_message(action)
        self.assertFalse(self.env["account.move"].browse(draft_ids).exists())
        self.assertTrue((self.unpaid + self.paid + self.cancelled).exists())
        self.assertIn("2 invoice(s) deleted.", message)
        self.assertIn("posted invoices are never deleted: cancel them", message)
        self.assertIn(
            "has a number: cancel it so the numbering has no hole): "
            + self.cancelled.name,
            message,
        )

    def test_delete_the_last_number_leaves_no_hole(self):
        action = self.cancelled.action_crm_bulk_delete()
        self.assertEqual(action["params"]["type"], "success")
        self.assertFalse(self.cancelled.exists())

    def test_delete_only_drafts_is_a_success(self):
        action = self.draft.action_crm_bulk_delete()
        self.assertEqual(action["params"]["type"], "success")
        self.assertFalse(self.draft.exists())

    def test_mark_as_sent_mixed_selection(self):
        action = self.selection.action_crm_bulk_mark_sent()
        message = self.notification_message(action)
        self.assertEqual(self.unpaid.crm_status, "sent")
        self.assertTrue(self.paid.is_move_sent)
        self.assertFalse(self.draft.is_move_sent)
        self.assertIn("2 invoice(s) marked as sent.", message)
        self.assertIn("not posted", message)
        again = self.notification_message(self.unpaid.action_crm_bulk_mark_sent())
        self.assertIn("0 invoice(s) marked as sent.", again)
        self.assertIn("already sent", again)

    def test_send_by_email_opens_the_wizard_on_posted_invoices(self):
        action = self.selection.action_crm_bulk_send()
        message = self.notification_message(action)
        wizard = action["params"]["next"]
        self.assertEqual(wizard["res_model"], "account.move.send.batch.wizard")
        self.assertEqual(wizard["context"]["active_ids"], (self.unpaid + self.paid).ids)
        self.assertIn("not posted", message)
        single = self.unpaid.action_crm_bulk_send()
        self.assertEqual(single["res_model"], "account.move.send.wizard")
