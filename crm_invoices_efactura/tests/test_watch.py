import io
import json
import zipfile
from datetime import date

from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from ..lib import deadline
from .common import EfacturaStubCommon


@tagged("post_install", "-at_install")
class TestEfacturaWatch(EfacturaStubCommon, HttpCase):
    """Checking drafts, the deadline watch, the digest, the export, the API."""

    def test_check_a_draft_in_plain_words(self):
        draft = self.ro_invoice(
            partner=self.make_partner(
                city="Bucuresti", state_id=self.env.ref("base.RO_B").id
            ),
            post=False,
        )
        action = draft.action_crm_efactura_check()
        self.assertIn("does not pass", action["params"]["message"])
        self.assertIn("sector", draft.crm_efactura_findings_html.lower())
        good = self.ro_invoice()
        good.action_crm_efactura_check()
        self.assertFalse(good.crm_efactura_findings)
        self.assertTrue(good.crm_efactura_checked)

    def test_anaf_rule_findings_name_the_field_to_fix(self):
        move = self.ro_invoice()
        move.crm_efactura_findings = json.dumps(
            [
                {
                    "layer": "anaf",
                    "rule": "BR-RO-100",
                    "severity": "error",
                    "text": "[BR-RO-100]-Daca Codul tarii Cumparatorului (BT-55) "
                    "este RO si "
                    "Subdiviziunea (BT-54) este RO-B, Localitatea (BT-52) ...",
                    "location": "",
                }
            ]
        )
        html = move.crm_efactura_findings_html
        self.assertIn("BR-RO-100", html)
        self.assertIn("customer city: set the customer", html)
        self.assertIn("(in Bucharest: the sector)", html)
        self.env["res.lang"]._activate_lang("ro_RO")
        self.env["ir.module.module"]._load_module_terms(
            ["crm_invoices_efactura"], ["ro_RO"]
        )
        html_ro = move.with_context(lang="ro_RO").crm_efactura_findings_html
        self.assertIn("orașul clientului", html_ro)

    def test_deadline_is_five_working_days_without_holidays(self):
        move = self.ro_invoice(
            invoice_date=date(2026, 11, 27)
        )  # a Friday before 30 Nov, 1 Dec
        # 30 Nov (St Andrew) and 1 Dec (National Day) are public holidays
        self.assertEqual(move.crm_efactura_deadline, date(2026, 12, 8))
        self.assertEqual(deadline.deadline(date(2026, 11, 27)), date(2026, 12, 8))
        draft = self.ro_invoice(post=False)
        self.assertFalse(draft.crm_efactura_deadline)

    def test_urgency_search_agrees_with_the_computed_urgency(self):
        moves = {
            name: self.ro_invoice(invoice_date=issued)
            for name, issued in {
                "late": date(2026, 11, 2),
                "today": date(2026, 11, 18),
                "soon": date(2026, 11, 19),
                "ok": date(2026, 11, 24),
            }.items()
        }
        sent = self.ro_invoice(invoice_date=date(2026, 11, 2))
        self.reported(sent, "sent")
        everything = sent.browse([move.id for move in moves.values()]) | sent
        with freeze_time("2026-11-25 10:00:00"):
            everything.invalidate_recordset(["crm_efactura_urgency"])
            for level in ("late", "today", "soon", "ok"):
                with self.subTest(level=level):
                    found = self.env["account.move"].search(
                        [
                            ("crm_efactura_urgency", "=", level),
                            ("id", "in", everything.ids),
                        ]
                    )
                    self.assertEqual(
                        found,
                        everything.filtered(
                            lambda m, lv=level: m.crm_efactura_urgency == lv
                        ),
                    )
                    self.assertEqual(found, moves[level])
            self.assertFalse(sent.crm_efactura_urgency)

    def test_daily_digest_to_the_accountant(self):
        accountant = self.make_ar_user("contabil_efactura")
        self.company.crm_efactura_accountant_id = accountant
        late = self.ro_invoice(invoice_date=date(2026, 11, 2))
        rejected = self.ro_invoice()
        self.reported(rejected, "rejected")
        with freeze_time("2026-11-25 06:00:00"):
            self.assertEqual(
                self.env["crm.invoices.efactura.digest"]._cron_send_digest(), 1
            )
        mail = self.env["mail.mail"].sudo().search([], order="id desc", limit=1)
        self.assertEqual(mail.email_to, accountant.email)
        self.assertIn(late.name, mail.body_html)
        self.assertIn(rejected.name, mail.body_html)
        # nothing to say: no email
        for move in late | rejected:
            self.reported(move, "accepted")
        with freeze_time("2026-11-25 06:00:00"):
            self.assertEqual(
                self.env["crm.invoices.efactura.digest"]._cron_send_digest(), 0
            )

    def test_export_a_period_with_anafs_answers(self):
        moves = self.ro_invoice() | self.ro_invoice()
        moves._crm_efactura_queue()
        self.exchange._upload_due()
        self.exchange._poll(moves.crm_efactura_submission_ids, force=True)
        self.assertEqual(set(moves.mapped("crm_efactura_state")), {"accepted"})
        wizard = self.env["crm.invoices.efactura.export"].create(
            {"date_from": date(2026, 11, 1), "date_to": date(2026, 11, 30)}
        )
        action = wizard.action_export()
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/")[3].split("?")[0])
        )
        names = zipfile.ZipFile(io.BytesIO(attachment.raw)).namelist()
        for move in moves:
            folder = move.name.replace("/", "_")
            self.assertIn(f"{folder}/{folder}.xml", names)
            self.assertIn(f"{folder}/anaf_{move.crm_efactura_index}.zip", names)
        one = moves[0].action_crm_efactura_download_xml()
        self.assertIn("/web/content/", one["url"])

    def test_api_answers_efactura_state_and_index(self):
        user = self.make_ar_user("api_efactura")
        value = (
            self.env["crm.invoices.api.token"]
            .create({"name": "efactura", "user_id": user.id, "scope_read": True})
            .action_generate()["context"]["default_token"]
        )
        move = self.ro_invoice()
        move._crm_efactura_queue()
        self.exchange._upload_due()
        answer = self.url_open(
            f"/api/invoices/{move.id}", headers={"authtoken": value}
        ).json()
        self.assertEqual(answer["efactura_state"], "sent")
        self.assertEqual(answer["efactura_index"], move.crm_efactura_index)
        document = self.url_open("/api/openapi.json").json()
        self.assertIn(
            "efactura_state",
            document["components"]["schemas"]["PerfexInvoice"]["properties"],
        )
