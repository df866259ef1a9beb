from odoo.tests import tagged

from odoo.addons.crm_invoices.tests.test_money_fields import MoneyFieldsCommon

from .common import PayLinkCommon


@tagged("post_install", "-at_install")
class TestPayMoneyFields(PayLinkCommon, MoneyFieldsCommon):
    """A pay link's life, a statement link's invoices, which link a payment
    came through and when an invoice's payment started are written by the
    pay pages and the managers' actions only."""

    def test_pay_link_fields(self):
        invoice = self.open_invoice(700.0)
        link = invoice.crm_pay_link_id
        self.assert_refused_to_all(link, {"revoked": True})
        self.assert_refused_to_all(link, {"expiry_date": "2000-01-01 00:00:00"})
        self.assert_refused_to_all(link, {"attempt_count": 0, "last_opened": False})
        self.assert_refused_to_all(link, {"move_id": self.open_invoice(1.0).id})
        self.assert_refused_to_all(invoice, {"crm_payment_started": False})
        # the action meant for it, by the role meant for it
        link.with_user(self.roles["ar_manager"]).action_revoke()
        self.assertTrue(link.revoked)

    def test_statement_link_fields(self):
        invoices = self.overdue(2)
        _token, link = self.issue(invoices)
        self.assert_refused_to_all(link, {"revoked": True})
        self.assert_refused_to_all(link, {"move_ids": [(6, 0, invoices[:1].ids)]})
        self.assert_refused_to_all(link, {"expiry_date": "2000-01-01 00:00:00"})
        self.assertEqual(link.state, "active")

    def test_transaction_link_fields(self):
        invoice = self.open_invoice(800.0)
        token, link = self.token_of(invoice)
        tx = self.transaction(self.start_payment(token)["reference"])
        other = self.open_invoice(10.0).crm_pay_link_id
        # billing users may write transactions (Odoo), not which link they paid
        self.assert_refused_to_all(tx, {"crm_pay_link_id": other.id})
        self.assert_refused_to_all(tx, {"crm_pay_link_id": False})
        self.assertEqual(tx.crm_pay_link_id, link)
