import re

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import PayLinkCommon

STATEMENT_URL = re.compile(r"/pay/statement/([A-Za-z0-9_-]{43})")


@tagged("post_install", "-at_install")
class TestStatementLink(PayLinkCommon):
    """A customer reminded per customer gets one statement with one pay link
    for all their overdue invoices; one payment closes them all."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.crm_reminder_grouping = "customer"
        cls.job = cls.env["crm.invoices.reminder.engine"]._cron_send_reminders

    def statement_of(self, customer):
        """The statement emails sent to ``customer``."""
        return (
            self.env["crm.invoices.statement"]
            .search([("partner_id", "=", customer.id)])
            .message_ids.filtered(lambda message: message.message_type == "comment")
        )

    def test_six_invoices_one_email_one_link_one_payment_closes_all(self):
        invoices = self.overdue(6)
        self.job()
        [statement] = self.statement_of(self.customer)
        tokens = set(STATEMENT_URL.findall(statement.body))
        self.assertEqual(len(tokens), 1, "one pay link for the six")
        for invoice in invoices:
            self.assertIn(invoice.name, statement.body)
            # the invoices' own links are not in the statement
            self.assertNotIn(invoice.crm_pay_link_url, statement.body)
        [token] = tokens
        page = self.page(f"statement/{token}")
        self.assertEqual(page.status_code, 200)
        for invoice in invoices:
            self.assertIn(invoice.name, page.text)
        # 100 + 101 + ... + 105
        self.assertIn('data-amount="615.0"', page.text)

        processing = self.start_statement_payment(token, amount="1.00")
        tx = self.transaction(processing["reference"])
        self.assertEqual(tx.amount, 615.0, "the server's amount, not the browser's")
        self.assertEqual(tx.invoice_ids, invoices)
        self.simulate(tx.reference, "done")
        status = self.page(f"statement/{token}", "/status")
        self.assertIn("your payment was received", status.text)
        self.assertEqual(len(tx.payment_id), 1)
        self.assertEqual(
            set(invoices.mapped("payment_state")),
            {invoices[:1]._get_invoice_in_payment_state()},
        )
        self.assertEqual(invoices.mapped("amount_residual"), [0.0] * 6)
        self.assertEqual(set(invoices.mapped("crm_status")), {"paid"})
        link = self.env["crm.invoices.statement.link"].sudo()._find(token)
        self.assertEqual(link.state, "paid")
        paid_page = self.page(f"statement/{token}")
        self.assertIn("These invoices are paid", paid_page.text)
        with self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
            self.start_statement_payment(token)
        self.assertEqual(len(link.transaction_ids), 1)
        # the next run finds nothing due: no second statement
        self.job()
        self.assertEqual(len(self.statement_of(self.customer)), 1)

    def test_the_amount_is_what_is_left_when_paying(self):
        invoices = self.overdue(3, amount=200.0)  # 200, 201, 202
        token, link = self.issue(invoices)
        self.pay(invoices[0], 50.0)  # a part paid by bank meanwhile
        invoices[1].button_draft()  # one reset to draft: not payable
        self.assertEqual(link.amount_due, 150.0 + 202.0)
        processing = self.start_statement_payment(token)
        tx = self.transaction(processing["reference"])
        self.assertEqual(tx.amount, 352.0)
        self.assertEqual(tx.invoice_ids, invoices[0] | invoices[2])
        self.simulate(tx.reference, "done")
        tx._post_process()
        self.assertEqual(invoices[1].state, "draft", "a draft is never posted by it")
        self.assertEqual((invoices[0] | invoices[2]).mapped("amount_residual"), [0, 0])

    def test_the_same_debt_gets_the_same_link(self):
        invoices = self.overdue(2)
        _token, link = self.issue(invoices)
        self.assertEqual(self.issue(invoices)[1], link)
        more = invoices | self.overdue(1, amount=300.0)
        self.assertNotEqual(self.issue(more)[1], link)
        self.assertEqual(link.state, "active", "the earlier statement still pays")

    @mute_logger("odoo.http")
    def test_links_that_do_not_take_payments(self):
        invoices = self.overdue(2)
        token, link = self.issue(invoices)
        # an invoice link's token does not open a statement, nor the reverse
        invoice_token, _invoice_link = self.token_of(invoices[0])
        self.assertEqual(self.page(f"statement/{invoice_token}").status_code, 404)
        self.assertEqual(self.page(token).status_code, 404)
        self.assertEqual(self.page(f"statement/{token[:-1]}x").status_code, 404)
        # revoked by a manager
        link.action_revoke()
        closed = self.page(f"statement/{token}")
        self.assertEqual(closed.status_code, 410)
        self.assertNotIn(invoices[0].name, closed.text)
        with self.assertRaises(JsonRpcException):
            self.start_statement_payment(token)
        # nothing due: every invoice back to draft
        token, link = self.issue(self.overdue(1))
        link.move_ids.button_draft()
        self.assertEqual(link.state, "closed")
        self.assertEqual(self.page(f"statement/{token}").status_code, 410)
        with self.assertRaises(JsonRpcException):
            self.start_statement_payment(token)
        self.assertFalse(
            self.env["payment.transaction"]
            .sudo()
            .search([("invoice_ids", "in", (invoices | link.move_ids).ids)])
        )

    @mute_logger("odoo.http")
    def test_never_charged_twice_through_either_link(self):
        invoices = self.overdue(2)
        token, _link = self.issue(invoices)
        invoice_token, _invoice_link = self.token_of(invoices[1])
        # the statement's payment under way: a second one, or the invoice's
        # own link, is refused
        self.start_statement_payment(token)
        with self.assertRaises(JsonRpcException):
            self.start_statement_payment(token)
        with self.assertRaises(JsonRpcException):
            self.start_payment(invoice_token)
        self.assertEqual(self.paying(invoices), 1)
        # and the other way round
        others = self.overdue(2, partner=self.other_customer)
        token, _link = self.issue(others)
        self.start_payment(self.token_of(others[0])[0])
        with self.assertRaises(JsonRpcException):
            self.start_statement_payment(token)
        self.assertEqual(self.paying(others), 1)

    def test_several_currencies_link_each_invoice(self):
        eur = self.setup_other_currency("EUR")
        invoices = self.overdue(1) | self.overdue(1, currency=eur)
        self.assertIsNone(invoices._crm_statement_pay_url())
        self.job()
        [statement] = self.statement_of(self.customer)
        self.assertFalse(STATEMENT_URL.search(statement.body))
        for url in invoices._crm_pay_urls().values():
            self.assertIn(url, statement.body)

    def test_a_portal_user_cannot_read_or_issue_links(self):
        invoices = self.overdue(1)
        _token, link = self.issue(invoices)
        portal = self.env["res.users"].create(
            {
                "name": "Portal Payer",
                "login": "portal_payer",
                "groups_id": [Command.set([self.env.ref("base.group_portal").id])],
            }
        )
        links = self.env["crm.invoices.statement.link"].with_user(portal)
        with self.assertRaises(AccessError):
            links.browse(link.id).read(["partner_id"])
        with self.assertRaises(AccessError):
            links.browse(link.id).action_revoke()
        self.assertFalse(link.revoked)

    def test_the_page_speaks_the_customers_language(self):
        self.env["res.lang"]._activate_lang("ro_RO")
        self.env["ir.module.module"]._load_module_terms(
            ["crm_invoices_payment_link"], ["ro_RO"]
        )
        self.customer.lang = "ro_RO"
        token, _link = self.issue(self.overdue(2))
        page = self.page(f"statement/{token}")
        self.assertIn("Extras pentru", page.text)
        self.assertIn("Rest de plată", page.text)
        self.assertIn("pentru 2 factură(i)", page.text)

    def test_the_page_costs_the_same_queries_for_2_or_12_invoices(self):
        counts = []
        for count in (2, 12):
            token, _link = self.issue(self.overdue(count))
            self.page(f"statement/{token}")  # warm the caches
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.assertEqual(self.page(f"statement/{token}").status_code, 200)
            counts.append(self.env.cr.sql_log_count - before)
        self.assertGreater(counts[0], 5, "the request was counted")
        self.assertEqual(counts[0], counts[1], counts)

    def test_managers_of_the_company_revoke_others_cannot(self):
        _token, link = self.issue(self.overdue(2))
        links = self.env["crm.invoices.statement.link"]
        clerk = self.make_ar_user("statement_clerk")
        with self.assertRaises(AccessError):
            links.with_user(clerk).browse(link.id).action_revoke()
        company_b = self.setup_other_company(name="Filiala Extras SRL")["company"]
        manager_b = self.make_ar_user(
            "statement_manager_b", manager=True, company=company_b
        )
        with self.assertRaises(AccessError):
            links.with_user(manager_b).browse(link.id).action_revoke()
        self.assertFalse(link.revoked)
        manager = self.make_ar_user("statement_manager", manager=True)
        links.with_user(manager).browse(link.id).action_revoke()
        self.assertTrue(link.revoked)

    def test_the_pages_list_only_what_they_charge(self):
        """An invoice reset to draft or cancelled after the statement was
        sent is neither listed nor charged, on the page nor after paying."""
        invoices = self.overdue(4, amount=300.0)  # 300, 301, 302, 303
        token, link = self.issue(invoices)
        invoices[1].button_draft()
        invoices[2].button_cancel()
        page = self.page(f"statement/{token}")
        self.assertEqual(page.status_code, 200)
        for shown in (invoices[0], invoices[3]):
            self.assertIn(shown.name, page.text)
        for hidden in (invoices[1], invoices[2]):
            self.assertNotIn(hidden.name, page.text)
        self.assertNotIn("301.00", page.text)
        self.assertNotIn("302.00", page.text)
        self.assertIn('data-amount="603.0"', page.text)
        tx = self.transaction(self.start_statement_payment(token)["reference"])
        self.assertEqual(tx.invoice_ids, invoices[0] | invoices[3])
        self.simulate(tx.reference, "done")
        for suffix in ("/status", ""):
            after = self.page(f"statement/{token}", suffix)
            self.assertEqual(after.status_code, 200)
            self.assertIn(invoices[0].name, after.text)
            self.assertIn(invoices[3].name, after.text)
            self.assertNotIn(invoices[1].name, after.text)
            self.assertNotIn(invoices[2].name, after.text)
        self.assertEqual(link.state, "paid")
