from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    crm_recurring_invoice_state = fields.Selection(
        [
            ("draft", "Draft"),
            ("posted", "Posted"),
            ("sent", "Posted and sent"),
        ],
        string="Recurring Invoices Are",
        default="sent",
        required=True,
        help="What a schedule's invoice is when it is made: a draft to check, "
        "posted, or posted and emailed to the customer with its pay link.",
    )
    crm_recurring_price = fields.Selection(
        [("written", "As written"), ("pricelist", "Current price list")],
        string="Recurring Prices",
        default="written",
        required=True,
        help="The prices of a schedule's invoices: those of the invoice it "
        "repeats, or the customer's price list on the day each is made.",
    )
    crm_recurring_autopay = fields.Boolean(
        string="Offer to Save Cards",
        default=True,
        help="New schedules offer the customer, on the pay page, to save the "
        "card they pay with; the schedule's later invoices are then charged "
        "to it when issued.",
    )
