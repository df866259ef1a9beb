"""The hosted pay pages: ``/pay/<token>`` (an invoice's link) and
``/pay/<kind>/<token>`` (any other kind of link: ``statement``, the overdue
invoices a statement lists), for a visitor with only the link.

Odoo's payment machinery does the paying: the page renders Odoo's payment form
with the providers of the invoices' company, transactions are created by
Odoo's ``_create_transaction`` for the invoices, and ``account_payment`` turns
a done transaction into a posted payment reconciled with each.  What is added:
the link (its token is the visitor's only credential, checked before
anything is read), the amount from the server, the link's life (paid,
revoked, expired, closed).  The link says what is being paid
(:class:`crm.invoices.pay.link.mixin`): one controller for every kind.
"""

import logging

from werkzeug.exceptions import NotFound

from odoo import fields, http
from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.http import request

from odoo.addons.account_payment.controllers.payment import PaymentPortal

from ..lib import pay_amount

_logger = logging.getLogger(__name__)

PAGE_LANGS = ("ro_RO", "en_US")
#: The states in which a page shows what the link pays.
SHOWN = ("active", "paid")
#: What every page route is (the link's token is the only credential).
PAGE = {
    "type": "http",
    "auth": "public",
    "sitemap": False,
    "website": True,
    "multilang": False,
}


class PayLinkController(PaymentPortal):
    # ------------------------------------------------------------------
    # the link of a URL
    # ------------------------------------------------------------------

    def _pay_link(self, token, kind=""):
        """The link of ``token`` of ``kind`` (sudo: the token is the
        visitor's proof), or an empty recordset / ``None`` for no kind."""
        model = request.env["crm.invoices.pay.link.mixin"]._pay_model_of(kind)
        return model._find(token) if model is not None else None

    # ------------------------------------------------------------------
    # rendering
    # ------------------------------------------------------------------

    def _pay_lang(self, partner):
        """Romanian or English: the customer's language, else the
        browser's."""
        installed = {code for code, _name in request.env["res.lang"].get_installed()}
        partner_lang = partner.lang or ""
        for code in PAGE_LANGS:
            if code in installed and partner_lang[:2] == code[:2]:
                return code
        accepted = request.httprequest.accept_languages
        best = accepted.best_match(
            [code.replace("_", "-") for code in PAGE_LANGS if code in installed]
        )
        return best.replace("-", "_") if best else "en_US"

    def _pay_render(self, template, link, token, invoices=None, status=200, **values):
        """Render ``template`` for ``link``, listing ``invoices`` (only what
        the page charges, has charged or says is paid -- never an invoice
        reset to draft or cancelled since the link was sent).  A closed
        link's page names the company, never what it was for."""
        lang = self._pay_lang(link._pay_partner())
        request.update_context(lang=lang)
        company = link._pay_company()
        shown = template != "crm_invoices_payment_link.pay_closed"
        if invoices is None or not shown:
            invoices = request.env["account.move"]
        html = request.env["ir.ui.view"]._render_template(
            template,
            {
                "link": link.with_context(lang=lang),
                "summary": link._pay_summary_template,
                "invoices": invoices.sorted(
                    lambda move: (move.invoice_date_due or fields.Date.today(), move.id)
                ).with_context(lang=lang),
                "statement": False,
                "company": company,
                "res_company": company,
                "token": token,
                "path": link._pay_path(token),
                "renewable": link._pay_kind == "",
                "no_header": True,
                "no_footer": True,
                **(link.with_context(lang=lang)._pay_page_values() if shown else {}),
                **({"title": company.name} if not shown else {}),
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

    def _pay_closed(self, link, token, state, status=410):
        """The page of a link that does not take payments: a paid link's
        thank-you (with what was paid), else why it is closed."""
        if state == "paid":
            return self._pay_render(
                "crm_invoices_payment_link.pay_paid",
                link,
                token,
                link._pay_paid_invoices(),
            )
        return self._pay_render(
            "crm_invoices_payment_link.pay_closed",
            link,
            token,
            status=status,
            reason=state,
        )

    # ------------------------------------------------------------------
    # paying
    # ------------------------------------------------------------------

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
        """The providers and payment methods of the link's company that may
        take ``amount`` in its currency from its customer."""
        company, partner = link._pay_company(), link._pay_partner()
        currency = link._pay_currency()
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

    def _pay_may_save_card(self, link):
        """Whether the page offers to keep the card for the customer's later
        invoices (an addon that charges them says when: ``super()``)."""
        return False

    def _check_payment_kwargs(self, kwargs, may_save=False):
        """What a visitor's payment request may not ask for: a payment
        method check, a saved card, keeping the card (unless ``may_save``:
        the page offered it).  Adjusts ``kwargs`` for Odoo's
        ``_create_transaction``."""
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
        kwargs["tokenization_requested"] = bool(
            may_save and kwargs.get("tokenization_requested")
        )
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

    def _pay_form_values(self, link, token, amount):
        """What Odoo's payment form needs."""
        providers, methods = self._pay_providers(link, amount)
        may_save = self._pay_may_save_card(link)
        path = link._pay_path(token)
        invoices = link._pay_invoices()
        return {
            "providers_sudo": providers,
            "payment_methods_sudo": methods,
            # a visitor holds a link, not the customer's account: no saved cards
            # to pay with (keeping the card paid with is offered where allowed)
            "tokens_sudo": request.env["payment.token"].sudo().browse(),
            "allow_token_selection": False,
            "show_tokenize_input_mapping": {
                provider.id: may_save and provider.allow_tokenization
                for provider in providers
            },
            "reference_prefix": invoices.name if len(invoices) == 1 else None,
            "amount": float(amount),
            "currency": link._pay_currency(),
            "partner_id": link._pay_partner().id,
            "transaction_route": f"{path}/transaction",
            "landing_route": f"{path}/status",
            "access_token": token,
        }

    # ------------------------------------------------------------------
    # what every kind's routes do
    # ------------------------------------------------------------------

    def _pay_page(self, link, token, amount=None):
        if not link:
            return self._pay_not_found()
        # a payment confirmed and not recorded yet (any door) is recorded
        # first: the page then shows what is really left
        link._pay_all_invoices()._crm_post_process_confirmed()
        state = link._state_at(fields.Datetime.now())
        if state != "active":
            return self._pay_closed(link, token, state)
        link._mark_opened()
        error = None
        requested = amount if request.httprequest.method == "POST" else None
        try:
            to_pay = link._pay_amount(requested)
        except pay_amount.AmountRefused as refused:
            error = self._amount_message(refused)
            to_pay = link._pay_amount(None)
        return self._pay_render(
            "crm_invoices_payment_link.pay_page",
            link,
            token,
            link._pay_invoices(),
            status=422 if error else 200,
            error=error,
            requested=requested,
            to_pay=float(to_pay),
            partial=link._pay_allows_part(),
            **self._pay_form_values(link, token, to_pay),
        )

    def _pay_transaction(self, link, token, amount, kwargs):
        """Create the transaction of a payment through the link, at the
        server's amount (a part only where the link allows it)."""
        if not link:
            raise ValidationError(request.env._("This link does not take payments."))
        # one payment of an invoice at a time, whatever the door: a second
        # request waits here for the first one's transaction, then is refused
        invoices = link._pay_invoices()
        invoices._crm_hold_for_payment()
        if not invoices or not link._takes_payments():
            raise ValidationError(request.env._("This link does not take payments."))
        refusal = invoices._crm_payment_refusal()
        if refusal:
            raise ValidationError(refusal)
        self._check_payment_kwargs(kwargs, may_save=self._pay_may_save_card(link))
        try:
            to_pay = link._pay_amount(amount)
        except pay_amount.AmountRefused as refused:
            raise ValidationError(self._amount_message(refused)) from refused
        self._check_payment_method(self._pay_providers(link, to_pay), kwargs)
        link._count_attempt()
        tx_sudo = self._create_transaction(
            amount=float(to_pay),
            currency_id=link._pay_currency().id,
            partner_id=link._pay_partner().id,
            landing_route=f"{link._pay_path(token)}/status",
            reference_prefix=None,
            custom_create_values={
                "invoice_ids": [Command.set(invoices.ids)],
                link._pay_transaction_field: link.id,
            },
            **kwargs,
        )
        return tx_sudo._get_processing_values()

    def _pay_status(self, link, token):
        """Where the customer lands after paying: what happened, in words,
        once every confirmed payment of its invoices (through any door) is
        recorded."""
        if not link:
            return self._pay_not_found()
        link._pay_all_invoices()._crm_post_process_confirmed()
        transaction = link.transaction_ids.sorted("id")[-1:]
        state = link._state_at(fields.Datetime.now())
        if state not in SHOWN:
            return self._pay_closed(link, token, state)
        return self._pay_render(
            "crm_invoices_payment_link.pay_status",
            link,
            token,
            # what the payment paid, else what is left to pay
            transaction.invoice_ids or link._pay_invoices(),
            transaction=transaction,
        )

    # ------------------------------------------------------------------
    # routes: an invoice's link, then any other kind
    # ------------------------------------------------------------------

    @http.route("/pay/<string:token>", methods=["GET", "POST"], **PAGE)
    def pay_page(self, token, amount=None, **kwargs):
        return self._pay_page(self._pay_link(token), token, amount)

    @http.route(
        "/pay/<string:token>/transaction", type="json", auth="public", sitemap=False
    )
    def pay_transaction(self, token, amount=None, **kwargs):
        return self._pay_transaction(self._pay_link(token), token, amount, kwargs)

    @http.route("/pay/<string:token>/status", **PAGE)
    def pay_status(self, token, **kwargs):
        return self._pay_status(self._pay_link(token), token)

    @http.route("/pay/<string:kind>/<string:token>", methods=["GET"], **PAGE)
    def pay_kind_page(self, kind, token, **kwargs):
        return self._pay_page(self._pay_link(token, kind), token)

    @http.route(
        "/pay/<string:kind>/<string:token>/transaction",
        type="json",
        auth="public",
        sitemap=False,
    )
    def pay_kind_transaction(self, kind, token, amount=None, **kwargs):
        return self._pay_transaction(self._pay_link(token, kind), token, amount, kwargs)

    @http.route("/pay/<string:kind>/<string:token>/status", **PAGE)
    def pay_kind_status(self, kind, token, **kwargs):
        return self._pay_status(self._pay_link(token, kind), token)

    # ------------------------------------------------------------------
    # an invoice's link only: its PDF, a fresh link for an expired one
    # ------------------------------------------------------------------

    @http.route(
        "/pay/<string:token>/invoice.pdf", type="http", auth="public", sitemap=False
    )
    def pay_pdf(self, token, **kwargs):
        link = self._pay_link(token)
        if not link or link._state_at(fields.Datetime.now()) not in SHOWN:
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

    @http.route("/pay/<string:token>/renew", methods=["POST"], **PAGE)
    def pay_renew(self, token, **kwargs):
        """An expired link emails its customer a fresh one (once per link)."""
        link = self._pay_link(token)
        if not link or link._state_at(fields.Datetime.now()) != "expired":
            return self._pay_not_found()
        sent = link._send_fresh_link()
        return self._pay_closed(
            link, token, "renewed" if sent else "renew_failed", status=200
        )
