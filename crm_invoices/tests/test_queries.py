from datetime import date, timedelta

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from .. import queries
from ..lib import api_token
from .common import CrmInvoicesCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-01")
class TestQueries(CrmInvoicesCommon):
    """Each query of :mod:`..queries` answers what its name says."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls.make_invoice(
            1000.0, invoice_date=date(2026, 1, 10), due_date=date(2026, 2, 9)
        )

    def test_api_rows_sums_and_addresses(self):
        self.customer.write(
            {"street": "Str. Lungă 1", "city": "Brașov", "zip": "500035"}
        )
        self.invoice.button_draft()
        self.invoice.write(
            {
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "More",
                            "quantity": 2,
                            "price_unit": 50.0,
                            "discount": 10,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ]
            }
        )
        self.env.flush_all()
        [row] = queries.api_invoice_rows(self.env, (self.invoice.id,))
        self.assertEqual(row["id"], self.invoice.id)
        self.assertEqual(row["clientid"], self.customer.id)
        self.assertEqual(row["currency_name"], self.invoice.currency_id.name)
        self.assertAlmostEqual(row["amount_total"], self.invoice.amount_total)
        [(move_id, percent, gross, discount, adjustment)] = queries.api_line_sums(
            self.env, (self.invoice.id,)
        )
        self.assertEqual(move_id, self.invoice.id)
        self.assertIsNone(percent, "two discounts: no common percent")
        self.assertAlmostEqual(gross, 1100.0)
        self.assertAlmostEqual(discount, 10.0)
        self.assertIsNone(adjustment)
        [address] = queries.api_addresses(self.env, (self.customer.id,))
        self.assertEqual(address[:3], (self.customer.id, "Str. Lungă 1", "Brașov"))

    def test_last_receivable_reconciliation_dates(self):
        other = self.make_invoice(10.0)
        self.pay(self.invoice, 400.0, date(2026, 2, 1))
        self.pay(self.invoice, 600.0, date(2026, 2, 20))
        self.assertEqual(
            queries.last_receivable_reconciliation_dates(
                self.env, self.invoice | other
            ),
            {self.invoice.id: date(2026, 2, 20)},
        )

    def test_ensure_access_tokens_writes_only_missing_tokens(self):
        other = self.make_invoice(10.0)
        other._portal_ensure_token()
        kept = other.access_token
        self.env.flush_all()
        before = self.invoice.write_date
        queries.ensure_access_tokens(self.env, self.invoice | other)
        self.assertTrue(self.invoice.access_token)
        self.assertEqual(other.access_token, kept)
        self.invoice.invalidate_recordset()
        self.assertEqual(self.invoice.write_date, before)

    def test_reminder_candidates_carry_the_levels_sent(self):
        level = self.env["crm.invoices.reminder.level"].search(
            [("company_id", "=", self.env.company.id)], order="delay_days", limit=1
        )
        self.env["crm.invoices.reminder"].create(
            {"move_id": self.invoice.id, "level_id": level.id}
        )
        eligible = self.env["account.move"]._search([("id", "=", self.invoice.id)])
        rows = queries.reminder_candidates(self.env, eligible, date(2026, 3, 1))
        self.assertEqual(
            rows,
            [
                (
                    self.invoice.id,
                    self.env.company.id,
                    20,
                    [[level.id, level.delay_days]],
                )
            ],
        )

    def test_lock_free_invoices_takes_what_nobody_holds(self):
        moves = self.invoice | self.make_invoice(10.0)
        self.assertEqual(queries.lock_free_invoices(self.env, moves), moves)

    def test_claim_idempotency_key(self):
        token = self.env["crm.invoices.api.token"].create(
            {
                "name": "queries",
                "user_id": self.env.user.id,
                "company_id": self.env.company.id,
            }
        )
        now = fields.Datetime.now()
        life = timedelta(hours=24)
        claimed, stored = queries.claim_idempotency_key(
            self.env, token.id, "k1", "hash-a", now, life
        )
        self.assertTrue(claimed)
        self.assertIsNone(stored)
        self.env["crm.invoices.api.idempotency"].browse(claimed).write(
            {"status_code": 200, "response_body": "[1]"}
        )
        self.env.flush_all()
        again, stored = queries.claim_idempotency_key(
            self.env, token.id, "k1", "hash-b", now, life
        )
        self.assertIsNone(again)
        self.assertEqual(stored, ("hash-a", 200, "[1]"))
        later, stored = queries.claim_idempotency_key(
            self.env, token.id, "k1", "hash-b", now + life * 2, life
        )
        self.assertTrue(later, "an expired key is forgotten, then claimed anew")
        self.assertNotEqual(later, claimed)

    def test_count_token_request(self):
        token = self.env["crm.invoices.api.token"].create(
            {
                "name": "queries",
                "user_id": self.env.user.id,
                "company_id": self.env.company.id,
                "scope_read": True,
                # the statement reads the database's clock, not the frozen one
                "expiry_date": False,
            }
        )
        value = token.action_generate()["context"]["default_token"]
        digest = api_token.token_digest(value, token._crm_secret())
        self.env.flush_all()
        # as under HTTP tests: the statement's own cursor shares this one's
        # transaction (it would not see the token otherwise)
        self.registry.enter_test_mode(self.cr)
        self.addCleanup(self.registry.leave_test_mode)
        row = queries.count_token_request(self.env, digest, 1_000_000.0)
        self.assertEqual(row[0], token.id)
        self.assertEqual(row[4], 1, "the first request of its window")
        row = queries.count_token_request(self.env, digest, 1_000_001.0)
        self.assertEqual(row[4], 2)
        token.invalidate_recordset()
        self.assertEqual(token.request_count, 2)
        self.assertIsNone(queries.count_token_request(self.env, "0" * 64, 0.0))

    def test_one_compensation_per_invoice(self):
        charges = self.env["crm.invoices.late.charge"].sudo()  # the job's
        values = {"move_id": self.invoice.id, "kind": "compensation", "amount": 200}
        charges.create({**values, "date_to": date(2026, 2, 28)})
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                charges.create({**values, "date_to": date(2026, 3, 31)})
                charges.flush_model()

    def test_late_interest_still_owed(self):
        moves = self.env["account.move"]
        paid_late = self.make_invoice(
            10.0, invoice_date=date(2026, 1, 10), due_date=date(2026, 1, 20)
        )
        self.pay(paid_late, payment_date=date(2026, 2, 5))
        paid_on_time = self.make_invoice(
            10.0, invoice_date=date(2026, 1, 10), due_date=date(2026, 1, 20)
        )
        self.pay(paid_on_time, payment_date=date(2026, 1, 15))
        self.env.flush_all()
        mine = self.invoice | paid_late | paid_on_time
        query = moves._search([("id", "in", mine.ids)])
        query.add_where(
            queries.late_interest_still_owed(date(2026, 2, 28), date(2026, 1, 1))
        )
        self.assertEqual(moves.browse(list(query)), self.invoice | paid_late)

    def test_plan_one_big_statement(self):
        queries.plan_one_big_statement(self.env.cr)
        self.env.cr.execute("SHOW jit")
        self.assertEqual(self.env.cr.fetchone()[0], "off")

    def test_lease_next_webhook_takes_the_oldest_due_once(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("crm_invoices.webhook_allow_private", "True")
        webhooks = self.env["crm.invoices.webhook"]
        early, late = webhooks.create(
            [
                {"name": name, "url": f"http://127.0.0.1:9/{name}", "events": "*"}
                for name in ("early", "late")
            ]
        )
        self.env["crm.invoices.webhook.event"]._crm_queue_test(late)
        self.env["crm.invoices.webhook.event"]._crm_queue_test(early)
        now = fields.Datetime.now()
        late.delivery_ids.sudo().next_attempt = now - timedelta(minutes=5)
        self.assertEqual(queries.lease_next_webhook(webhooks, now, [], 20), late)
        self.assertEqual(
            late.lease_until, now + timedelta(seconds=late.timeout * 20 + 30)
        )
        # held by its lease: the next lane takes the other; then nothing is due
        self.assertEqual(queries.lease_next_webhook(webhooks, now, [], 20), early)
        self.assertFalse(queries.lease_next_webhook(webhooks, now, [], 20))
        later = now + timedelta(hours=1)
        self.assertEqual(
            queries.lease_next_webhook(webhooks, later, [late.id], 20), early
        )

    def test_stored_move_values_are_the_database_s(self):
        self.invoice.ref = "stored"
        self.invoice.flush_recordset()
        self.invoice.ref = "not flushed yet"
        values = queries.stored_move_values(
            self.env, self.invoice.ids, ("ref", "state")
        )
        self.assertEqual(
            values, {self.invoice.id: {"ref": "stored", "state": "posted"}}
        )
        self.assertEqual(self.invoice.ref, "not flushed yet", "nothing flushed")
