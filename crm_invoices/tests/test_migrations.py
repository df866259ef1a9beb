import importlib.util
from pathlib import Path

from odoo import SUPERUSER_ID, Command
from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from ..migration import rename_models, rename_xmlids

#: The addons that renamed their list views, and the version that did.
RENAMED_IN = {
    "crm_invoices": "18.0.1.4.0",
    "crm_invoices_payment_link": "18.0.1.2.0",
    "crm_invoices_bank": "18.0.1.2.0",
    "crm_invoices_efactura": "18.0.1.1.0",
}

#: The addons that renamed models, and the version that did.
MODELS_RENAMED_IN = {
    "crm_invoices_efactura": "18.0.1.2.0",
    "crm_invoices_bank": "18.0.1.3.0",
}


def _pre_migrate(module, version, stage="pre"):
    path = (
        Path(get_module_path(module)) / "migrations" / version / f"{stage}-migrate.py"
    )
    spec = importlib.util.spec_from_file_location(f"{module}_{stage}_migrate", path)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    return script


def _post_migrate(module, version):
    return _pre_migrate(module, version, stage="post")


@tagged("post_install", "-at_install")
class TestMigrations(TransactionCase):
    def _xmlid(self, module, name):
        return self.env["ir.model.data"].search(
            [("module", "=", module), ("name", "=", name)]
        )

    def test_a_database_of_the_older_names_keeps_its_list_views(self):
        """The ids of a database installed before the rename are renamed
        before the update: the same views, under the new names, once."""
        for module, version in RENAMED_IN.items():
            installed = self.env["ir.module.module"].search_count(
                [("name", "=", module), ("state", "=", "installed")]
            )
            if not installed:
                continue
            script = _pre_migrate(module, version)
            views = {}
            for old, new in script.RENAMED.items():
                data = self._xmlid(module, new)
                self.assertTrue(data, new)
                views[new] = data.res_id
                data.name = old  # as the older version installed it
            self.env.flush_all()
            script.migrate(self.env.cr, version)
            self.env.invalidate_all()
            for (old, new), view_id in zip(
                script.RENAMED.items(), views.values(), strict=True
            ):
                self.assertEqual(self._xmlid(module, new).res_id, view_id, new)
                self.assertFalse(self._xmlid(module, old), old)
            # twice: nothing left to rename
            self.assertEqual(rename_xmlids(self.env.cr, module, script.RENAMED), 0)

    def test_a_rename_never_takes_a_name_in_use(self):
        view = self.env.ref("crm_invoices.account_move_view_list")
        other = self.env["ir.model.data"].create(
            {
                "module": "crm_invoices",
                "name": "zz_test_view_tree",
                "model": "ir.ui.view",
                "res_id": view.id,
            }
        )
        renames = {"zz_test_view_tree": "account_move_view_list"}
        self.assertEqual(rename_xmlids(self.env.cr, "crm_invoices", renames), 0)
        self.env.invalidate_all()
        self.assertEqual(other.name, "zz_test_view_tree")
        self.assertEqual(self.env.ref("crm_invoices.account_move_view_list"), view)

    def _installed(self, module):
        return self.env["ir.module.module"].search_count(
            [("name", "=", module), ("state", "=", "installed")]
        )

    def test_a_database_of_the_older_model_names_keeps_its_records(self):
        """A database of the older model names (turned back into one here, in
        this test's transaction) comes out of the migration with the same
        rows, the same models and the ids renamed."""
        cr = self.env.cr
        for module, version in MODELS_RENAMED_IN.items():
            if not self._installed(module):
                continue
            script = _pre_migrate(module, version)
            before = {}
            for new in script.RENAMED.values():
                model = self.env["ir.model"]._get(new)
                self.assertTrue(model, new)
                rows = None
                if self.env[new]._auto and not self.env[new]._abstract:
                    cr.execute(f'SELECT count(*) FROM "{self.env[new]._table}"')
                    rows = cr.fetchone()[0]
                before[new] = (model.id, rows)
            self.env.flush_all()
            back = {new: old for old, new in script.RENAMED.items()}
            self.assertEqual(len(rename_models(cr, module, back)), len(back))
            for old in script.RENAMED:
                cr.execute("SELECT 1 FROM ir_model WHERE model = %s", (old,))
                self.assertTrue(cr.fetchall(), old)
            script.migrate(cr, version)
            self.env.invalidate_all()
            for old, new in script.RENAMED.items():
                model_id, rows = before[new]
                cr.execute("SELECT id FROM ir_model WHERE model = %s", (new,))
                self.assertEqual(cr.fetchall(), [(model_id,)], new)
                cr.execute("SELECT 1 FROM ir_model WHERE model = %s", (old,))
                self.assertFalse(cr.fetchall(), old)
                table = new.replace(".", "_")
                if rows is not None:
                    cr.execute(f'SELECT count(*) FROM "{table}"')
                    self.assertEqual(cr.fetchone()[0], rows, table)
                cr.execute("SELECT to_regclass(%s)", (old.replace(".", "_"),))
                self.assertIsNone(cr.fetchone()[0], old)
                model_xmlid = self._xmlid(module, f"model_{table}")
                self.assertEqual(model_xmlid.res_id, model_id, table)
            # twice: nothing left to rename
            self.assertEqual(rename_models(cr, module, script.RENAMED), [])
            self.env.invalidate_all()

    def test_the_templates_nobody_edited_are_reset_the_edited_kept(self):
        """18.0.1.5.0 shows the interest in the reminders: the shipped
        templates are reloaded from the file, a company's own text kept."""
        script = _post_migrate("crm_invoices", "18.0.1.5.0")
        first, second, *_others = (self.env.ref(x) for x in script.TEMPLATES)
        # as a 18.0.1.4.0 database has them: without the interest lines
        old_body = first.body_html.replace("crm_late_interest_amount", "amount_total")
        first.with_user(SUPERUSER_ID).body_html = old_body
        user = self.env["res.users"].create(
            {
                "name": "Template Editor",
                "login": "template_editor",
                "groups_id": [Command.set([self.env.ref("base.group_system").id])],
            }
        )
        second.with_user(user).body_html = "<p>Our own reminder</p>"
        self.env.flush_all()
        with mute_logger("odoo.addons.crm_invoices.migration"):
            script.migrate(self.env.cr, "18.0.1.4.0")
        self.env.invalidate_all()
        self.assertIn("crm_late_interest_amount", first.body_html)
        self.assertIn("Our own reminder", second.body_html)

    def test_the_statement_template_moves_to_the_statement(self):
        """18.0.1.7.0 renders statements on their own record: the shipped
        template is reset, an edited one moved with its expressions."""
        script = _post_migrate("crm_invoices", "18.0.1.7.0")
        template = self.env.ref("crm_invoices.mail_template_statement")
        as_before = {
            "model_id": self.env["ir.model"]._get_id("res.partner"),
            "partner_to": False,
            "lang": "{{ object.lang }}",
            "body_html": (
                '<div><t t-set="statement" t-value="ctx.get(\'crm_statement\') '
                'or {}"/><p>Salut <t t-out="object.name or \'\'"/>, our own '
                "words: <t t-out=\"len(statement.get('lines', []))\"/></p></div>"
            ),
        }
        template.with_user(SUPERUSER_ID).write(as_before)
        self.env.flush_all()
        with mute_logger("odoo.addons.crm_invoices.migration"):
            script.migrate(self.env.cr, "18.0.1.6.0")
        self.env.invalidate_all()
        self.assertEqual(template.model, "crm.invoices.statement")
        self.assertIn("ctx.get('crm_statements')", template.body_html)
        self.assertNotIn("our own words", template.body_html, "nobody edited it")
        user = self.env["res.users"].create(
            {
                "name": "Statement Editor",
                "login": "statement_editor",
                "groups_id": [Command.set([self.env.ref("base.group_system").id])],
            }
        )
        template.with_user(user).write(as_before)
        self.env.flush_all()
        with mute_logger("odoo.addons.crm_invoices.migration"):
            script.migrate(self.env.cr, "18.0.1.6.0")
        self.env.invalidate_all()
        self.assertEqual(template.model, "crm.invoices.statement")
        self.assertIn("our own", template.body_html, "a company's words kept")
        self.assertIn(
            "(ctx.get('crm_statements') or {}).get(object.id) or {}",
            template.body_html,
        )
        self.assertIn("object.partner_id.name", template.body_html)
        self.assertEqual(template.lang, "{{ object.partner_id.lang }}")
        self.assertIn("partner_to", template.partner_to)
