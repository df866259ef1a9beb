from odoo.addons.crm_invoices_payment_link.controllers import pay


class PayLinkController(pay.PayLinkController):
    def _pay_may_save_card(self, link):
        """An invoice's pay link offers to keep the card when the invoice
        repeats on a schedule that charges saved cards (the customer ticks
        Odoo's *Save my payment details*)."""
        if super()._pay_may_save_card(link) or link._pay_kind != "":
            return super()._pay_may_save_card(link)
        return bool(link._pay_invoices().sudo()._crm_autopay_schedules())
