from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestInvoicesTour(HttpCase):
    def _overdue_invoice(self, customer_name):
        """A posted invoice of a new customer, 10 days past its due date."""
        today = fields.Date.today()
        customer = self.env["res.partner"].create({"name": customer_name})
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_date": today - timedelta(days=40),
                "invoice_payment_term_id": False,
                "invoice_date_due": today - timedelta(days=10),
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Audit", "quantity": 1, "price_unit": 500.0}
                    )
                ],
            }
        )
        invoice.action_post()
        return invoice

    def test_filter_overdue_open_and_mark_sent(self):
        invoice = self._overdue_invoice("Tour Customer")
        self.assertEqual(invoice.crm_status, "overdue")
        self.start_tour("/odoo", "crm_invoices_tour", login="admin")
        invoice.invalidate_recordset()
        self.assertTrue(invoice.is_move_sent)
        self.assertTrue(invoice.crm_date_sent)
        self.assertEqual(invoice.crm_status, "overdue", "overdue still beats sent")

    def test_the_trend_marks_the_month_reminders_began(self):
        today = fields.Date.today()
        invoice = self._overdue_invoice("Trend Customer")
        level = self.env["crm.invoices.reminder.level"].search([], limit=1)
        self.assertTrue(level, "the module ships its reminder levels")
        self.env["crm.invoices.reminder"].search([]).unlink()
        self.env["crm.invoices.reminder"].create(
            {"move_id": invoice.id, "level_id": level.id, "date": fields.Datetime.now()}
        )
        marked = self.env["crm.invoices.ar.trend"].search(
            [("reminders_started", "=", 1)]
        )
        self.assertEqual(marked.mapped("month"), [today.replace(day=1)])
        self.start_tour("/odoo", "crm_invoices_ar_trend_tour", login="admin")
