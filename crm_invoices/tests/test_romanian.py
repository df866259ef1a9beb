from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestRomanianInterface(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("ro_RO")
        cls.env["ir.module.module"]._load_module_terms(["crm_invoices"], ["ro_RO"])

    def test_app_and_statuses_speak_romanian(self):
        ro = self.env(context={"lang": "ro_RO"})
        menu = ro.ref("crm_invoices.crm_invoices_menu_root")
        self.assertEqual(menu.name, "Facturi")
        labels = dict(
            ro["account.move"].fields_get(["crm_status"])["crm_status"]["selection"]
        )
        self.assertEqual(labels["overdue"], "Restantă")
        self.assertEqual(labels["partial"], "Plătită parțial")

    def test_bulk_messages_speak_romanian(self):
        ro_moves = self.env["account.move"].with_context(lang="ro_RO")
        action = ro_moves.browse().action_crm_bulk_cancel()
        self.assertIn("anulată", action["params"]["message"])
