import json
import re
from contextlib import contextmanager
from unittest.mock import patch

from odoo import Command
from odoo.tests import HttpCase
from odoo.tests.common import JsonRpcException

from odoo.addons.crm_invoices.tests.common import CrmInvoicesCommon, days_from_today

from ..lib import pay_token


class Refused(JsonRpcException):
    """A JSON-RPC error answer: the exception's name and its message."""

    def __init__(self, name, message):
        super().__init__(code=200, message=f"{name}: {message}")
        self.name = name
        self.message = message


class PayLinkCommon(CrmInvoicesCommon, HttpCase):
    """Invoices with pay links, and a payment provider taking payments.

    The provider is one of the tests' own, as Odoo's payment test commons
    make it (``payment.tests.common``: code ``none``, the "unknown" payment
    method): the addon's tests need no provider module, and a payment is
    confirmed as any provider's notification confirms it
    (:meth:`simulate`)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider = cls.prepare_provider(cls.env.company)
        cls.payment_method = cls.env.ref("payment.payment_method_unknown")
        cls.links = cls.env["crm.invoices.pay.link"].sudo()

    @classmethod
    def prepare_provider(cls, company):
        """The company's only enabled provider: in test mode, published, its
        payments on the company's bank journal."""
        providers = cls.env["payment.provider"].sudo()
        method = cls.env.ref("payment.payment_method_unknown").sudo()
        journal = cls.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", company.id)], limit=1
        )
        providers.search([("company_id", "=", company.id)]).state = "disabled"
        provider = providers.create(
            {
                "name": "Test Provider",
                "code": "none",
                "state": "test",
                "is_published": True,
                "company_id": company.id,
                "payment_method_ids": [Command.set(method.ids)],
                "available_currency_ids": [Command.clear()],
            }
        )
        method.active = True  # once a provider supports it, as Odoo's commons do
        # its payments on the bank journal, by a payment method of its code
        # (account_payment's own test common does the same)
        accounting_methods = cls.env["account.payment.method"].sudo()
        with cls._payment_method_information_of_the_test_provider():
            if not accounting_methods.search([("code", "=", "none")]):
                accounting_methods.create(
                    {"name": "Test method", "code": "none", "payment_type": "inbound"}
                )
            provider.journal_id = journal
        return provider

    @classmethod
    @contextmanager
    def _payment_method_information_of_the_test_provider(cls):
        """Odoo knows the accounting of its providers' codes, not of ``none``."""
        model = cls.env.registry["account.payment.method"]
        known = model._get_payment_method_information

        def information(self):
            return {**known(self), "none": {"mode": "electronic", "type": ("bank",)}}

        with patch.object(model, "_get_payment_method_information", information):
            yield

    @classmethod
    def open_invoice(cls, amount=1000.0, **kwargs):
        # issued a month ago, due in a month: open and not overdue on any day
        kwargs.setdefault("invoice_date", days_from_today(-30))
        kwargs.setdefault("due_date", days_from_today(30))
        return cls.make_invoice(amount=amount, **kwargs)

    @classmethod
    def token_of(cls, invoice):
        link = invoice.sudo().crm_pay_link_id
        return link.url.rsplit("/", 1)[1], link

    def page(self, token, suffix="", **kwargs):
        return self.url_open(f"/pay/{token}{suffix}", **kwargs)

    def csrf_of(self, html):
        match = re.search(r'name="csrf_token"\s+value="([^"]+)"', html)
        return match and match[1]

    def form_values(self, access_token, landing_route, **params):
        """What Odoo's payment form sends to a transaction route."""
        return {
            "provider_id": self.provider.id,
            "payment_method_id": self.payment_method.id,
            "token_id": None,
            "flow": "direct",
            "tokenization_requested": False,
            "landing_route": landing_route,
            "is_validation": False,
            "access_token": access_token,
            **params,
        }

    def start_payment(self, token, route=None, **params):
        """What Odoo's payment form sends to the link's transaction route
        (``route``: the link's path, ``token`` by default)."""
        values = self.form_values(token, "/ignored", **params)
        return self.jsonrpc(f"/pay/{route or token}/transaction", values)

    def jsonrpc(self, route, params):
        """Odoo's ``make_jsonrpc_request``; a refusal raises
        :class:`Refused`, which carries the message the customer reads."""
        answer = self.url_open(
            route,
            data=json.dumps(
                {"id": 0, "jsonrpc": "2.0", "method": "call", "params": params}
            ),
            headers={"Content-Type": "application/json"},
        )
        answer.raise_for_status()
        decoded = answer.json()
        if "error" in decoded:
            data = decoded["error"]["data"]
            raise Refused(data["name"], data.get("message", ""))
        return decoded.get("result")

    def simulate(self, reference, state="done"):
        """The provider's notification of the transaction ``reference``:
        what any provider's webhook does (``_set_<state>``); Odoo records a
        confirmed payment when the customer's page or its job polls."""
        transaction = self.transaction(reference)
        if state == "done":
            transaction._set_done()
        elif state == "pending":
            transaction._set_pending()
        elif state == "cancel":
            transaction._set_canceled()
        else:
            transaction._set_error("The test provider refused the payment.")
        self.env.flush_all()

    def transaction(self, reference):
        return (
            self.env["payment.transaction"]
            .sudo()
            .search([("reference", "=", reference)])
        )

    @classmethod
    def overdue(cls, count, amount=100.0, partner=None, currency=None):
        """``count`` invoices due 8 days ago: the first reminder is due."""
        return cls.env["account.move"].concat(
            *(
                cls.make_invoice(
                    amount=amount + index,
                    invoice_date=days_from_today(-40),
                    due_date=days_from_today(-8),
                    partner=partner,
                    currency=currency,
                )
                for index in range(count)
            )
        )

    def issue(self, invoices):
        """The statement link of ``invoices``: its token and the link."""
        link = self.env["crm.invoices.statement.link"].sudo()._issue(invoices)
        return link.url.rsplit("/", 1)[1], link

    def paying(self, invoices):
        """How many transactions pay some of ``invoices``."""
        return (
            self.env["payment.transaction"]
            .sudo()
            .search_count([("invoice_ids", "in", invoices.ids)])
        )

    def start_statement_payment(self, token, **params):
        return self.start_payment(token, route=f"statement/{token}", **params)

    def start_portal_payment(self, invoice, **params):
        """What Odoo's portal payment form sends for ``invoice``."""
        values = self.form_values(
            invoice._portal_ensure_token(),
            invoice.get_portal_url(),
            amount=invoice.amount_residual,
            **params,
        )
        return self.jsonrpc(f"/invoice/transaction/{invoice.id}", values)

    def stored_tokens_of(self, link):
        self.env.cr.execute(
            "SELECT * FROM crm_invoices_pay_link WHERE id = %s", [link.id]
        )
        return repr(self.env.cr.fetchall())

    @staticmethod
    def digest(token):
        return pay_token.token_digest(token)
