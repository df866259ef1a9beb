from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.crm_invoices.tests.common import CrmInvoicesCommon

SECRETS = (
    "l10n_ro_edi_client_id",
    "l10n_ro_edi_client_secret",
    "l10n_ro_edi_access_token",
    "l10n_ro_edi_refresh_token",
)


@tagged("post_install", "-at_install")
class TestAnafCredentials(CrmInvoicesCommon):
    """The company's ANAF OAuth credentials: settings administrators only,
    through every door a user has."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.sudo().write(
            {
                "l10n_ro_edi_client_id": "client-id-123",
                "l10n_ro_edi_client_secret": "client-secret-456",
                "l10n_ro_edi_access_token": "access-token-789",
                "l10n_ro_edi_refresh_token": "refresh-token-abc",
            }
        )
        other = cls.setup_other_company(name="Alta Firma SRL")["company"]

        def user(login, groups, company=cls.company):
            return cls.env["res.users"].create(
                {
                    "name": login,
                    "login": login,
                    "company_id": company.id,
                    "company_ids": [(6, 0, (company | cls.company).ids)],
                    "groups_id": [(6, 0, [cls.env.ref(g).id for g in groups])],
                }
            )

        cls.others = {
            "portal": user("anaf_portal", ["base.group_portal"]),
            "employee": user("anaf_employee", ["base.group_user"]),
            "billing": user(
                "anaf_billing", ["base.group_user", "account.group_account_invoice"]
            ),
            "invoices manager": user(
                "anaf_ar_manager",
                ["base.group_user", "crm_invoices.group_crm_invoices_manager"],
            ),
            "accountant": user(
                "anaf_accountant", ["base.group_user", "account.group_account_manager"]
            ),
            "manager of another company": user(
                "anaf_other_manager",
                ["base.group_user", "crm_invoices.group_crm_invoices_manager"],
                company=other,
            ),
        }
        cls.admin = user("anaf_admin", ["base.group_user", "base.group_system"])

    def doors(self, user, field):
        """Every way a user reaches a company's field: read, search_read,
        read_group, export, a search on it (an oracle), write."""
        companies = self.env["res.company"].with_user(user)
        mine = companies.browse(self.company.id)
        domain = [("id", "=", self.company.id)]
        return {
            "read": lambda: mine.read([field]),
            "search_read": lambda: companies.search_read(domain, [field]),
            "read_group": lambda: companies.read_group(domain, [field], [field]),
            "export": lambda: mine.export_data([field]),
            "search": lambda: companies.search([(field, "=like", "a%")]),
            "write": lambda: mine.write({field: "stolen"}),
        }

    def test_no_other_role_reads_or_writes_them(self):
        for role, user in self.others.items():
            for field in SECRETS:
                for door, call in self.doors(user, field).items():
                    with (
                        self.subTest(role=role, field=field, door=door),
                        # AccessError, or (export) a UserError without the
                        # export right: AccessError is a UserError
                        self.assertRaises(UserError),
                    ):
                        call()
        self.assertEqual(
            self.company.sudo().l10n_ro_edi_access_token, "access-token-789"
        )

    def test_exporters_are_refused_the_fields_too(self):
        exporter = self.others["accountant"]
        exporter.groups_id += self.env.ref("base.group_allow_export")
        companies = self.env["res.company"].with_user(exporter)
        self.assertTrue(companies.browse(self.company.id).export_data(["name"]))
        with self.assertRaises(AccessError):
            companies.browse(self.company.id).export_data(["l10n_ro_edi_access_token"])

    def test_settings_administrators_do(self):
        mine = self.env["res.company"].with_user(self.admin).browse(self.company.id)
        self.assertEqual(
            mine.read(["l10n_ro_edi_access_token"])[0]["l10n_ro_edi_access_token"],
            "access-token-789",
        )
        mine.write({"l10n_ro_edi_client_secret": "renewed"})
        self.assertEqual(self.company.sudo().l10n_ro_edi_client_secret, "renewed")

    def test_the_exchange_reads_them_for_whoever_sends(self):
        billing = self.others["billing"]
        client = (
            self.env["crm.invoices.efactura.exchange"]
            .with_user(billing)
            ._client(self.company.with_user(billing))
        )
        self.assertEqual(client.token, "access-token-789")
        move = (
            self.env["account.move"]
            .with_user(billing)
            .new({"company_id": self.company.id})
        )
        self.assertEqual(move._l10n_ro_edi_get_pre_send_errors(), [])
