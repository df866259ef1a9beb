from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import CrmInvoicesCommon


@tagged("post_install", "-at_install")
class TestInvoiceStatus(CrmInvoicesCommon):
    @freeze_time("2026-01-15")
    def test_life_of_an_invoice(self):
        invoice = self.make_invoice(post=False)
        self.assertEqual(invoice.crm_status, "draft")
        self.assertEqual(invoice.crm_status_code, 6)

        invoice.action_post()
        self.assertEqual(invoice.crm_status, "unpaid")
        self.assertEqual(invoice.crm_status_code, 1)
        self.assertFalse(invoice.crm_date_sent)

        invoice.action_crm_mark_sent()
        self.assertEqual(invoice.crm_status, "sent")
        self.assertEqual(invoice.crm_status_code, 1)
        self.assertTrue(invoice.crm_date_sent)

        self.pay(invoice, 400.0, date(2026, 1, 20))
        self.assertEqual(invoice.crm_status, "partial")
        self.assertEqual(invoice.crm_status_code, 3)
        self.assertFalse(invoice.crm_date_paid)

        self.pay(invoice, 600.0, date(2026, 2, 1))
        self.assertEqual(invoice.crm_status, "paid")
        self.assertEqual(invoice.crm_status_code, 2)
        self.assertEqual(invoice.crm_date_paid, date(2026, 2, 1))

    def test_overdue_appears_when_time_passes(self):
        with freeze_time("2026-01-15"):
            invoice = self.make_invoice()
            self.assertEqual(invoice.crm_status, "unpaid")
        with freeze_time("2026-02-09"):
            self.env["account.move"]._cron_crm_mark_overdue()
            self.assertEqual(invoice.crm_status, "unpaid", "due today is not overdue")
        with freeze_time("2026-02-10"):
            self.env["account.move"]._cron_crm_mark_overdue()
            self.assertEqual(invoice.crm_status, "overdue")
            self.assertEqual(invoice.crm_status_code, 4)
            self.assertEqual(invoice.crm_days_overdue, 1)
        with freeze_time("2026-03-11"):
            invoice.invalidate_recordset(["crm_days_overdue"])
            self.assertEqual(invoice.crm_days_overdue, 30)
            self.pay(invoice, 250.0, date(2026, 3, 11))
            self.assertEqual(invoice.crm_status, "overdue", "overdue beats partial")
            self.pay(invoice, 750.0, date(2026, 3, 11))
            self.assertEqual(invoice.crm_status, "paid")
            self.assertEqual(invoice.crm_days_overdue, 0)

    @freeze_time("2026-03-01")
    def test_posting_a_late_invoice_makes_it_overdue_at_once(self):
        invoice = self.make_invoice(due_date=date(2026, 2, 1))
        self.assertEqual(invoice.crm_status, "overdue")
        self.assertEqual(invoice.crm_days_overdue, 28)

    @freeze_time("2026-03-01")
    def test_moving_the_due_date_leaves_overdue(self):
        invoice = self.make_invoice(post=False, due_date=date(2026, 2, 1))
        self.assertEqual(invoice.crm_status, "draft")
        invoice.invoice_date_due = date(2026, 3, 31)
        invoice.action_post()
        self.assertEqual(invoice.crm_status, "unpaid")

    @freeze_time("2026-03-01")
    def test_precedence(self):
        sent_partial = self.make_invoice(due_date=date(2026, 3, 31))
        sent_partial.action_crm_mark_sent()
        self.pay(sent_partial, 100.0)
        self.assertEqual(sent_partial.crm_status, "partial", "partial beats sent")

        sent_late = self.make_invoice(due_date=date(2026, 2, 1))
        sent_late.action_crm_mark_sent()
        self.assertEqual(sent_late.crm_status, "overdue", "overdue beats sent")

        paid_late = self.make_invoice(due_date=date(2026, 2, 1))
        self.pay(paid_late)
        self.assertEqual(paid_late.crm_status, "paid", "paid beats overdue")

        cancelled = self.make_invoice(due_date=date(2026, 2, 1))
        cancelled.action_crm_mark_sent()
        cancelled.button_cancel()
        self.assertEqual(cancelled.crm_status, "cancelled")
        self.assertEqual(cancelled.crm_status_code, 5)

        cancelled.button_draft()
        self.assertEqual(cancelled.crm_status, "draft")

    @freeze_time("2026-03-01")
    def test_credit_note_is_never_overdue(self):
        refund = self.make_invoice(move_type="out_refund", due_date=date(2026, 1, 1))
        self.env["account.move"]._cron_crm_mark_overdue()
        self.assertEqual(refund.crm_status, "credit_open")

    @freeze_time("2026-03-01")
    def test_an_invoice_settled_by_a_credit_note_is_credited(self):
        invoice = self.make_invoice(due_date=date(2026, 2, 1))
        wizard = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "wrong price"})
        )
        wizard.refund_moves()
        invoice.reversal_move_ids.action_post()  # reconciles with the invoice
        self.assertEqual(invoice.payment_state, "reversed")
        # issued, then annulled by the credit note: not voided
        self.assertEqual(invoice.crm_status, "credited")
        self.assertEqual(invoice.crm_status_code, 2)
        self.assertEqual(invoice.reversal_move_ids.crm_status, "credit_applied")

    @freeze_time("2026-03-01")
    def test_credit_note_open_applied_refunded(self):
        """A credit note is open until set against an invoice (applied) or
        paid back to the customer (refunded); it never counts as an unpaid
        invoice, in the status filters or in the money the customers owe."""
        invoice = self.make_invoice(1000.0, due_date=date(2026, 4, 1))
        applied = self.make_invoice(300.0, move_type="out_refund")
        refunded = self.make_invoice(200.0, move_type="out_refund")
        self.assertEqual(
            (applied.crm_status, refunded.crm_status), ("credit_open", "credit_open")
        )
        mine = [("partner_id", "=", self.customer.id)]
        moves = self.env["account.move"]
        for status in ("unpaid", "sent", "partial", "overdue", "paid"):
            self.assertNotIn(
                applied, moves.search(mine + [("crm_status", "=", status)]), status
            )
        # the receivables balance nets them: 1000 - 300 - 200
        report = self.env["crm.invoices.ar.report"]
        [total] = report.read_group(
            [("partner_id", "=", self.customer.id)], ["amount_residual:sum"], []
        )
        self.assertAlmostEqual(total["amount_residual"], 500.0)

        # set against the invoice
        (applied + invoice).line_ids.filtered(
            lambda line: line.account_type == "asset_receivable"
        ).reconcile()
        self.assertEqual(applied.crm_status, "credit_applied")
        self.assertEqual(invoice.crm_status, "partial")
        # paid back to the customer
        self.pay(refunded, payment_date=date(2026, 3, 1))
        self.assertEqual(refunded.payment_state, "paid")
        self.assertEqual(refunded.crm_status, "credit_refunded")
        self.assertEqual(
            moves.search(
                mine + [("crm_status", "in", ("credit_applied", "credit_refunded"))]
            ),
            applied + refunded,
        )
        # the payment undone: open again
        refunded.line_ids.remove_move_reconcile()
        self.assertEqual(refunded.crm_status, "credit_open")

    def test_vendor_bills_have_no_crm_status(self):
        bill = self.init_invoice("in_invoice", amounts=[100.0], post=True)
        self.assertFalse(bill.crm_status)

    @freeze_time("2026-01-15")
    def test_sending_by_email_sets_sent(self):
        invoice = self.make_invoice()
        wizard = (
            self.env["account.move.send.wizard"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({})
        )
        wizard.action_send_and_print()
        self.assertTrue(invoice.is_move_sent)
        self.assertEqual(invoice.crm_status, "sent")
        sent = invoice.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertIn(invoice.name, sent.subject)
        self.assertEqual(sent.partner_ids, self.customer)

    @freeze_time("2026-01-15")
    def test_mark_as_sent_refuses_drafts(self):
        invoice = self.make_invoice(post=False)
        with self.assertRaisesRegex(UserError, "Only posted invoices"):
            invoice.action_crm_mark_sent()
        self.assertFalse(invoice.is_move_sent)

    @freeze_time("2026-03-01")
    def test_days_overdue_search_and_order(self):
        late_40 = self.make_invoice(due_date=date(2026, 1, 20))
        late_10 = self.make_invoice(due_date=date(2026, 2, 19))
        on_time = self.make_invoice(due_date=date(2026, 3, 20))
        moves = self.env["account.move"]
        mine = [("id", "in", (late_40 + late_10 + on_time).ids)]
        self.assertEqual(moves.search(mine + [("crm_days_overdue", ">", 30)]), late_40)
        self.assertEqual(
            moves.search(mine + [("crm_days_overdue", ">=", 10)]), late_40 + late_10
        )
        self.assertEqual(moves.search(mine + [("crm_days_overdue", "=", 0)]), on_time)
        self.assertEqual(
            moves.search(mine + [("crm_days_overdue", "<", 20)]), late_10 + on_time
        )
        self.assertEqual(
            moves.search(mine, order="crm_days_overdue desc").ids,
            [late_40.id, late_10.id, on_time.id],
        )
        with self.assertRaises(UserError):
            moves.search([("crm_days_overdue", ">", "ten")])

    @freeze_time("2026-01-15")
    def test_numbered_invoice_is_never_deleted(self):
        first = self.make_invoice()
        second = self.make_invoice()
        first.button_draft()
        with self.assertRaisesRegex(UserError, "cancel it instead"):
            first.unlink()
        self.assertTrue(first.exists())
        # The last number of the sequence can go: no hole is left.
        second.button_draft()
        second.unlink()
        self.assertFalse(second.exists())

    @freeze_time("2026-01-15")
    def test_form_shows_status_and_amount_due(self):
        invoice = self.make_invoice()
        self.pay(invoice, 300.0)
        form = Form(invoice)
        self.assertEqual(form.crm_status, "partial")
        self.assertEqual(form.amount_residual, 700.0)
        action = invoice.open_payments()
        self.assertEqual(
            self.env[action["res_model"]].browse(action["res_id"]).amount, 300.0
        )
