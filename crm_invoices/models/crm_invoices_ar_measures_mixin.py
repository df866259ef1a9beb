from odoo import fields, models


class CrmInvoicesArMeasuresMixin(models.AbstractModel):
    """What the AR reports measure alike: by company, customer and
    salesperson, DSO over 90 days of credit sales and the rate of invoices
    paid by their due date (ratios of sums: the ratio mixin).

    Each report says in its fields' help over which time it measures them
    (today, or a month's end), and in ``_ratio_measures`` which of its
    columns is the receivable.
    """

    _name = "crm.invoices.ar.measures.mixin"
    _inherit = "crm.invoices.ratio.mixin"
    _description = "Accounts receivable measures"

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(
        "res.currency", string="Company Currency", readonly=True
    )
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    invoice_user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    credit_sales_window = fields.Monetary(
        string="Credit Sales (90 days)", currency_field="currency_id", readonly=True
    )
    dso = fields.Float(string="DSO (days)", readonly=True, digits=(16, 1))
    due_count = fields.Integer(string="Invoices Due", readonly=True)
    paid_on_time_count = fields.Integer(string="Paid On Time", readonly=True)
    on_time_rate = fields.Float(
        string="Paid On Time (%)", readonly=True, digits=(16, 1)
    )
