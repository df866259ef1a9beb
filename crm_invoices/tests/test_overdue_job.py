from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import CrmInvoicesCommon


@tagged("post_install", "-at_install")
class TestOverdueJob(CrmInvoicesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.setup_other_company(name="Company B")["company"]

    def _open_invoices(self, count, due_date, company=None):
        return self.env["account.move"].concat(
            *(
                self.make_invoice(due_date=due_date, company=company)
                for _i in range(count)
            )
        )

    def _queries_of_job(self):
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        moved = self.env["account.move"]._cron_crm_mark_overdue()
        return self.cr.sql_log_count - start, moved

    def test_job_marks_only_late_open_invoices_of_every_company(self):
        with freeze_time("2026-01-15"):
            late = self._open_invoices(2, date(2026, 2, 1))
            late_b = self._open_invoices(
                1, date(2026, 2, 1), company=self.other_company
            )
            not_yet = self._open_invoices(1, date(2026, 4, 1))
            paid = self._open_invoices(1, date(2026, 2, 1))
            self.pay(paid)
            partial = self._open_invoices(1, date(2026, 2, 1))
            self.pay(partial, 10.0)
            draft = self.make_invoice(post=False, due_date=date(2026, 2, 1))
            self.env.flush_all()  # as a commit would, while it is still 01-15
        with freeze_time("2026-03-01"):
            _count, moved = self._queries_of_job()
        self.assertEqual(moved, late + late_b + partial)
        self.assertEqual(
            set((late + late_b + partial).mapped("crm_status")), {"overdue"}
        )
        self.assertEqual(not_yet.crm_status, "unpaid")
        self.assertEqual(paid.crm_status, "paid")
        self.assertEqual(draft.crm_status, "draft")
        with freeze_time("2026-03-02"):
            _count, moved_again = self._queries_of_job()
        self.assertFalse(moved_again, "a second run has nothing left to do")

    def test_job_goes_through_the_orm(self):
        """write_date/write_uid are set and the chatter shows the change (the
        batched SQL statement used to bypass both)."""
        with freeze_time("2026-01-15"):
            late = self._open_invoices(1, date(2026, 2, 1))
            late.action_crm_mark_sent()
            self.env.flush_all()
            # a commit: the invoice was created in an earlier transaction than
            # the job's (mail does not track a record's first transaction)
            self.env.cr.precommit.run()
        self.env.cr.execute(
            "UPDATE account_move SET write_date = '2026-01-15', write_uid = 1 "
            "WHERE id = %s",
            late.ids,
        )
        late.invalidate_recordset()
        with freeze_time("2026-03-01 00:05:00"):
            self.env["account.move"].with_context(
                tracking_disable=False, mail_notrack=False
            )._cron_crm_mark_overdue()
            self.env.cr.precommit.run()  # tracking is written just before commit
        late.invalidate_recordset()
        self.assertEqual(late.crm_status, "overdue")
        self.assertGreater(late.write_date, datetime(2026, 1, 15))
        self.assertEqual(late.write_uid, self.env.user)
        tracked = late.message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "crm_status"
        )
        self.assertEqual(
            (tracked.old_value_char, tracked.new_value_char), ("Sent", "Overdue")
        )

    def test_overdue_rule_and_its_domain_agree(self):
        """The job selects with the status rule's own domain: for every kind
        of invoice, the domain, the Python evaluation of the rule and the
        computed status say the same."""
        from ..lib import domain_rule
        from ..lib import invoice_status as rules

        with freeze_time("2026-01-15"):
            moves = self._open_invoices(2, date(2026, 2, 1))
            paid, partial = self._open_invoices(2, date(2026, 2, 1))
            self.pay(paid)
            self.pay(partial, 10.0)
            moves |= paid + partial
            moves |= self._open_invoices(1, date(2026, 4, 1))
            moves |= self.make_invoice(post=False, due_date=date(2026, 2, 1))
            moves |= self.make_invoice(
                move_type="out_refund", due_date=date(2026, 2, 1)
            )
            cancelled = self._open_invoices(1, date(2026, 2, 1))
            cancelled.button_cancel()
            moves |= cancelled
            self.env.flush_all()
        today = date(2026, 3, 1)
        domain = rules.overdue_domain(today)
        by_search = self.env["account.move"].search([("id", "in", moves.ids)] + domain)
        by_rule = moves.filtered(
            lambda move: domain_rule.matches(
                domain, {field: move[field] for field, _op, _value in domain}
            )
        )
        with freeze_time(today):
            moves.invalidate_recordset(["crm_status"])
            self.env.add_to_compute(moves._fields["crm_status"], moves)
            by_status = moves.filtered(lambda move: move.crm_status == "overdue")
        self.assertEqual(len(by_search), 3)
        self.assertEqual(by_search, by_rule)
        self.assertEqual(by_search, by_status)

    def test_job_query_count_does_not_grow_with_invoices(self):
        with freeze_time("2026-01-15"):
            self._queries_of_job()  # warm the caches of rules and settings
            self._open_invoices(2, date(2026, 2, 1))
        with freeze_time("2026-03-01"):
            few_queries, few = self._queries_of_job()
        with freeze_time("2026-01-15"):
            self._open_invoices(20, date(2026, 3, 10))
        with freeze_time("2026-04-01"):
            many_queries, many = self._queries_of_job()
        self.assertEqual((len(few), len(many)), (2, 20))
        self.assertEqual(many_queries, few_queries)

    def test_status_filter_query_count_does_not_grow_with_invoices(self):
        """The list's status filter + first page reads in a fixed number of queries."""
        spec = {
            "name": {},
            "partner_id": {"fields": {"display_name": {}}},
            "invoice_date": {},
            "invoice_date_due": {},
            "crm_days_overdue": {},
            "amount_total": {},
            "amount_residual": {},
            "currency_id": {"fields": {"display_name": {}}},
            "crm_status": {},
            "invoice_user_id": {"fields": {"display_name": {}}},
        }
        domain = [
            ("crm_status", "=", "overdue"),
            ("move_type", "in", ("out_invoice", "out_refund")),
        ]
        moves = self.env["account.move"]

        def page_queries():
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            result = moves.web_search_read(domain, spec, limit=80)
            return self.cr.sql_log_count - start, result["length"]

        with freeze_time("2026-03-01"):
            for partner in (self.customer, self.other_customer):
                self.make_invoice(due_date=date(2026, 2, 1), partner=partner)
            page_queries()  # warm the caches of access rules and groups
            few_queries, few = page_queries()
            for _i in range(15):
                self.make_invoice(
                    due_date=date(2026, 2, 1), partner=self.customer.copy()
                )
            many_queries, many = page_queries()
        self.assertEqual((few, many), (2, 17))
        self.assertEqual(many_queries, few_queries)
