from odoo import models
from odoo.exceptions import UserError


class AccountMove(models.Model):
    """What the REST API asks of an invoice (hooks other addons extend)."""

    _inherit = "account.move"

    def _crm_api_repost_refusal(self):
        """Why a REST API change may not reset this posted invoice to draft and
        post it again, or ``None`` when it may.

        Other addons add their reasons with ``super()`` (e-Factura: an invoice
        sent to the tax authority).
        """
        self.ensure_one()
        if not self.company_id.crm_api_repost:
            return self.env._(
                "changes to posted invoices through the API are turned off in "
                "%(company)s",
                company=self.company_id.name,
            )
        if self._crm_has_payments():
            return self.env._("it has payments: unreconcile them first")
        if not self.show_reset_to_draft_button:
            return self.env._(
                "Odoo does not allow resetting it to draft (locked, secured or "
                "waiting for a cancellation request)"
            )
        try:
            self._check_fiscal_lock_dates()
        except UserError as error:
            return str(error)
        return None

    def _crm_api_set_recurrence(self, recurrence):
        """Make this invoice repeat as a Perfex client asked (a
        :class:`..lib.perfex_recurrence.Recurrence`; ``interval`` 0: stop).

        Without an addon that makes invoices repeat, Perfex's recurring
        fields are accepted without effect: nothing changes.

        :return: whether something changed
        """
        self.ensure_one()
        return False
