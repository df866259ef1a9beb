from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request

from ..lib import perfex


class CrmInvoicesRedirect(http.Controller):
    """The addresses CRM users have in their bookmarks."""

    @http.route(
        ["/admin/invoices", "/admin/invoices/list_invoices"],
        type="http",
        auth="user",
        methods=["GET"],
    )
    def admin_invoices(self, **kwargs):
        return request.redirect("/odoo/crm-invoices")

    @http.route(
        [
            "/admin/invoices/list_invoices/<int:invoice_id>",
            "/admin/invoices/invoice/<int:invoice_id>",
        ],
        type="http",
        auth="user",
        methods=["GET"],
    )
    def admin_invoice(self, invoice_id, **kwargs):
        return request.redirect(f"/odoo/crm-invoices/{invoice_id}")

    @http.route("/admin/api/api_management", type="http", auth="user", methods=["GET"])
    def admin_api_management(self, **kwargs):
        return request.redirect("/odoo/crm-invoices-api-tokens")


class CrmInvoicesPublicLink(http.Controller):
    """Perfex's public invoice link, ``/invoice/<id>/<hash>``: clients build it
    from an invoice's ``id`` and ``hash``."""

    @http.route(
        "/invoice/<int:invoice_id>/<string:invoice_hash>",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
    )
    def public_invoice(self, invoice_id, invoice_hash, **kwargs):
        """The customer's portal page of the invoice (where it can be read,
        downloaded and paid), for the right hash only."""
        # sudo: the hash is the visitor's proof, checked before anything is read
        moves = request.env["account.move"].sudo()
        expected = moves.browse(invoice_id)._crm_hash()[invoice_id]
        if not perfex.same_hash(expected, invoice_hash):
            raise NotFound()
        invoice = moves.browse(invoice_id).exists()
        if (
            not invoice
            or invoice.move_type != "out_invoice"
            or invoice.state != "posted"
        ):
            raise NotFound()
        invoice._portal_ensure_token()
        return request.redirect(invoice._crm_portal_urls()[invoice.id], local=False)
