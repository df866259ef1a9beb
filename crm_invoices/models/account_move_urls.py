from odoo import models

from .. import queries
from ..lib import perfex


class AccountMove(models.Model):
    """Where a customer sees and pays an invoice: portal and pay URLs, and the
    public ``hash`` of Perfex's links."""

    _inherit = "account.move"

    def crm_get_pay_url(self):
        """Where the customer pays this invoice online (in the reminder emails).

        The invoice gets its portal access token if it has none yet.
        """
        self.ensure_one()
        known = self.env.context.get("crm_pay_urls") or {}
        if self.id in known:  # the batch's, read once (the reminder job)
            return known[self.id]
        self._portal_ensure_token()
        return self._crm_pay_urls()[self.id]

    def _crm_ensure_tokens(self):
        """Give those of ``self`` without one a portal access token, in one
        query (what :meth:`_portal_ensure_token` does one invoice at a time,
        through a write of the invoice)."""
        if not self:
            return
        queries.ensure_access_tokens(self.env, self)

    def _crm_hash(self):
        """The invoice's public ``hash`` (Perfex clients build ``/invoice/<id>/<hash>``
        from it): an HMAC of its id with the database secret, stored nowhere."""
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret")
        return {move.id: perfex.invoice_hash(move.id, secret) for move in self}

    def _crm_pay_urls(self):
        """``{invoice id: URL where the customer pays it}``, for a batch.

        The one place that says where an invoice is paid: the reminder emails
        use it.  By default the customer's portal page (:meth:`_crm_portal_urls`,
        with Odoo's payment providers); ``crm_invoices_payment_link`` returns
        its hosted pay-now links instead.
        """
        return self._crm_portal_urls()

    def _crm_statement_pay_url(self):
        """Where the customer pays all of ``self`` (its overdue invoices) at
        once, for the statement email; ``None`` here: the statement then links
        each invoice's own pay URL.  ``crm_invoices_payment_link`` returns its
        hosted statement page."""
        return None

    def _crm_portal_urls(self, access_tokens=None):
        """``{invoice id: the customer's portal page of the invoice}``, for a
        batch (the REST API's ``portal_url``, the Perfex public link).

        With the access token when the invoice has one (reading never writes
        one).  One query for the batch (the API asks for 100 at a time), none
        when the caller read the tokens already (``access_tokens``: ``{invoice
        id: token}``); the base URL is the database's (``get_base_url``:
        invoices have no website of their own).
        """
        if not self:
            return {}
        if access_tokens is None:
            moves = self.sudo()
            moves.fetch(["access_token"])
            access_tokens = {move.id: move.access_token for move in moves}
        base = self[:1].get_base_url()
        return {
            move_id: f"{base}/my/invoices/{move_id}"
            + (
                f"?access_token={access_tokens[move_id]}"
                if access_tokens.get(move_id)
                else ""
            )
            for move_id in self.ids
        }
