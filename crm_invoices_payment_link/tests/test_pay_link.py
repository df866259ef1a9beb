from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import PayLinkCommon, Refused


@tagged("post_install", "-at_install")
class TestPayLink(PayLinkCommon):
    def test_posting_gives_one_link_stored_as_a_digest(self):
        invoice = self.open_invoice()
        token, link = self.token_of(invoice)
        self.assertEqual(len(token), 43)  # 256 bits
        self.assertEqual(link.state, "active")
        self.assertNotIn(token, self.stored_tokens_of(link))
        self.assertEqual(link.sudo().token_digest, self.digest(token))
        draft = self.open_invoice(post=False)
        self.assertFalse(draft.crm_pay_link_ids)
        refund = self.open_invoice(move_type="out_refund")
        self.assertFalse(refund.crm_pay_link_ids)

    def test_renew_revokes_and_issues_a_new_link(self):
        invoice = self.open_invoice()
        old_token, old = self.token_of(invoice)
        invoice.action_crm_renew_pay_links()
        new_token, new = self.token_of(invoice)
        self.assertNotEqual(old_token, new_token)
        self.assertEqual((old.state, new.state), ("revoked", "active"))
        self.assertEqual(len(invoice.crm_pay_link_ids), 2)

    def test_install_hook_links_every_open_invoice_in_batches(self):
        invoices = self.env["account.move"].concat(
            *(self.open_invoice(amount=10.0 + i) for i in range(3))
        )
        invoices.crm_pay_link_ids.sudo().unlink()
        self.env.flush_all()
        start = self.cr.sql_log_count
        created = self.links._create_for(invoices)
        self.assertEqual(created, 3)
        self.assertLessEqual(
            self.cr.sql_log_count - start, 6, "batched, not per invoice"
        )
        self.assertEqual(self.links._create_for(invoices), 0, "never twice")

    def test_expiry_from_the_company_setting(self):
        self.env.company.crm_paylink_validity_days = 30
        invoice = self.open_invoice()
        link = invoice.sudo().crm_pay_link_id
        self.assertTrue(link.expiry_date)
        link.expiry_date = "2020-01-01 00:00:00"
        self.assertEqual(link.state, "expired")
        self.assertIn(link, self.links.search([("state", "=", "expired")]))

    def test_state_search_agrees_with_the_computed_state(self):
        active, paid, revoked, expired, draft, cancelled = (
            self.open_invoice() for _i in range(6)
        )
        self.pay(paid)
        revoked.crm_pay_link_id.sudo().action_revoke()
        expired.sudo().crm_pay_link_id.expiry_date = "2020-01-01 00:00:00"
        draft.sudo().crm_pay_link_id.expiry_date = "2020-01-01 00:00:00"
        draft.button_draft()
        cancelled.button_cancel()
        self.env.flush_all()
        invoices = active | paid | revoked | expired | draft | cancelled
        mine = invoices.sudo().crm_pay_link_ids
        for state in ("active", "paid", "revoked", "expired", "closed", "cancelled"):
            with self.subTest(state=state):
                computed = mine.filtered(lambda link, s=state: link.state == s)
                self.assertEqual(len(computed), 1)
                self.assertEqual(
                    self.links.search([("state", "=", state), ("id", "in", mine.ids)]),
                    computed,
                )
                self.assertEqual(
                    self.links.search([("state", "!=", state), ("id", "in", mine.ids)]),
                    mine - computed,
                )

    def test_an_invoice_in_dispute_takes_no_payment_until_settled(self):
        invoice = self.open_invoice()
        token, link = self.token_of(invoice)
        invoice.action_toggle_block_payment()
        self.assertEqual(link.state, "closed")
        self.assertEqual(
            self.links.search([("state", "=", "closed"), ("id", "=", link.id)]), link
        )
        self.assertIn("cannot be paid online", invoice._crm_payment_refusal())
        page = self.page(token)
        self.assertIn("not payable at the moment", page.text)
        with self.assertRaises(Refused):
            self.start_payment(token)
        self.assertFalse(self.paying(invoice))
        invoice.action_toggle_block_payment()
        self.assertEqual(link.state, "active", "the dispute settled: the same link")
        self.assertFalse(invoice._crm_payment_refusal())

    def test_install_hook_covers_open_invoices_only(self):
        from ..hooks import post_init_hook

        open_invoice = self.open_invoice()
        paid = self.open_invoice()
        self.pay(paid)
        draft = self.open_invoice(post=False)
        (open_invoice | paid | draft).crm_pay_link_ids.sudo().unlink()
        post_init_hook(self.env)
        self.assertEqual(len(open_invoice.crm_pay_link_ids), 1)
        self.assertFalse(paid.crm_pay_link_ids)
        self.assertFalse(draft.crm_pay_link_ids)

    def test_only_managers_of_the_company_revoke_and_renew(self):
        invoice = self.open_invoice()
        _token, link = self.token_of(invoice)
        clerk = self.make_ar_user("paylink_clerk")
        with self.assertRaises(AccessError):
            invoice.with_user(clerk).action_crm_renew_pay_links()
        with self.assertRaises(AccessError):
            link.with_user(clerk).action_revoke()
        company_b = self.setup_other_company(name="Filiala Revoke SRL")["company"]
        manager_b = self.make_ar_user(
            "paylink_manager_b", manager=True, company=company_b
        )
        with self.assertRaises(AccessError):
            invoice.with_user(manager_b).action_crm_renew_pay_links()
        self.assertEqual(link.state, "active")
        manager = self.make_ar_user("paylink_manager", manager=True)
        invoice.with_user(manager).action_crm_renew_pay_links()
        self.assertEqual(link.state, "revoked")
        self.assertEqual(invoice.crm_pay_link_id.state, "active")
