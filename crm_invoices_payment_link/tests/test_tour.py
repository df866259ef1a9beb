from odoo.tests import tagged

from .common import PayLinkCommon


@tagged("post_install", "-at_install")
class TestPayTour(PayLinkCommon):
    def test_visitor_pays_with_the_demo_provider_in_a_browser(self):
        invoice = self.open_invoice(amount=250.0)
        token, _link = self.token_of(invoice)
        self.start_tour(f"/pay/{token}", "crm_invoices_pay_link_tour", login=None)
        self.assertEqual(invoice.crm_status, "paid")
        self.assertTrue(invoice.crm_paid_online)
