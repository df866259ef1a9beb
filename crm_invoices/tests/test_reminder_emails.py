import logging
from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import CrmInvoicesCommon
from .test_reminders import DUE, day

_logger = logging.getLogger(__name__)

#: The most an email of the reminder job may cost, in queries, beyond what
#: the job costs whatever it sends (issue 24: "at most 15 per email").
MAX_QUERIES_PER_EMAIL = 15


@tagged("post_install", "-at_install")
class TestReminderEmails(CrmInvoicesCommon):
    """The job's emails are made for a batch at once: each more email costs
    the same few queries, per invoice or per customer, however many
    invoices a statement lists."""

    def _customers(self, count):
        return self.env["res.partner"].create(
            [
                {"name": f"Client {index}", "email": f"plati{index}@example.com"}
                for index in range(count)
            ]
        )

    def _job_queries(self, customers, per_customer=1):
        with freeze_time("2026-02-01"):
            for customer in customers:
                for index in range(per_customer):
                    self.make_invoice(
                        100.0 + index,
                        invoice_date=date(2026, 2, 1),
                        due_date=DUE,
                        partner=customer,
                    )
        engine = self.env["crm.invoices.reminder.engine"]
        self.env.flush_all()
        with freeze_time(day(7)):
            engine._due(date.fromisoformat(day(7)))  # warm the caches
            before = self.env.cr.sql_log_count
            sent = engine._cron_send_reminders()
            queries = self.env.cr.sql_log_count - before
        self.assertEqual(sent, len(customers) * per_customer)
        return queries

    def _per_email(self, grouping, per_customer):
        self.env.company.crm_reminder_grouping = grouping
        self._job_queries(self._customers(1), per_customer)  # caches warm
        emails = self._job_queries(self._customers(2), per_customer)
        more = self._job_queries(self._customers(8), per_customer)
        _logger.info(
            "reminder emails (%s, %s invoice(s) each): %.1f queries per email",
            grouping,
            per_customer,
            (more - emails) / 6,
        )
        return (more - emails) / 6

    def test_an_email_per_invoice_costs_a_few_queries(self):
        self.assertLessEqual(self._per_email("invoice", 1), MAX_QUERIES_PER_EMAIL)

    def test_a_statement_costs_a_few_queries_whatever_it_lists(self):
        one = self._per_email("customer", 1)
        self.assertLessEqual(one, MAX_QUERIES_PER_EMAIL)
        four = self._per_email("customer", 4)
        self.assertLessEqual(four, MAX_QUERIES_PER_EMAIL)
