from datetime import date

from odoo.tests import tagged

from . import camt
from .common import BANKS, BankCommon


@tagged("post_install", "-at_install")
class TestLargeStatements(BankCommon):
    """Past the number of certain lines an import reconciles while the user
    waits, the background job does it, batch by batch, once, and says so."""

    def test_a_large_statement_is_reconciled_in_the_background(self):
        invoices = self.sample_invoices()
        self.env["ir.config_parameter"].sudo().set_param(
            "crm_invoices_bank.reconcile_now_limit", "1"
        )
        day = date(2026, 11, 21)
        entries = [
            {"date": day, "amount": 1190.0, "text": "INV/2026/00001"},
            {"date": day, "amount": 500.0, "text": "INV/2026/00002"},
            {"date": day, "amount": 300.0, "text": "INV/2026/00003"},
            {"date": day, "amount": 7.5, "text": "Dobanda"},
        ]
        cron = self.env.ref("crm_invoices_bank.ir_cron_reconcile_queued")
        triggers = self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        lines = self.import_file("day.xml", data=camt.statement(entries, BANKS["bcr"]))
        queued = lines.filtered("crm_reconcile_queued")
        self.assertEqual(len(queued), 3)
        self.assertFalse(any(lines.mapped("is_reconciled")))
        self.assertEqual(queued.crm_queued_by_id, self.env.user)
        self.assertGreater(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]),
            triggers,
        )
        # a person accepts one queued line meanwhile: it is not paid twice
        first = queued.filtered(lambda line: line.amount == 1190.0)
        first.action_crm_accept()
        matcher = self.env["crm.invoices.bank.matcher"]
        matcher._cron_reconcile_queued(batch=2)
        self.assertEqual(len(lines.filtered("crm_reconcile_queued")), 1)
        told = self.env["mail.message"].search(
            [
                ("partner_ids", "in", self.env.user.partner_id.ids),
                ("subject", "=", "Bank statement reconciled"),
            ]
        )
        self.assertFalse(told, "not before the last batch")
        matcher._cron_reconcile_queued(batch=2)
        self.assertFalse(lines.filtered("crm_reconcile_queued"))
        self.assertEqual(queued.mapped("is_reconciled"), [True, True, True])
        for number in (1, 2, 3):
            self.assertEqual(invoices[number].payment_state, "paid")
        self.assertEqual(len(invoices[1].line_ids.matched_credit_ids), 1, "paid once")
        told = self.env["mail.message"].search(
            [
                ("partner_ids", "in", self.env.user.partner_id.ids),
                ("subject", "=", "Bank statement reconciled"),
            ]
        )
        self.assertEqual(len(told), 1)
        matcher._cron_reconcile_queued()  # nothing left: nothing done
        self.assertEqual(
            self.env["mail.message"].search_count([("id", "in", told.ids)]), 1
        )
