"""The statement pay page: ``/pay/statement/<token>``, one payment for the
overdue invoices a statement lists.

The invoice pay page's machinery (Odoo's payment form, the providers of the
company, ``_create_transaction``, ``account_payment``'s reconciliation) with a
transaction that carries every invoice still due: Odoo reconciles the one
payment against each.  The amount is the server's: what is left on them, in
full (a customer who wants to pay one invoice uses its own link).
"""

from odoo import fields, http
from odoo.exceptions import ValidationError
from odoo.http import request

from .pay import PayLinkController

#: The states in which the page shows the statement's invoices.
SHOWN = ("active", "paid")


class PayStatementController(PayLinkController):
    def _statement_link(self, token):
        return request.env["crm.invoices.statement.link"]._find(token)

    def _statement_render(self, template, link, token, invoices, status=200, **values):
        """Render ``template`` for the statement ``link``, listing
        ``invoices``: only what the page charges (the invoices still due),
        has charged (a transaction's) or says are paid -- never an invoice
        reset to draft or cancelled since the statement was sent."""
        lang = self._pay_lang(link)
        request.update_context(lang=lang)
        company = link.company_id
        html = request.env["ir.ui.view"]._render_template(
            template,
            {
                "link": link.with_context(lang=lang),
                "statement": True,
                "invoices": invoices.sorted(
                    lambda move: (move.invoice_date_due or fields.Date.today(), move.id)
                ).with_context(lang=lang),
                "company": company,
                "res_company": company,
                "token": token,
                "no_header": True,
                "no_footer": True,
                "title": company.name,
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

    def _statement_closed(self, link, token, state):
        if state == "paid":
            return self._statement_render(
                "crm_invoices_payment_link.pay_statement_paid",
                link,
                token,
                link._paid_moves(),
            )
        # a closed link's page shows nothing of the invoices
        return self._statement_render(
            "crm_invoices_payment_link.pay_closed",
            link,
            token,
            link.move_ids.browse(),
            status=410,
            reason=state,
        )

    @http.route(
        "/pay/statement/<string:token>",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
        website=True,
        multilang=False,
    )
    def pay_statement_page(self, token, **kwargs):
        link = self._statement_link(token)
        if not link:
            return self._pay_not_found()
        # a payment confirmed and not recorded yet (any door) is recorded
        # first: the page then shows what is really left
        link.move_ids._crm_post_process_confirmed()
        state = link._state_at(fields.Datetime.now())
        if state != "active":
            return self._statement_closed(link, token, state)
        link._mark_opened()
        due = link._due_moves()
        amount = link.amount_due
        providers, methods = self._providers_for(
            link.company_id, link.partner_id, link.currency_id, amount
        )
        return self._statement_render(
            "crm_invoices_payment_link.pay_statement_page",
            link,
            token,
            due,
            due=due,
            to_pay=amount,
            providers_sudo=providers,
            payment_methods_sudo=methods,
            tokens_sudo=request.env["payment.token"].sudo().browse(),
            allow_token_selection=False,
            show_tokenize_input_mapping=dict.fromkeys(providers.ids, False),
            reference_prefix=None,
            amount=amount,
            currency=link.currency_id,
            partner_id=link.partner_id.id,
            transaction_route=f"/pay/statement/{token}/transaction",
            landing_route=f"/pay/statement/{token}/status",
            access_token=token,
        )

    @http.route(
        "/pay/statement/<string:token>/transaction",
        type="json",
        auth="public",
        sitemap=False,
    )
    def pay_statement_transaction(self, token, **kwargs):
        """Create the transaction paying what is left on the statement's
        invoices: every one of them, in full, at the server's amounts."""
        link = self._statement_link(token)
        if not link:
            raise ValidationError(request.env._("This link does not take payments."))
        # one payment of an invoice at a time, whatever the door: a payment
        # started at once here and on an invoice's own link (or the portal)
        # waits here, then is refused below
        due = link._due_moves()
        due._crm_hold_for_payment()
        if link._state_at(fields.Datetime.now(), due) != "active":
            raise ValidationError(request.env._("This link does not take payments."))
        refusal = due._crm_payment_refusal()
        if refusal:
            raise ValidationError(refusal)
        self._check_payment_kwargs(kwargs)
        kwargs.pop("amount", None)  # the server's amount, never the browser's
        amount = sum(due.mapped("amount_residual"))
        self._check_payment_method(
            self._providers_for(
                link.company_id, link.partner_id, link.currency_id, amount
            ),
            kwargs,
        )
        link._count_attempt()
        return self._start_transaction(
            amount,
            due,
            link.partner_id,
            f"/pay/statement/{token}/status",
            {"crm_statement_link_id": link.id},
            kwargs,
        )

    @http.route(
        "/pay/statement/<string:token>/status",
        type="http",
        auth="public",
        sitemap=False,
        website=True,
        multilang=False,
    )
    def pay_statement_status(self, token, **kwargs):
        """Where the customer lands after paying."""
        link = self._statement_link(token)
        if not link:
            return self._pay_not_found()
        transaction = self._last_transaction(link, link.move_ids)
        state = link._state_at(fields.Datetime.now())
        if state not in SHOWN:
            return self._statement_closed(link, token, state)
        return self._statement_render(
            "crm_invoices_payment_link.pay_status",
            link,
            token,
            # what the payment paid, else what is left to pay
            transaction.invoice_ids or link._due_moves(),
            transaction=transaction,
            retry_url=f"/pay/statement/{token}",
        )
