from odoo.tests import HttpCase, tagged

from odoo.addons.crm_invoices.tests.common import days_from_today

from .common import EfacturaCommon


@tagged("post_install", "-at_install")
class TestEfacturaScreens(EfacturaCommon, HttpCase):
    """A Romanian company's collector sees e-Factura where they work; a US
    company's does not."""

    def test_the_list_and_the_tab_say_what_to_do(self):
        self.company.crm_efactura_auto_send = False
        customer = self.ro_customer.copy({"name": "Client Tur SRL"})
        late = self.ro_invoice(partner=customer, invoice_date=days_from_today(-20))
        late.invoice_date_due = days_from_today(10)
        self.assertEqual(late.crm_efactura_display, "late")
        self.assertTrue(self.env.user.has_group("crm_invoices_efactura.group_efactura"))
        self.start_tour(
            "/odoo/crm-invoices",
            "crm_invoices_efactura_tour",
            login=self.env.user.login,
        )

    def test_e_factura_is_for_the_users_of_romanian_companies(self):
        group = self.env.ref("crm_invoices_efactura.group_efactura")
        us_company = self.setup_other_company(
            name="US Only Inc", country_id=self.env.ref("base.us").id
        )["company"]
        clerk = self.make_ar_user("us_clerk", company=us_company)
        self.assertNotIn(clerk, group.users)
        menu = self.env.ref("crm_invoices_efactura.crm_efactura_menu")
        self.assertNotIn(
            menu.id, self.env["ir.ui.menu"].with_user(clerk)._visible_menu_ids()
        )
        # given a Romanian company, the clerk sees e-Factura; taken back, not
        clerk.company_ids |= self.company
        self.assertIn(clerk, group.users)
        clerk.company_ids -= self.company
        self.assertNotIn(clerk, group.users)
        # a company that moves to Romania brings its users along
        us_company.account_fiscal_country_id = self.env.ref("base.ro")
        self.assertIn(clerk, group.users)
