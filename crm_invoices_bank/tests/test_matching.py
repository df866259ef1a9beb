from datetime import date

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import IBAN_CARPATI, BankCommon


@tagged("post_install", "-at_install")
class TestBankMatching(BankCommon):
    """Matching, review and undo on statement lines."""

    def setUp(self):
        super().setUp()
        self.invoices = self.sample_invoices()

    def match(self, lines):
        lines._crm_match_and_reconcile()
        return lines

    def test_partial_payment_then_the_rest(self):
        inv = self.invoices[5]
        first = self.match(self.statement_line(400.0, f"rata 1 {inv.name}"))
        self.assertEqual(first.crm_match_kind, "suggestion")
        self.assertIn("amount_partial", first.crm_match_reasons)
        self.assertEqual(inv.payment_state, "not_paid")
        first.action_crm_accept()
        self.assertEqual(inv.payment_state, "partial")
        self.assertEqual(inv.amount_residual, 600.0)
        second = self.match(self.statement_line(600.0, f"rest {inv.name}"))
        self.assertTrue(second.is_reconciled)
        self.assertEqual(inv.payment_state, "paid")

    def test_one_line_paying_three_invoices(self):
        third = self.make_invoice(
            100.0, date(2026, 11, 12), date(2026, 12, 12), partner=self.mures
        )
        names = ", ".join((self.invoices[3] | self.invoices[4] | third).mapped("name"))
        line = self.match(self.statement_line(600.0, f"facturi {names}"))
        self.assertTrue(line.is_reconciled)
        for move in (self.invoices[3], self.invoices[4], third):
            self.assertEqual(move.payment_state, "paid")

    def test_two_lines_paying_one_invoice_and_never_twice(self):
        inv = self.invoices[2]
        both = self.statement_line(500.0, f"plata {inv.name}") | self.statement_line(
            500.0, f"plata {inv.name} (repetata)"
        )
        self.match(both)
        self.assertEqual(len(both.filtered("is_reconciled")), 1, "one line pays it")
        self.assertEqual(inv.payment_state, "paid")
        self.assertEqual(len(inv.line_ids.matched_credit_ids), 1)
        second = both.filtered(lambda line: not line.is_reconciled)
        self.assertNotEqual(second.crm_match_kind, "auto")
        with self.assertRaises(UserError):
            second._crm_reconcile_with(inv, certain_only=True)

    def test_an_invoice_in_dispute_is_suggested_a_person_accepts(self):
        inv = self.invoices[2]
        inv.action_toggle_block_payment()
        line = self.match(self.statement_line(500.0, f"plata {inv.name}"))
        self.assertFalse(line.is_reconciled, "never closed by itself")
        self.assertEqual(line.crm_match_kind, "suggestion")
        self.assertEqual(line.crm_match_move_ids, inv)
        self.assertIn("in_dispute", line.crm_match_reasons)
        self.assertIn("invoice in dispute", line.crm_match_reasons_text)
        line.action_crm_accept()
        self.assertEqual(inv.payment_state, "paid")

    def test_over_payment_stays_as_customer_credit(self):
        inv = self.invoices[1]
        line = self.match(self.statement_line(1300.0, f"INV {inv.name}"))
        self.assertEqual(line.crm_match_kind, "suggestion")
        self.assertIn("amount_over", line.crm_match_reasons)
        line.action_crm_accept()
        self.assertEqual(inv.payment_state, "paid")
        credit = self.env["account.move.line"].search(
            [
                ("partner_id", "=", self.carpati.id),
                ("account_id.account_type", "=", "asset_receivable"),
                ("reconciled", "=", False),
                ("parent_state", "=", "posted"),
                ("move_id.statement_line_id", "=", line.id),
            ]
        )
        self.assertAlmostEqual(sum(credit.mapped("amount_residual")), -110.0)

    def test_undo_keeps_the_line_and_opens_the_invoice(self):
        inv = self.invoices[2]
        line = self.match(self.statement_line(500.0, inv.name))
        self.assertEqual(inv.payment_state, "paid")
        line.action_crm_undo()
        self.assertTrue(line.exists())
        self.assertFalse(line.is_reconciled)
        self.assertEqual(inv.payment_state, "not_paid")
        self.assertEqual(line.crm_match_move_ids, inv)
        line.action_crm_accept()
        self.assertEqual(inv.payment_state, "paid")

    def test_wrong_customer_or_amount_only_is_never_reconciled(self):
        # the reference is Dunarea's invoice, the money comes from Carpati's IBAN
        wrong = self.match(
            self.statement_line(500.0, self.invoices[2].name, iban=IBAN_CARPATI)
        )
        self.assertFalse(wrong.is_reconciled)
        self.assertIn("iban_conflict", wrong.crm_match_reasons)
        self.make_invoice(
            300.0, date(2026, 11, 11), date(2026, 12, 11), partner=self.dunarea
        )
        same_amount = self.match(self.statement_line(300.0, "transfer"))
        self.assertFalse(same_amount.is_reconciled)
        self.assertIn("same_amount_several", same_amount.crm_match_reasons)

    def test_iban_and_amount_and_a_learned_iban(self):
        by_iban = self.match(self.statement_line(1000.0, "plata", iban=IBAN_CARPATI))
        self.assertTrue(by_iban.is_reconciled)
        self.assertEqual(self.invoices[5].payment_state, "paid")
        unknown = "RO66BACX0000001234567890"
        line = self.match(self.statement_line(500.0, "OP", iban=unknown))
        self.assertFalse(line.is_reconciled)
        line.sudo().crm_match_move_ids = self.invoices[2]  # as the matcher would
        line.action_crm_accept()
        self.assertEqual(line.crm_iban_to_learn, unknown)
        self.assertTrue(line.action_crm_learn_iban())
        self.assertIn(unknown, self.dunarea.bank_ids.mapped("sanitized_acc_number"))
        later = self.make_invoice(
            250.0, date(2026, 11, 15), date(2026, 12, 15), partner=self.dunarea
        )
        again = self.match(self.statement_line(250.0, "OP", iban=unknown))
        self.assertTrue(again.is_reconciled)
        self.assertEqual(later.payment_state, "paid")

    def test_foreign_currency_amount(self):
        inv = self.invoices[6]  # 200 EUR
        line = self.match(
            self.statement_line(
                994.0,
                f"Invoice {inv.name}",
                amount_currency=200.0,
                foreign_currency_id=self.eur.id,
            )
        )
        self.assertTrue(line.is_reconciled)
        self.assertEqual(inv.payment_state, "paid")

    def test_reject_and_not_an_invoice_payment(self):
        line = self.match(self.statement_line(1300.0, self.invoices[1].name))
        line.action_crm_reject()
        self.assertEqual(line.crm_match_kind, "rejected")
        self.assertFalse(line.crm_match_move_ids)
        other = self.match(self.statement_line(77.0, "Rambursare chirie"))
        other.action_crm_not_invoice()
        review = self.env["account.bank.statement.line"].search(
            [
                ("is_reconciled", "=", False),
                ("crm_not_invoice", "=", False),
                ("id", "in", (line | other).ids),
            ]
        )
        self.assertEqual(review, line)

    def test_other_companys_invoices_are_not_candidates(self):
        other = self.setup_other_company(name="Filiala SRL")["company"]
        theirs = self.make_invoice(
            500.0, date(2026, 11, 10), partner=self.dunarea, company=other
        )
        line = self.match(self.statement_line(500.0, theirs.name))
        self.assertNotIn(theirs, line.crm_match_move_ids)
        self.assertEqual(theirs.payment_state, "not_paid")

    def test_ocas_reconciliation_screen_shows_our_suggestion(self):
        line = self.statement_line(1300.0, self.invoices[1].name)
        line._crm_match()
        models = self.env["account.reconcile.model"].search(
            [
                ("company_id", "=", self.company.id),
                ("rule_type", "=", "invoice_matching"),
            ]
        )
        result = models._apply_rules(line, line._retrieve_partner())
        self.assertTrue(result["model"].crm_bank_matching)
        self.assertEqual(result["amls"].move_id, self.invoices[1])
        self.assertFalse(result.get("auto_reconcile"))

    def test_bank_fees_written_off(self):
        fees_account = self.env["account.account"].search(
            [
                ("company_ids", "in", self.company.id),
                ("account_type", "=", "expense"),
            ],
            limit=1,
        )
        inv = self.invoices[2]
        line = self.match(self.statement_line(497.5, f"plata {inv.name}"))
        self.assertEqual(line.crm_match_kind, "suggestion")
        with self.assertRaisesRegex(UserError, "bank fees account"):
            line.action_crm_accept_with_fees()
        self.company.write(
            {"crm_bank_fee_account_id": fees_account.id, "crm_bank_fee_limit": 2.0}
        )
        fees = self.company._crm_bank_fee_model()
        self.assertEqual(fees.line_ids.account_id, fees_account, "a Bank fees button")
        with self.assertRaisesRegex(UserError, "more than the bank fees limit"):
            line.action_crm_accept_with_fees()
        self.assertFalse(line.is_reconciled, "nothing written on a refusal")
        self.company.crm_bank_fee_limit = 5.0
        line.action_crm_accept_with_fees()
        self.assertTrue(line.is_reconciled)
        self.assertEqual(inv.payment_state, "paid")
        fee_line = line.move_id.line_ids.filtered(
            lambda aml: aml.account_id == fees_account
        )
        self.assertAlmostEqual(fee_line.balance, 2.5)
        # undone, then accepted without fees: a part payment
        line.action_crm_undo()
        self.assertEqual(inv.payment_state, "not_paid")
        line.action_crm_accept()
        self.assertEqual(inv.payment_state, "partial", "without fees: a part payment")
        self.assertAlmostEqual(inv.amount_residual, 2.5)

    def test_paid_by_bank_in_the_ar_metrics_and_the_filter(self):
        by_bank, by_hand = self.invoices[2], self.invoices[3]
        self.match(self.statement_line(500.0, by_bank.name))
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=by_hand.ids
        ).create({})._create_payments()
        moves = by_bank | by_hand
        self.assertEqual(
            self.env["account.move"].search(
                [("id", "in", moves.ids), ("crm_paid_by_bank", "=", True)]
            ),
            by_bank,
        )
        self.env.flush_all()
        [row] = self.env["crm.invoices.ar.report"].read_group(
            [("move_id", "in", moves.ids)],
            ["amount_residual:sum", "due_count:sum"],
            ["crm_status"],
        )
        self.assertEqual(row["crm_status"], "paid", "both paid, one way or the other")
        self.assertEqual(row["crm_status_count"], 2)
        self.assertEqual(row["amount_residual"], 0.0)
        # the AR trend tells how each was collected
        [trend] = self.env["crm.invoices.ar.trend"].read_group(
            [("partner_id", "in", moves.commercial_partner_id.ids)],
            ["collected_bank:sum", "collected_manual:sum"],
            [],
        )
        self.assertAlmostEqual(trend["collected_bank"], by_bank.amount_total)
        self.assertAlmostEqual(trend["collected_manual"], by_hand.amount_total)

    def test_the_trend_asks_every_installed_addon_for_its_channels(self):
        trend = self.env["crm.invoices.ar.trend"]
        keys = trend._trend_channel_keys()
        self.assertIn("bank", keys)
        self.assertEqual(keys[-1], "manual", "what no channel claims")
        self.assertIn("collected_bank", trend._trend_sums())
        if "pay_links_started" in trend._fields:  # the pay link addon too
            self.assertIn("pay_link", keys)
            self.assertIn("pay_links_started", trend._trend_sums())

    def test_matching_costs_the_same_queries_for_5_or_50_lines(self):
        def statement(count):
            return self.env["account.bank.statement"].create(
                {
                    "journal_id": self.journals["bt"].id,
                    "line_ids": [
                        (
                            0,
                            0,
                            {
                                "date": date(2026, 11, 20),
                                "payment_ref": f"plata INV/2026/{n + 50:05d}",
                                "amount": 10.0 + n,
                            },
                        )
                        for n in range(count)
                    ],
                }
            )

        statements = statement(5), statement(50)
        self.env.flush_all()
        self.env.invalidate_all()
        statements[0].line_ids._crm_match()  # caches of access rights and rules
        counts = []
        for made in statements:
            lines = made.line_ids
            self.env.flush_all()
            # a statement's lines kept over an invalidation: their prefetch
            # set is empty unless the matching makes its own
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            lines._crm_match()
            counts.append(self.cr.sql_log_count - start)
        self.assertEqual(counts[0], counts[1])
        self.assertEqual(set(statements[1].line_ids.mapped("crm_match_kind")), {"none"})

    def test_a_payer_the_company_knows_as_someone_else(self):
        """The payer-name rule knows every partner of the company, invoiced
        or not, and reads names by their words: a branch added or a name cut
        off is still that partner, and never pays another's invoice by
        itself."""
        leasing = self.env["res.partner"].create(
            {"name": "Omega Leasing IFN SA", "is_company": True}
        )
        self.env["res.partner"].create(
            {"name": "Vasile Toma", "parent_id": self.carpati.id}
        )
        for printed, expected in (
            ("OMEGA LEASING IFN SA SUCURSALA CLUJ", "suggestion"),
            ("OMEGA LEASING I", "suggestion"),
            ("TOMA VASILE", "auto"),  # a contact of Carpati pays Carpati
        ):
            with self.subTest(printed=printed):
                invoice = self.make_invoice(
                    437.0, date(2026, 11, 10), date(2026, 12, 10), partner=self.carpati
                )
                line = self.match(
                    self.statement_line(
                        437.0, f"plata {invoice.name}", partner_name=printed
                    )
                )
                self.assertEqual(line.crm_match_kind, expected)
                self.assertEqual(line.crm_match_move_ids, invoice)
                if expected == "suggestion":
                    self.assertIn("name_conflict", line.crm_match_reasons)
                    self.assertEqual(invoice.payment_state, "not_paid")
                    self.assertFalse(leasing.invoice_ids)
                else:
                    self.assertIn("name", line.crm_match_reasons.split(","))
