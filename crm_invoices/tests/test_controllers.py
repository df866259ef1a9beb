from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestAdminRedirects(HttpCase):
    def test_admin_invoices_redirects_to_the_list(self):
        self.authenticate("admin", "admin")
        response = self.url_open("/admin/invoices", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith("/odoo/crm-invoices"))
        response = self.url_open(
            "/admin/invoices/list_invoices/42", allow_redirects=False
        )
        self.assertTrue(response.headers["Location"].endswith("/odoo/crm-invoices/42"))

    def test_list_address_opens_the_invoices_action(self):
        self.authenticate("admin", "admin")
        response = self.url_open("/admin/invoices")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.url.endswith("/odoo/crm-invoices"))

    def test_anonymous_is_sent_to_login(self):
        response = self.url_open("/admin/invoices", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])
