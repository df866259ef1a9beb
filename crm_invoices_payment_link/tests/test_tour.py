from odoo.tests import tagged

from .common import PayLinkCommon

#: The tests' provider's page: it sends the visitor on to Odoo's payment
#: status page (a real provider shows its own page, then comes back).
REDIRECT_FORM = """
<form action="/payment/status" method="get">
    <input type="hidden" name="provider" value="test"/>
</form>
"""


@tagged("post_install", "-at_install")
class TestPayTour(PayLinkCommon):
    def test_visitor_pays_in_a_browser(self):
        self.provider.redirect_form_view_id = self.env["ir.ui.view"].create(
            {"name": "Test Provider Page", "type": "qweb", "arch": REDIRECT_FORM}
        )
        invoice = self.open_invoice(amount=250.0)
        token, link = self.token_of(invoice)
        self.start_tour(f"/pay/{token}", "crm_invoices_pay_link_tour", login=None)
        transaction = link.transaction_ids
        self.assertEqual(len(transaction), 1, "the click started one payment")
        self.assertEqual(transaction.amount, 250.0)
        self.assertEqual(transaction.invoice_ids, invoice)
        self.simulate(transaction.reference, "done")  # the provider confirms
        self.start_tour(
            f"/pay/{token}/status", "crm_invoices_pay_link_paid_tour", login=None
        )
        self.assertEqual(invoice.crm_status, "paid")
        self.assertTrue(invoice.crm_paid_online)
