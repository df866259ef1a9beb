from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CrmInvoicesCommon


@tagged("post_install", "-at_install")
class TestInvoiceFromQuotation(CrmInvoicesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.service = cls._create_product(
            name="Consulting hour",
            type="service",
            invoice_policy="order",
            lst_price=120.0,
        )

    def _quotation(self, qty=10.0, confirm=True):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.service.id, "product_uom_qty": qty}
                    )
                ],
            }
        )
        if confirm:
            order.action_confirm()
        return order

    def _invoices_of(self, orders):
        return orders.order_line.invoice_lines.move_id

    def test_one_click_creates_posts_and_opens_the_invoice(self):
        order = self._quotation()
        action = order.action_crm_invoice_and_post()
        invoice = self._invoices_of(order)
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.crm_status, "unpaid")
        self.assertEqual(invoice.amount_untaxed, 1200.0)
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("account.move", invoice.id)
        )
        self.assertEqual(order.invoice_status, "invoiced")

    def test_second_click_creates_nothing(self):
        order = self._quotation()
        order.action_crm_invoice_and_post()
        with self.assertRaisesRegex(UserError, "nothing to invoice"):
            order.action_crm_invoice_and_post()
        self.assertEqual(len(self._invoices_of(order)), 1)

    def test_quotation_not_accepted_is_refused(self):
        order = self._quotation(confirm=False)
        with self.assertRaisesRegex(UserError, "not accepted"):
            order.action_crm_invoice_and_post()
        self.assertFalse(self._invoices_of(order))

    def test_only_the_rest_is_invoiced_after_an_upsell(self):
        order = self._quotation(qty=10.0)
        order.action_crm_invoice_and_post()
        order.order_line.product_uom_qty = 14.0
        order.action_crm_invoice_and_post()
        second = self._invoices_of(order).sorted("id")[-1]
        self.assertEqual(second.amount_untaxed, 480.0)

    def test_bulk_on_a_mixed_selection(self):
        to_invoice = self._quotation()
        to_invoice_too = self._quotation(qty=2.0)
        quotation = self._quotation(confirm=False)
        done = self._quotation()
        done.action_crm_invoice_and_post()
        action = (
            to_invoice + to_invoice_too + quotation + done
        ).action_crm_bulk_invoice_and_post()
        message = self.notification_message(action)
        self.assertEqual(len(self._invoices_of(to_invoice)), 1)
        self.assertEqual(len(self._invoices_of(to_invoice_too)), 1)
        self.assertNotEqual(
            self._invoices_of(to_invoice),
            self._invoices_of(to_invoice_too),
            "one invoice per order",
        )
        self.assertFalse(self._invoices_of(quotation))
        self.assertEqual(len(self._invoices_of(done)), 1)
        self.assertIn("2 invoice(s) created and posted.", message)
        self.assertIn(f"(nothing to invoice): {done.name}", message)
        self.assertIn(f"not accepted (confirmed) yet): {quotation.name}", message)
        next_action = action["params"]["next"]
        self.assertEqual(next_action["res_model"], "account.move")

    def test_bulk_with_nothing_to_invoice_creates_nothing(self):
        quotation = self._quotation(confirm=False)
        action = quotation.action_crm_bulk_invoice_and_post()
        self.assertIn(
            "0 invoice(s) created and posted.", self.notification_message(action)
        )
        self.assertEqual(
            action["params"]["next"], {"type": "ir.actions.act_window_close"}
        )
        self.assertFalse(self._invoices_of(quotation))
