from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CrmInvoicesCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-01")
class TestAccess(CrmInvoicesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.setup_other_company(name="Company B")["company"]
        cls.ar_user = cls.make_ar_user("ar_user")
        cls.ar_manager = cls.make_ar_user("ar_manager", manager=True)
        cls.ar_user_b = cls.make_ar_user("ar_user_b", company=cls.company_b)
        cls.internal = cls.env["res.users"].create(
            {
                "name": "Sales only",
                "login": "sales_only",
                "company_id": cls.env.company.id,
                "company_ids": [Command.set(cls.env.company.ids)],
                "groups_id": [
                    Command.set([cls.env.ref("sales_team.group_sale_salesman").id])
                ],
            }
        )
        cls.menu_root = cls.env.ref("crm_invoices.crm_invoices_menu_root")
        cls.menu_config = cls.env.ref("crm_invoices.crm_invoices_menu_configuration")
        cls.menu_metrics = cls.env.ref("crm_invoices.crm_invoices_ar_report_menu")

    def _visible_menus(self, user):
        return self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()

    def test_ar_user_works_invoices_but_does_not_configure(self):
        self.assertTrue(self.ar_user.has_group("account.group_account_invoice"))
        invoice = self.make_invoice(user=self.ar_user, due_date=date(2026, 3, 31))
        self.assertEqual(invoice.crm_status, "unpaid")
        invoice.with_user(self.ar_user).action_crm_bulk_mark_sent()
        self.assertEqual(invoice.crm_status, "sent")
        report = self.env["crm.invoices.ar.report"].with_user(self.ar_user)
        self.assertEqual(
            report.search([("move_id", "=", invoice.id)]).amount_residual, 1000.0
        )
        invoice.with_user(self.ar_user).action_crm_bulk_cancel()
        self.assertEqual(invoice.crm_status, "cancelled")
        menus = self._visible_menus(self.ar_user)
        self.assertIn(self.menu_root.id, menus)
        self.assertIn(self.menu_metrics.id, menus)
        self.assertNotIn(self.menu_config.id, menus)
        self.assertFalse(
            self.env["account.payment.term"]
            .with_user(self.ar_user)
            .has_access("create")
        )

    def test_ar_manager_configures(self):
        menus = self._visible_menus(self.ar_manager)
        for xmlid in (
            "crm_invoices_reminder_level_menu",
            "crm_invoices_api_token_menu",
            "crm_invoices_reminder_report_menu",
        ):
            self.assertIn(self.env.ref(f"crm_invoices.{xmlid}").id, menus)
        self.assertNotIn(
            self.env.ref("crm_invoices.crm_invoices_api_token_menu").id,
            self._visible_menus(self.ar_user),
        )
        self.assertTrue(self.ar_manager.has_group("account.group_account_manager"))
        self.assertTrue(
            self.ar_manager.has_group("crm_invoices.group_crm_invoices_user")
        )
        self.assertIn(self.menu_config.id, self._visible_menus(self.ar_manager))
        self.assertTrue(
            self.env["account.payment.term"]
            .with_user(self.ar_manager)
            .has_access("create")
        )

    def test_dialogs_open_for_their_users(self):
        """The forms the users' buttons open load for them (an access rule on a
        wizard model is only missed in the browser otherwise)."""
        for user, model in (
            (self.ar_user, "crm.invoices.reminder.send"),
            (self.ar_manager, "crm.invoices.api.token.show"),
            (self.ar_manager, "crm.invoices.api.token"),
            (self.ar_manager, "crm.invoices.reminder.level"),
        ):
            with self.subTest(model=model):
                views = self.env[model].with_user(user).get_views([(False, "form")])
                self.assertIn("form", views["views"])
        token = (
            self.env["crm.invoices.api.token"]
            .with_user(self.ar_manager)
            .create({"name": "ui", "user_id": self.ar_user.id})
        )
        action = token.action_generate()
        shown = (
            self.env[action["res_model"]]
            .with_user(self.ar_manager)
            .with_context(action["context"])
            .onchange({}, [], {"token": {}, "token_name": {}})
        )
        self.assertTrue(shown["value"]["token"].startswith("crmi_"))

    def test_other_users_do_not_see_the_app(self):
        self.assertNotIn(self.menu_root.id, self._visible_menus(self.internal))
        with self.assertRaises(AccessError):
            self.env["crm.invoices.ar.report"].with_user(self.internal).search([])

    def test_companies_are_isolated(self):
        invoice_a = self.make_invoice(due_date=date(2026, 2, 1))
        invoice_b = self.make_invoice(due_date=date(2026, 2, 1), company=self.company_b)
        mine = [("id", "in", (invoice_a + invoice_b).ids)]
        moves_a = self.env["account.move"].with_user(self.ar_user)
        moves_b = self.env["account.move"].with_user(self.ar_user_b)
        self.assertEqual(moves_a.search(mine), invoice_a)
        self.assertEqual(moves_b.search(mine), invoice_b)
        report_a = self.env["crm.invoices.ar.report"].with_user(self.ar_user)
        rows = report_a.search([("move_id", "in", (invoice_a + invoice_b).ids)])
        self.assertEqual(rows.move_id, invoice_a)
        total = report_a.read_group([], ["amount_residual:sum"], [])[0][
            "amount_residual"
        ]
        self.assertEqual(total, sum(report_a.search([]).mapped("amount_residual")))
        self.assertNotIn(invoice_b, report_a.search([]).move_id)
        with self.assertRaises(AccessError):
            invoice_b.with_user(self.ar_user).read(["name"])
