from datetime import timedelta

from odoo import Command, api, fields, models

# (xml id, customer xml id, currency, days since the invoice date, payment
#  delay in days, lines [(label, quantity, unit price)], what happens next)
DEMO_INVOICES = [
    (
        "draft",
        "base.res_partner_2",
        "USD",
        0,
        30,
        [("Website redesign", 1, 2400.0)],
        [],
    ),
    (
        "unpaid",
        "base.res_partner_3",
        "USD",
        5,
        30,
        [("Support plan (monthly)", 1, 450.0), ("On-site visit", 2, 180.0)],
        [],
    ),
    (
        "sent",
        "base.res_partner_12",
        "EUR",
        3,
        15,
        [("Office chairs", 8, 145.0)],
        ["send"],
    ),
    (
        "partial",
        "base.res_partner_4",
        "USD",
        10,
        30,
        [("Consulting days", 5, 800.0)],
        ["send", ("pay", 0.4, 2)],
    ),
    (
        "paid",
        "base.res_partner_2",
        "USD",
        40,
        30,
        [("Annual licence", 1, 1200.0)],
        ["send", ("pay", 1.0, 20)],
    ),
    (
        "paid_late",
        "base.res_partner_3",
        "USD",
        70,
        30,
        [("Training session", 3, 350.0)],
        ["send", ("pay", 1.0, 45)],
    ),
    (
        "overdue_12",
        "base.res_partner_12",
        "EUR",
        42,
        30,
        [("Standing desks", 4, 520.0)],
        ["send"],
    ),
    (
        "overdue_45",
        "demo_partner_carpati",
        "EUR",
        60,
        15,
        [("Servicii de mentenanță", 10, 95.0)],
        ["send"],
    ),
    (
        "overdue_75",
        "base.res_partner_4",
        "USD",
        105,
        30,
        [("Hardware upgrade", 1, 3900.0)],
        ["send", ("pay", 0.25, 40)],
    ),
    (
        "overdue_120",
        "demo_partner_carpati",
        "EUR",
        150,
        30,
        [("Licențe software", 6, 210.0)],
        ["send"],
    ),
    (
        "cancelled",
        "base.res_partner_2",
        "USD",
        20,
        30,
        [("Duplicate order", 1, 300.0)],
        ["cancel"],
    ),
]


class CrmInvoicesDemo(models.AbstractModel):
    """Loads the demo invoices: dates relative to today, payments registered."""

    _name = "crm.invoices.demo"
    _description = "Invoices demo data loader"

    @api.model
    def _set_demo_languages(self):
        """Romanian customers speak Romanian where it is active (bin/serve and
        docker compose load it), English otherwise: their pay pages and
        emails follow."""
        active = {code for code, _name in self.env["res.lang"].get_installed()}
        lang = "ro_RO" if "ro_RO" in active else "en_US"
        if lang not in active:
            return
        carpati = self.env.ref(
            "crm_invoices.demo_partner_carpati", raise_if_not_found=False
        )
        if carpati:
            carpati.lang = lang

    @api.model
    def _load_demo_invoices(self):
        self._set_demo_languages()
        data = self.env["ir.model.data"]
        if self.env.ref("crm_invoices.demo_invoice_draft", raise_if_not_found=False):
            return
        company = self.env.ref("base.main_company")
        layout = self.env.ref("web.external_layout_standard", raise_if_not_found=False)
        for each in self.env["res.company"].search(
            [("external_report_layout_id", "=", False)]
        ):
            # the document layout chosen, as a company that has sent invoices
            # has: the first Send opens the email, not the layout wizard
            each.external_report_layout_id = layout
        for each in self.env["res.company"].search([("report_footer", "=", False)]):
            # what Odoo's document layout proposes (phone, email, website, VAT):
            # the printed invoices name their issuer's VAT number
            each.report_footer = (
                self.env["base.document.layout"]
                .with_company(each)
                ._default_report_footer()
            )
        if not self.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1
        ):
            return  # no chart of accounts: nothing to invoice with
        today = fields.Date.context_today(self)
        moves = self.env["account.move"].with_company(company)
        for xmlid, partner_ref, currency_code, age, delay, lines, then in DEMO_INVOICES:
            invoice_date = today - timedelta(days=age)
            currency = (
                self.env["res.currency"]
                .with_context(active_test=False)
                .search([("name", "=", currency_code)], limit=1)
            )
            if "." not in partner_ref:
                partner_ref = f"crm_invoices.{partner_ref}"
            invoice = moves.create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.env.ref(partner_ref).id,
                    "currency_id": currency.id,
                    "invoice_date": invoice_date,
                    "invoice_payment_term_id": False,
                    "invoice_date_due": invoice_date + timedelta(days=delay),
                    "invoice_user_id": self.env.ref("base.user_admin").id,
                    "invoice_line_ids": [
                        Command.create(
                            {"name": name, "quantity": qty, "price_unit": price}
                        )
                        for name, qty, price in lines
                    ],
                }
            )
            if xmlid != "draft":
                invoice.action_post()
            for step in then:
                if step == "send":
                    invoice.is_move_sent = True
                elif step == "cancel":
                    invoice.button_cancel()
                else:
                    _pay, share, after_days = step
                    self._pay(invoice, share, invoice_date + timedelta(days=after_days))
            data._update_xmlids(
                [
                    {
                        "xml_id": f"crm_invoices.demo_invoice_{xmlid}",
                        "record": invoice,
                        "noupdate": True,
                    }
                ]
            )
        self._apply_demo_credit_notes(company)
        order = self.env.ref("crm_invoices.demo_sale_order_to_invoice")
        if order.state != "sale":
            order.action_confirm()
        # The reminders the daily job would have sent by now (without the job's
        # batch commits: this runs inside the module installation).
        engine = self.env["crm.invoices.reminder.engine"]
        engine._send(engine._due(today), sent_by="job")

    @api.model
    def _apply_demo_credit_notes(self, company):
        """Odoo's demo credit notes reverse its demo invoices but are posted
        apart, crediting nothing: each is set against the invoice of its
        customer it reverses (the same amount), or else the customer's oldest
        open invoice, as a user applies a credit note, and dated no earlier
        than that invoice -- the invoices then read *credited*, the credit
        notes *applied*, and no month of the AR trend ends with a negative
        receivable."""
        moves = self.env["account.move"].with_company(company)
        credit_notes = moves.search(
            [
                ("company_id", "=", company.id),
                ("move_type", "=", "out_refund"),
                ("state", "=", "posted"),
                ("payment_state", "=", "not_paid"),
            ],
            order="invoice_date, id",
        )
        for credit_note in credit_notes:
            invoices = moves.search(
                [
                    ("company_id", "=", company.id),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "=", "not_paid"),
                    (
                        "commercial_partner_id",
                        "=",
                        credit_note.commercial_partner_id.id,
                    ),
                    ("currency_id", "=", credit_note.currency_id.id),
                ],
                order="invoice_date, id",
            )
            reversed_invoice = invoices.filtered(
                lambda move, note=credit_note: (
                    move.currency_id.compare_amounts(
                        move.amount_residual, note.amount_residual
                    )
                    == 0
                )
            )[:1]
            target = reversed_invoice or invoices[:1]
            if not target:
                continue
            if credit_note.invoice_date < target.invoice_date:
                # a credit note is issued after the invoice it credits (Odoo's
                # demo dates them apart at random)
                credit_note.button_draft()
                credit_note.write(
                    {"invoice_date": target.invoice_date, "date": target.date}
                )
                credit_note.action_post()
            (
                credit_note.line_ids._crm_receivable()
                | target.line_ids._crm_receivable()
            ).reconcile()

    @api.model
    def _pay(self, invoice, share, payment_date):
        amount = invoice.currency_id.round(invoice.amount_total * share)
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": amount, "payment_date": payment_date})._create_payments()
