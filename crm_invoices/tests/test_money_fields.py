from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CrmInvoicesCommon


class MoneyFieldsCommon(CrmInvoicesCommon):
    """Every role the product knows, to try each field that decides money
    as a user would over RPC (``with_user``: the rights of an RPC call)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.setup_other_company(name="Filiala Dobanzi SRL")["company"]
        cls.roles = {
            "portal": cls.make_user("money_portal", ["base.group_portal"]),
            "employee": cls.make_user("money_employee", ["base.group_user"]),
            "billing": cls.make_user(
                "money_billing", ["base.group_user", "account.group_account_invoice"]
            ),
            "ar_user": cls.make_ar_user("money_ar_user"),
            "ar_manager": cls.make_ar_user("money_ar_manager", manager=True),
            "ar_manager_b": cls.make_ar_user(
                "money_ar_manager_b", manager=True, company=cls.company_b
            ),
        }

    @classmethod
    def make_user(cls, login, groups, companies=None):
        companies = companies or cls.env.company
        return cls.env["res.users"].create(
            {
                "name": login.title(),
                "login": login,
                "company_id": companies[:1].id,
                "company_ids": [Command.set(companies.ids)],
                "groups_id": [Command.set([cls.env.ref(g).id for g in groups])],
            }
        )

    def assert_refused_to_all(self, records, values, roles=None):
        """Each role (all by default) writing ``values`` on ``records`` over
        RPC is refused, and nothing changes."""
        names = list(values)

        def current():
            return records.sudo().read(names)

        before = current()
        for role in roles or self.roles:
            with self.subTest(role=role, fields=sorted(values)):
                with self.assertRaises(AccessError), self.env.cr.savepoint():
                    # a copy: Odoo's write adds to what it is given
                    records.with_user(self.roles[role]).write(dict(values))
        records.invalidate_recordset()
        self.assertEqual(current(), before)


@tagged("post_install", "-at_install")
class TestMoneyFields(MoneyFieldsCommon):
    """The fields of ``crm_invoices`` that decide money -- an invoice's
    interest exemption, the interest charged, the reference rates, the
    company's interest settings -- are written only through the actions
    meant for them, by the roles meant to use them."""

    def test_interest_exemption_is_the_interest_jobs_alone(self):
        invoice = self.make_invoice(1000.0)
        self.assert_refused_to_all(invoice, {"crm_late_charge_invoice": True})
        # nor by creating an invoice that says it
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.env["account.move"].with_user(self.roles["ar_manager"]).create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "crm_late_charge_invoice": True,
                }
            )
        # what a user may write on the same invoice still goes through
        invoice.with_user(self.roles["ar_user"]).crm_admin_note = "Called"
        self.assertEqual(invoice.crm_admin_note, "Called")

    def test_the_charges_ledger_is_written_by_the_job_alone(self):
        invoice = self.make_invoice(1000.0)
        charges = self.env["crm.invoices.late.charge"]
        values = {
            "move_id": invoice.id,
            "kind": "compensation",
            "date_from": invoice.invoice_date_due,
            "date_to": invoice.invoice_date_due,
            "amount": 199.0,
        }
        for role, user in self.roles.items():
            with self.subTest(role=role):
                with self.assertRaises(AccessError), self.env.cr.savepoint():
                    charges.with_user(user).create(values)
        charge = charges.sudo().create(values)
        self.assert_refused_to_all(charge, {"amount": 0.0})
        for role, user in self.roles.items():
            with self.subTest(role=role, unlink=True):
                with self.assertRaises(AccessError), self.env.cr.savepoint():
                    charge.with_user(user).unlink()
        self.assertTrue(charge.exists())

    def test_company_interest_settings_are_the_administrators(self):
        self.assert_refused_to_all(
            self.env.company,
            {
                "crm_late_interest": True,
                "crm_late_compensation": True,
                "crm_late_interest_invoicing": "posted",
            },
        )

    def test_reference_rates_by_someone_entitled_for_every_company(self):
        """A rate serves every company that charges interest: an AR manager
        of one company may not change another's interest."""
        rates = self.env["crm.invoices.reference.rate"]
        self.env.company.crm_late_interest = True
        self.company_b.crm_late_interest = True
        table = rates._crm_table()
        rate = rates.search([], limit=1)
        self.assert_refused_to_all(rate, {"rate": 55.0})
        for role in self.roles:
            with self.subTest(role=role, create=True):
                with self.assertRaises(AccessError), self.env.cr.savepoint():
                    rates.with_user(self.roles[role]).create(
                        {"year": 2031, "half": "2", "rate": 55.0}
                    )
            with self.subTest(role=role, unlink=True):
                with self.assertRaises(AccessError), self.env.cr.savepoint():
                    rate.with_user(self.roles[role]).unlink()
        self.assertEqual(rates._crm_table(), table)
        # an AR manager of both companies, or an administrator, may
        both = self.make_user(
            "money_manager_both",
            ["base.group_user", "crm_invoices.group_crm_invoices_manager"],
            companies=self.env.company | self.company_b,
        )
        rates.with_user(both).create({"year": 2031, "half": "2", "rate": 7.0})
        admin = self.make_user(
            "money_admin",
            ["base.group_user", "base.group_system"],
        )
        rate.with_user(admin).rate = rate.rate  # the same, but allowed
        # company B stops charging interest: its manager's consent is no
        # longer needed, company A's manager may enter a rate
        self.company_b.crm_late_interest = False
        rates.with_user(self.roles["ar_manager"]).create(
            {"year": 2032, "half": "1", "rate": 7.25}
        )
        self.assertEqual(rates._crm_table()[(2032, 1)], 7.25)
