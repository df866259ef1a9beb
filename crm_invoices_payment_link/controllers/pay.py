"""The hosted pay page: ``/pay/<token>``, for a visitor with only the link.

Odoo's payment machinery does the paying: the page renders Odoo's payment form
with the providers of the invoice's company, transactions are created by
Odoo's ``_create_transaction`` for the invoice, and ``account_payment`` turns a
done transaction into a posted payment reconciled with it.  What is added:
the link (its token is the visitor's only credential, checked before
anything is read), the amount from the server (a part only if the company
allows it), the link's life (paid, revoked, expired, cancelled invoice).
"""

import logging
from decimal import Decimal

from werkzeug.exceptions import NotFound

from odoo import fields, http
from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.http import request

from odoo.addons.account_payment.controllers.payment import PaymentPortal

from ..lib import pay_amount

_logger = logging.getLogger(__name__)

PAGE_LANGS = ("ro_RO", "en_US")


class PayLinkController(PaymentPortal):
    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------

    def _pay_link(self, token):
        """The link of ``token`` (sudo: the token is the visitor's proof)."""
        return request.env["crm.invoices.pay.link"]._find(token)

    def _pay_lang(self, document):
        """Romanian or English: the customer's language (of ``document``: an
        invoice or a statement link), else the browser's."""
        installed = {code for code, _name in request.env["res.lang"].get_installed()}
        partner_lang = document.partner_id.lang or ""
        for code in PAGE_LANGS:
            if code in installed and partner_lang[:2] == code[:2]:
                return code
        accepted = request.httprequest.accept_languages
        best = accepted.best_match(
            [code.replace("_", "-") for code in PAGE_LANGS if code in installed]
        )
        return best.replace("-", "_") if best else "en_US"

    def _pay_render(self, template, link, status=200, **values):
        invoice = link.move_id
        lang = self._pay_lang(invoice)
        request.update_context(lang=lang)
        # a closed link's page names the company, never the invoice
        shown = template != "crm_invoices_payment_link.pay_closed"
        html = request.env["ir.ui.view"]._render_template(
            template,
            {
                "link": link,
                "invoice": invoice.with_context(lang=lang) if shown else None,
                "company": invoice.company_id,
                "res_company": invoice.company_id,
                "token": values.pop("token"),
                "no_header": True,
                "no_footer": True,
                "title": request.env._("Pay %(invoice)s", invoice=invoice.name)
                if shown
                else invoice.company_id.name,
                **values,
            },
        )
        return request.make_response(
            html,
            headers=[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Cache-Control", "no-store"),
                ("X-Robots-Tag", "noindex"),
            ],
            status=status,
        )

    def _pay_not_found(self):
        html = request.env["ir.ui.view"]._render_template(
            "crm_invoices_payment_link.pay_not_found", {"no_header": True}
        )
        return request.make_response(
            html, headers=[("Content-Type", "text/html; charset=utf-8")], status=404
        )

    def _pay_closed(self, link, token):
        """The page of a link that does not take payments, or ``None`` when
        it does.  The link's state (:func:`pay_rules.link_state`) decides;
        only a paid invoice's page shows the invoice (and its PDF): a revoked,
        expired, cancelled or closed link shows nothing of it."""
        state = link._state_at(fields.Datetime.now())
        if state == "active":
            return None
        if state == "paid":
            return self._pay_render(
                "crm_invoices_payment_link.pay_paid", link, token=token
            )
        return self._pay_render(
            "crm_invoices_payment_link.pay_closed",
            link,
            status=410,
            token=token,
            reason=state,
        )

    def _pay_amount(self, link, requested):
        """The amount of a payment through ``link``: the amount due, or the
        part the customer asked for when the company allows it.  Without part
        payments an amount sent by the browser is ignored: the server's
        amount due is what is paid, even if it changed since the page loaded.
        """
        invoice = link.move_id
        company = invoice.company_id
        if not company.crm_paylink_partial:
            requested = None
        return Decimal(
            pay_amount.amount_to_pay(
                requested,
                invoice.amount_residual,
                invoice.currency_id.decimal_places,
                company.crm_paylink_partial,
                company.crm_paylink_min_amount,
            )
        )

    def _amount_message(self, refused):
        messages = {
            "not_a_number": request.env._("Please enter an amount, e.g. 150.00."),
            "not_positive": request.env._("The amount must be more than zero."),
            "above_due": request.env._(
                "The amount cannot be more than what is due (%(due)s).",
                due=refused.values.get("due"),
            ),
            "below_minimum": request.env._(
                "The smallest amount you can pay is %(minimum)s.",
                minimum=refused.values.get("minimum"),
            ),
            "partial_not_allowed": request.env._(
                "This invoice can only be paid in full (%(due)s).",
                due=refused.values.get("due"),
            ),
        }
        return messages.get(refused.code, request.env._("This amount cannot be paid."))

    def _pay_providers(self, link, amount):
        """The providers and payment methods that may take ``amount`` for the
        link's invoice: its company's, enabled and compatible."""
        invoice = link.move_id
        return self._providers_for(
            invoice.company_id, invoice.partner_id, invoice.currency_id, amount
        )

    def _providers_for(self, company, partner, currency, amount):
        """The providers and payment methods of ``company`` that may take
        ``amount`` in ``currency`` from ``partner``."""
        providers = (
            request.env["payment.provider"]
            .sudo()
            ._get_compatible_providers(
                company.id, partner.id, float(amount), currency_id=currency.id
            )
        )
        methods = (
            request.env["payment.method"]
            .sudo()
            ._get_compatible_payment_methods(
                providers.ids, partner.id, currency_id=currency.id
            )
        )
        return providers, methods

    def _check_payment_kwargs(self, kwargs):
        """What a visitor's payment request may not ask for: a payment
        method check, a saved card, keeping the card.  Adjusts ``kwargs``
        for Odoo's ``_create_transaction``."""
        if kwargs.get("is_validation"):
            # a payment method check charges nothing and pays nothing
            raise ValidationError(request.env._("This link only takes payments."))
        kwargs.pop("access_token", None)
        self._validate_transaction_kwargs(kwargs)
        if kwargs.get("flow") == "token" or kwargs.get("token_id"):
            # the link's holder is not the customer's account: no saved cards
            raise ValidationError(
                request.env._("Saved payment methods cannot be used here.")
            )
        kwargs["tokenization_requested"] = False
        kwargs.pop("landing_route", None)

    def _check_payment_method(self, offered, kwargs):
        """Odoo's ``_create_transaction`` takes any provider id: only those
        the page offers (``offered``: providers and methods of the invoices'
        company, enabled) may take this payment."""
        providers, methods = offered
        if (
            kwargs.get("provider_id") not in providers.ids
            or kwargs.get("payment_method_id") not in methods.ids
        ):
            raise ValidationError(
                request.env._("This payment method cannot pay this invoice.")
            )

    def _start_transaction(self, amount, invoices, partner, landing, link, kwargs):
        """Odoo's transaction of ``amount`` paying ``invoices`` (one
        currency), from the link ``link`` (its field on the transaction):
        what the payment form needs next."""
        tx_sudo = self._create_transaction(
            amount=float(amount),
            currency_id=invoices.currency_id.id,
            partner_id=partner.id,
            landing_route=landing,
            reference_prefix=None,
            custom_create_values={"invoice_ids": [Command.set(invoices.ids)], **link},
            **kwargs,
        )
        return tx_sudo._get_processing_values()

    def _last_transaction(self, link, invoices):
        """The last transaction of ``link``, once every confirmed payment of
        ``invoices`` (through any door) is recorded: the payment is posted
        and reconciled by the time the customer reads the page."""
        invoices._crm_post_process_confirmed()
        return link.transaction_ids.sorted("id")[-1:]

    def _pay_form_values(self, link, token, amount):
        """What Odoo's payment form needs, for the invoice's company."""
        invoice = link.move_id
        partner = invoice.partner_id
        currency = invoice.currency_id
        providers, methods = self._pay_providers(link, amount)
        return {
            "providers_sudo": providers,
            "payment_methods_sudo": methods,
            # a visitor holds a link, not the customer's account: no saved cards
            "tokens_sudo": request.env["payment.token"].sudo().browse(),
            "allow_token_selection": False,
            "show_tokenize_input_mapping": dict.fromkeys(providers.ids, False),
            "reference_prefix": invoice.name,
            "amount": float(amount),
            "currency": currency,
            "partner_id": partner.id,
            "transaction_route": f"/pay/{token}/transaction",
            "landing_route": f"/pay/{token}/status",
            "access_token": token,
        }

    # ------------------------------------------------------------------
    # pages
    # ------------------------------------------------------------------

    @http.route(
        "/pay/<string:token>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        sitemap=False,
        website=True,
        multilang=False,
    )
    def pay_page(self, token, amount=None, **kwargs):
        link = self._pay_link(token)
        if not link:
            return self._pay_not_found()
        # a payment confirmed and not recorded yet (any door) is recorded
        # first: the page then says the invoice is paid
        link.move_id._crm_post_process_confirmed()
        closed = self._pay_closed(link, token)
        if closed is not None:
            return closed
        link._mark_opened()
        error = None
        requested = amount if request.httprequest.method == "POST" else None
        try:
            to_pay = self._pay_amount(link, requested)
        except pay_amount.AmountRefused as refused:
            error = self._amount_message(refused)
            to_pay = self._pay_amount(link, None)
        return self._pay_render(
            "crm_invoices_payment_link.pay_page",
            link,
            status=422 if error else 200,
            token=token,
            error=error,
            requested=requested,
            to_pay=float(to_pay),
            partial=link.move_id.company_id.crm_paylink_partial,
            **self._pay_form_values(link, token, to_pay),
        )

    @http.route(
        "/pay/<string:token>/transaction", type="json", auth="public", sitemap=False
    )
    def pay_transaction(self, token, amount=None, **kwargs):
        """Create the transaction of a payment through the link.

        The amount is the server's: the amount due, or (when the company
        allows part payments) the part asked for, checked against what is due.
        """
        link = self._pay_link(token)
        if not link:
            raise ValidationError(request.env._("This link does not take payments."))
        # One payment of an invoice at a time, whatever the door: a second
        # request waits here for the first one's transaction, then sees it.
        invoice = link.move_id
        invoice._crm_hold_for_payment()
        if not link._takes_payments():
            raise ValidationError(request.env._("This link does not take payments."))
        refusal = invoice._crm_payment_refusal()
        if refusal:
            raise ValidationError(refusal)
        self._check_payment_kwargs(kwargs)
        try:
            to_pay = self._pay_amount(link, amount)
        except pay_amount.AmountRefused as refused:
            raise ValidationError(self._amount_message(refused)) from refused
        self._check_payment_method(self._pay_providers(link, to_pay), kwargs)
        link._count_attempt()
        return self._start_transaction(
            to_pay,
            invoice,
            invoice.partner_id,
            f"/pay/{token}/status",
            {"crm_pay_link_id": link.id},
            kwargs,
        )

    @http.route(
        "/pay/<string:token>/status",
        type="http",
        auth="public",
        sitemap=False,
        website=True,
        multilang=False,
    )
    def pay_status(self, token, **kwargs):
        """Where the customer lands after paying: what happened, in words."""
        link = self._pay_link(token)
        if not link:
            return self._pay_not_found()
        transaction = self._last_transaction(link, link.move_id)
        state = link._state_at(fields.Datetime.now())
        if state not in ("active", "paid"):
            return self._pay_closed(link, token)
        return self._pay_render(
            "crm_invoices_payment_link.pay_status",
            link,
            token=token,
            transaction=transaction,
        )

    @http.route(
        "/pay/<string:token>/invoice.pdf", type="http", auth="public", sitemap=False
    )
    def pay_pdf(self, token, **kwargs):
        link = self._pay_link(token)
        if not link or link._state_at(fields.Datetime.now()) not in ("active", "paid"):
            raise NotFound()
        invoice = link.move_id
        pdf, _type = (
            request.env["ir.actions.report"]
            .sudo()
            ._render_qweb_pdf("account.account_invoices", invoice.ids)
        )
        filename = (invoice.name or "invoice").replace("/", "_") + ".pdf"
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Disposition", f'inline; filename="{filename}"'),
                ("Cache-Control", "no-store"),
            ],
        )

    @http.route(
        "/pay/<string:token>/renew",
        type="http",
        auth="public",
        methods=["POST"],
        sitemap=False,
        website=True,
        multilang=False,
    )
    def pay_renew(self, token, **kwargs):
        """An expired link emails its customer a fresh one (once per link)."""
        link = self._pay_link(token)
        if not link or link._state_at(fields.Datetime.now()) != "expired":
            return self._pay_not_found()
        sent = link._send_fresh_link()
        return self._pay_render(
            "crm_invoices_payment_link.pay_closed",
            link,
            status=200,
            token=token,
            reason="renewed" if sent else "renew_failed",
        )
