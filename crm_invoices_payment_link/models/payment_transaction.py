from odoo import fields, models


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    crm_pay_link_id = fields.Many2one(
        "crm.invoices.pay.link",
        string="Pay Link",
        index="btree_not_null",
        readonly=True,
        ondelete="set null",
    )
    crm_statement_link_id = fields.Many2one(
        "crm.invoices.statement.link",
        string="Statement Pay Link",
        index="btree_not_null",
        readonly=True,
        ondelete="set null",
    )
