from collections import defaultdict

from odoo import models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "crm.invoices.bulk.mixin"]

    def action_crm_invoice_and_post(self):
        """One click on an accepted quotation: invoice the rest, post it, open it."""
        self.ensure_one()
        refusal = self._crm_invoice_refusal()
        if refusal:
            raise UserError(
                self.env._("%(order)s: %(reason)s.", order=self.name, reason=refusal)
            )
        invoices = self._crm_create_posted_invoices()
        return invoices._get_records_action(name=self.env._("Invoice"))

    def action_crm_bulk_invoice_and_post(self):
        """The same as :meth:`action_crm_invoice_and_post` on a selection of orders."""
        skipped = defaultdict(lambda: self.browse())
        for order in self:
            skipped[order._crm_invoice_refusal()] |= order
        allowed = skipped.pop(None, self.browse())
        invoices = allowed._crm_create_posted_invoices() if allowed else allowed
        next_action = None
        if invoices:
            next_action = invoices._get_records_action(name=self.env._("Invoices"))
        return self._crm_bulk_result(
            self.env._("%(count)s invoice(s) created and posted."),
            invoices,
            skipped,
            next_action=next_action,
        )

    def _crm_invoice_refusal(self):
        """Why this order cannot be invoiced in one click, or ``None``."""
        self.ensure_one()
        if self.state != "sale":
            return self.env._("the quotation is not accepted (confirmed) yet")
        if self.invoice_status != "to invoice":
            return self.env._("nothing to invoice")
        return None

    def _crm_create_posted_invoices(self):
        """Create one posted invoice per order, at most once per order.

        The orders are locked first: a double click or two users at once
        cannot invoice the same lines twice (the second one waits, then finds
        nothing left to invoice).
        """
        if not self.env["res.company"]._with_locked_records(self, allow_raising=False):
            raise UserError(
                self.env._(
                    "These orders are being invoiced by someone else; try again."
                )
            )
        # Another transaction may have invoiced them while we waited for the lock.
        self.invalidate_recordset(["invoice_status"])
        self.order_line.invalidate_recordset(["qty_invoiced", "qty_to_invoice"])
        nothing = self.filtered(lambda order: order.invoice_status != "to invoice")
        if nothing:
            raise UserError(
                self.env._(
                    "Nothing left to invoice on %(orders)s.",
                    orders=", ".join(nothing.mapped("name")),
                )
            )
        invoices = self.with_context(raise_if_nothing_to_invoice=True)._create_invoices(
            grouped=True
        )
        invoices.action_post()
        return invoices
