from odoo.tests import tagged

from odoo.addons.crm_invoices.tests.test_money_fields import MoneyFieldsCommon

from .common import BankCommon


@tagged("post_install", "-at_install")
class TestBankMoneyFields(BankCommon, MoneyFieldsCommon):
    """What the matcher found on a bank line, and whether the background job
    reconciles it, are written by the matcher and the review actions only:
    a user who may edit statement lines cannot point a line at another
    invoice and queue it."""

    def test_match_fields_are_the_matchers(self):
        invoices = self.sample_invoices()
        line = self.statement_line(500.0, "OP")
        line._crm_match()
        self.assert_refused_to_all(
            line,
            {"crm_match_move_ids": [(6, 0, invoices[1].ids)], "crm_match_kind": "auto"},
        )
        self.assert_refused_to_all(line, {"crm_reconcile_queued": True})
        self.assert_refused_to_all(line, {"crm_not_invoice": True})
        # the review actions, by a user who may review
        line.with_user(self.roles["ar_manager"]).action_crm_not_invoice()
        self.assertTrue(line.crm_not_invoice)
