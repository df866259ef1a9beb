"""Odoo's portal invoice page, one more door to the same money.

A payment confirmed through another door (a pay link, a statement link) and
not recorded yet is recorded before the page is drawn, so that the portal
shows the invoice paid instead of offering to pay it again.
"""

from odoo.addons.account_payment.controllers.portal import PortalAccount


class PayLinkPortalAccount(PortalAccount):
    def _invoice_get_page_view_values(self, invoice, access_token, **kwargs):
        invoice.sudo()._crm_post_process_confirmed()
        return super()._invoice_get_page_view_values(invoice, access_token, **kwargs)
