from psycopg2 import IntegrityError

from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from .. import queries
from .common import PayLinkCommon


@tagged("post_install", "-at_install")
class TestQueries(PayLinkCommon):
    """Each query of :mod:`..queries` does what its name says (the parallel
    clients of ``tests/e2e/test_charged_once.py`` run the locks for real)."""

    def test_stamp_opened_writes_the_stamp_only_on_every_kind(self):
        invoices = self.overdue(2)
        invoice_link = invoices[0].sudo().crm_pay_link_id
        statement_link = self.env["crm.invoices.statement.link"].sudo()._issue(invoices)
        now = fields.Datetime.now()
        for link in (invoice_link, statement_link):
            self.env.flush_all()
            before = link.write_date
            queries.stamp_opened(self.env, link, now)
            self.assertEqual(link.last_opened, now)
            link.invalidate_recordset()
            self.assertEqual((link.last_opened, link.write_date), (now, before))

    def test_lock_invoices_for_payment_stamps_without_writing_them(self):
        invoices = self.overdue(2)
        self.env.flush_all()
        before = invoices.mapped("write_date")
        now = fields.Datetime.now()
        queries.lock_invoices_for_payment(self.env, invoices, now)
        invoices.invalidate_recordset()
        self.assertEqual(invoices.mapped("crm_payment_started"), [now, now])
        self.assertEqual(invoices.mapped("write_date"), before)

    def test_lock_unrecorded_transactions_leaves_the_recorded_ones(self):
        invoice = self.open_invoice()
        transactions = self.env["payment.transaction"].sudo()
        for recorded in (True, False):
            transactions |= transactions.create(
                {
                    "provider_id": self.provider.id,
                    "payment_method_id": self.provider.payment_method_ids[:1].id,
                    "amount": 1.0,
                    "currency_id": invoice.currency_id.id,
                    "partner_id": invoice.partner_id.id,
                    "reference": f"test-queries-{recorded}",
                    "operation": "validation",
                    "is_post_processed": recorded,
                }
            )
        self.env.flush_all()
        free = queries.lock_unrecorded_transactions(self.env, transactions)
        self.assertEqual(
            free, transactions.filtered(lambda tx: not tx.is_post_processed)
        )

    def test_one_open_link_per_invoice(self):
        invoice = self.open_invoice()
        links = self.env["crm.invoices.pay.link"].sudo()
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                links.create({"move_id": invoice.id, **links._new_token_values()})
                links.flush_model()
