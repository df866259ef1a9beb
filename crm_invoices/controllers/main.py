from odoo import http
from odoo.http import request


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
