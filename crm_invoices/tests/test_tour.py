from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, tagged


class TourCommon(HttpCase):
    """A collector's data, the demo company's own invoices reset to draft:
    an invoice of a new customer 10 days overdue and one not due yet,
    neither sent; a credit note open; an invoice in euros, sent and overdue
    (whose money is never added to the dollars')."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("base.main_company")
        # the overview counts the company's whole ledger: only ours in it
        cls.env["account.move"].search(
            [("company_id", "=", cls.company.id), ("move_type", "like", "out_%")]
        ).filtered(lambda m: m.state == "posted").button_draft()
        cls.customer = cls.env["res.partner"].create({"name": "Tour Customer"})
        today = fields.Date.today()
        cls.overdue = cls.invoice(500.0, today - timedelta(days=40), 30)
        cls.to_send = cls.invoice(300.0, today - timedelta(days=2), 30)
        cls.credit_note = cls.invoice(120.0, today, 0, move_type="out_refund")
        euro = cls.env.ref("base.EUR")
        euro.active = True
        # a rate of its own (a database without demo data has none): a
        # euro is not a dollar, whatever the demo rates say
        cls.env["res.currency.rate"].search(
            [
                ("currency_id", "=", euro.id),
                ("company_id", "=", cls.company.id),
                ("name", "=", today - timedelta(days=400)),
            ]
        ).unlink()
        cls.env["res.currency.rate"].create(
            {
                "currency_id": euro.id,
                "company_id": cls.company.id,
                "name": today - timedelta(days=400),
                "rate": 0.9,
            }
        )
        cls.euro = cls.invoice(
            1000.0, today - timedelta(days=50), 30, currency=euro, sent=True
        )

    @classmethod
    def invoice(
        cls, amount, day, delay, move_type="out_invoice", currency=None, sent=False
    ):
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "company_id": cls.company.id,
                "partner_id": cls.customer.id,
                "invoice_date": day,
                "invoice_payment_term_id": False,
                "invoice_date_due": day + timedelta(days=delay),
                "currency_id": (currency or cls.company.currency_id).id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Audit",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        move.action_post()
        move.is_move_sent = sent
        return move


@tagged("post_install", "-at_install")
class TestInvoicesTour(TourCommon):
    def test_a_collectors_morning(self):
        self.assertEqual(self.overdue.crm_status, "overdue")
        self.start_tour("/odoo", "crm_invoices_tour", login="admin")
        self.overdue.invalidate_recordset()
        self.assertTrue(self.overdue.crm_date_sent)
        self.assertEqual(self.overdue.crm_status, "overdue", "overdue still beats sent")

    def test_the_list_reads_signed_money_in_one_currency_per_sum(self):
        self.start_tour("/odoo/crm-invoices", "crm_invoices_list_tour", login="admin")

    def test_the_trend_marks_the_month_reminders_began(self):
        today = fields.Date.today()
        level = self.env["crm.invoices.reminder.level"].search([], limit=1)
        self.assertTrue(level, "the module ships its reminder levels")
        self.env["crm.invoices.reminder"].search([]).unlink()
        self.env["crm.invoices.reminder"].create(
            {
                "move_id": self.overdue.id,
                "level_id": level.id,
                "date": fields.Datetime.now(),
            }
        )
        marked = self.env["crm.invoices.ar.trend"].search(
            [("reminders_started", "=", 1)]
        )
        self.assertEqual(marked.mapped("month"), [today.replace(day=1)])
        self.start_tour("/odoo", "crm_invoices_ar_trend_tour", login="admin")

    def test_the_rates_list_says_what_is_missing(self):
        self.company.crm_late_interest = True
        today = fields.Date.today()
        half = "1" if today.month <= 6 else "2"
        self.env["crm.invoices.reference.rate"].search(
            [
                "|",
                ("year", ">", today.year),
                "&",
                ("year", "=", today.year),
                ("half", ">=", half),
            ]
        ).unlink()
        self.start_tour(
            "/odoo/action-crm_invoices.crm_invoices_reference_rate_action",
            "crm_invoices_rates_tour",
            login="admin",
        )


@tagged("post_install", "-at_install")
class TestInvoicesPhoneTour(TourCommon):
    browser_size = "390x844"
    touch_enabled = True

    def test_cards_say_what_the_list_says(self):
        self.start_tour("/odoo/crm-invoices", "crm_invoices_phone_tour", login="admin")


@tagged("post_install", "-at_install")
class TestInvoicesRomanianTour(TourCommon):
    def test_the_overview_and_the_list_in_romanian(self):
        self.env["res.lang"]._activate_lang("ro_RO")
        self.env["ir.module.module"]._load_module_terms(
            ["crm_invoices", "account"], ["ro_RO"], overwrite=True
        )
        self.env.ref("base.user_admin").lang = "ro_RO"
        self.start_tour(
            "/odoo/crm-invoices-overview", "crm_invoices_romanian_tour", login="admin"
        )
