from contextlib import contextmanager
from datetime import timedelta
from unittest.mock import patch

from odoo import Command, fields

from odoo.addons.crm_invoices.lib.perfex_recurrence import Recurrence
from odoo.addons.crm_invoices.tests.common import days_from_today
from odoo.addons.crm_invoices_payment_link.tests.common import PayLinkCommon


class RecurringCommon(PayLinkCommon):
    """Invoices that repeat, a job that makes their invoices on a given day,
    and a provider whose saved cards the tests charge."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.crm_recurring_invoice_state = "posted"
        cls.contracts = cls.env["contract.contract"]
        cls.tax = cls.env["account.tax"].create(
            {
                "name": "TVA 19 (recurring)",
                "amount": 19.0,
                "type_tax_use": "sale",
                "amount_type": "percent",
            }
        )

    @classmethod
    def repeating(cls, recurrence=None, invoice_date=None, amount=100.0, **kwargs):
        """A posted invoice of ``invoice_date`` (default: today) that
        repeats on ``recurrence`` (default: every month, without end)."""
        invoice = cls.make_invoice(
            amount=amount,
            invoice_date=invoice_date or fields.Date.today(),
            due_date=(invoice_date or fields.Date.today()) + timedelta(days=30),
            **kwargs,
        )
        invoice._crm_set_schedule(recurrence or Recurrence(1, "month"))
        return invoice

    def run_job(self, day):
        """The scheduled job on ``day`` (as the scheduler runs it): the
        invoices it made in the tests' companies."""
        made = self.contracts.sudo().cron_recurring_create_invoice(day)
        # the scheduler's job invoices every company's schedules: the tests'
        return made.filtered(lambda m: m.company_id in self.env.companies).sudo(False)

    def made(self, invoice):
        return self.env["account.move"].search(
            [("crm_recurring_contract_id.crm_source_invoice_id", "=", invoice.id)],
            order="crm_recurring_period, id",
        )

    @classmethod
    def saved_card(cls, partner=None):
        """A card the customer saved on the test provider."""
        cls.provider.allow_tokenization = True
        return (
            cls.env["payment.token"]
            .sudo()
            .create(
                {
                    "provider_id": cls.provider.id,
                    "payment_method_id": cls.payment_method.id,
                    "partner_id": (partner or cls.customer).id,
                    "provider_ref": "card-4242",
                    "payment_details": "4242",
                }
            )
        )

    @contextmanager
    def provider_answers(self, state="done"):
        """The provider's answer to every charge of a saved card (``done``
        or ``error``), and the charges asked of it."""
        asked = []
        model = self.env.registry["payment.transaction"]

        def send(transaction):
            asked.append(transaction.reference)
            if state == "done":
                transaction._set_done()
            else:
                transaction._set_error("Card declined (test provider).")

        with (
            patch.object(model, "_send_payment_request", send),
            self._payment_method_information_of_the_test_provider(),
        ):
            yield asked


def in_days(days):
    return days_from_today(days)


__all__ = ["Command", "Recurrence", "RecurringCommon", "in_days"]
