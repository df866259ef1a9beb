from datetime import date, timedelta

from odoo import Command

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


def days_from_today(days):
    """The date ``days`` from today (negative: ago): tests never hard-code a
    date whose status depends on the calendar."""
    return date.today() + timedelta(days=days)


def iso_days_from_today(days):
    """:func:`days_from_today` as the ISO string an API client sends."""
    return days_from_today(days).isoformat()


class CrmInvoicesCommon(AccountTestInvoicingCommon):
    """Customer invoices with explicit dates, payments and AR users.

    ``BaseCommon`` already turns mail tracking off and runs as an independent
    accounting user in an independent company.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The test user works as an AR manager of the Invoices app.
        cls.env.user.groups_id += cls.env.ref("crm_invoices.group_crm_invoices_manager")
        cls.customer = cls.env["res.partner"].create(
            {"name": "Carpați Distribuție SRL", "email": "ar@carpati.example.com"}
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Dunărea Logistic SA", "email": "plati@dunarea.example.com"}
        )

    @classmethod
    def make_invoice(
        cls,
        amount=1000.0,
        invoice_date=date(2026, 1, 10),
        due_date=date(2026, 2, 9),
        post=True,
        partner=None,
        move_type="out_invoice",
        currency=None,
        company=None,
        user=None,
        salesperson=None,
    ):
        """A customer invoice of ``amount`` without taxes, due on ``due_date``
        (``user`` creates it; ``salesperson`` is then set on it)."""
        company = company or cls.env.company
        moves = cls.env["account.move"].with_company(company)
        if user:
            moves = moves.with_user(user)
        invoice = moves.create(
            {
                "move_type": move_type,
                "partner_id": (partner or cls.customer).id,
                "invoice_date": invoice_date,
                "invoice_payment_term_id": False,
                "invoice_date_due": due_date,
                "currency_id": (currency or company.currency_id).id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Services",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        if post:
            invoice.action_post()
        if salesperson:
            invoice.invoice_user_id = salesperson
        return invoice

    def euro_at(self, lei, day):
        """The euro, worth ``lei`` of the company's currency from ``day``."""
        euro = self.env.ref("base.EUR")
        euro.active = True
        self.env["res.currency.rate"].create(
            {
                "currency_id": euro.id,
                "name": day,
                "rate": 1 / lei,
                "company_id": self.env.company.id,
            }
        )
        return euro

    def romanian_customer(self, name="Client Român SRL"):
        """A customer who reads Romanian, with Romanian active and the
        addon's terms loaded."""
        self.env["res.lang"]._activate_lang("ro_RO")
        self.env["ir.module.module"]._load_module_terms(["crm_invoices"], ["ro_RO"])
        return self.env["res.partner"].create(
            {"name": name, "email": "plati@client.example.com", "lang": "ro_RO"}
        )

    @classmethod
    def invoice_of(cls, partner, salesperson, invoice_date, due_date, amount, **kw):
        """A posted invoice of ``partner`` sold by ``salesperson``."""
        return cls.make_invoice(
            amount,
            invoice_date,
            due_date,
            partner=partner,
            salesperson=salesperson,
            **kw,
        )

    @classmethod
    def pay(cls, invoice, amount=None, payment_date=None):
        """Register a payment on ``invoice`` the way a user does it."""
        values = {"payment_date": payment_date or invoice.invoice_date}
        if amount is not None:
            values["amount"] = amount
        return (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(values)
            ._create_payments()
        )

    @classmethod
    def make_ar_user(cls, login, manager=False, company=None):
        company = company or cls.env.company
        group = "crm_invoices.group_crm_invoices_%s" % (
            "manager" if manager else "user"
        )
        return cls.env["res.users"].create(
            {
                "name": login.title(),
                "login": login,
                "email": f"{login}@example.com",
                "company_id": company.id,
                "company_ids": [Command.set(company.ids)],
                "groups_id": [
                    Command.set(
                        [cls.env.ref("base.group_user").id, cls.env.ref(group).id]
                    )
                ],
            }
        )

    def notification_message(self, action):
        self.assertEqual(action["tag"], "display_notification")
        return action["params"]["message"]
