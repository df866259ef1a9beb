from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from ..lib import invoice_status
from .common import CrmInvoicesCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-01")
class TestInDispute(CrmInvoicesCommon):
    """Odoo's ``blocked`` payment state is an invoice in dispute: still owed
    and still late, but not collected -- one rule
    (:func:`invoice_status.collectable_domain`) every door asks."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.overdue = cls.make_invoice(
            500.0, invoice_date=date(2026, 1, 10), due_date=date(2026, 2, 9)
        )
        cls.disputed = cls.make_invoice(
            700.0, invoice_date=date(2026, 1, 10), due_date=date(2026, 2, 9)
        )
        cls.disputed.action_toggle_block_payment()
        cls.partly_paid = cls.make_invoice(
            900.0, invoice_date=date(2026, 1, 10), due_date=date(2026, 2, 9)
        )
        cls.pay(cls.partly_paid, 100.0, date(2026, 1, 20))
        cls.moves = cls.overdue + cls.disputed + cls.partly_paid

    def values(self, move):
        return {
            name: move[name]
            for name in ("move_type", "state", "payment_state", "amount_residual")
        }

    def test_the_domain_and_the_rule_agree(self):
        self.assertEqual(self.disputed.payment_state, "blocked")
        collectable = self.moves.filtered_domain(invoice_status.collectable_domain())
        self.assertEqual(collectable, self.overdue + self.partly_paid)
        self.assertEqual(
            self.moves.search(
                [("id", "in", self.moves.ids), *invoice_status.collectable_domain()]
            ),
            collectable,
        )
        for move in self.moves:
            self.assertEqual(
                invoice_status.is_collectable(self.values(move)),
                move in collectable,
                move.name,
            )
        self.assertEqual(
            self.moves.filtered_domain(invoice_status.open_domain()),
            self.moves,
            "in dispute: still open",
        )

    def test_still_late_and_owed_on_the_screens(self):
        self.assertEqual(self.disputed.crm_status, "overdue")
        self.assertEqual(self.disputed.crm_days_overdue, 20)
        overview = self.env["crm.invoices.overview"]
        figures = {
            figure["key"]: figure
            for figure in overview._crm_overview_figures(self.env.company)
        }
        self.assertEqual(figures["overdue"]["detail"], "3 invoice(s)", "still late")
        receivable = self.env["account.move"].search(
            figures["receivable"]["action"]["domain"]
        )
        self.assertLessEqual(self.moves, receivable, "in dispute is still owed")
        to_send = [
            item
            for item in overview._crm_overview_todo(self.env.company)
            if item and item["key"] == "to_send"
        ][0]
        self.assertNotIn(
            self.disputed,
            self.env["account.move"].search(to_send["action"]["domain"]),
        )

    def test_has_payments_is_one_rule(self):
        self.assertFalse(self.disputed._crm_has_payments(), "nothing paid yet")
        self.assertTrue(self.partly_paid._crm_has_payments())
        self.assertFalse(self.overdue._crm_has_payments())
        action = (self.disputed + self.partly_paid).action_crm_bulk_cancel()
        message = self.notification_message(action)
        self.assertEqual(self.disputed.state, "cancel")
        self.assertEqual(self.partly_paid.state, "posted")
        self.assertIn(
            "has payments: unreconcile them or issue a credit note): "
            + self.partly_paid.name,
            message,
        )
