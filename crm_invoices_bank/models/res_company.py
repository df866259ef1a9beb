from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    crm_bank_fee_account_id = fields.Many2one(
        "account.account",
        string="Bank Fees Account",
        check_company=True,
        help="Where the small difference between a transfer and the invoice it "
        'pays goes, with the "Bank fees" button of the reconciliation.',
    )
    crm_bank_fee_limit = fields.Monetary(
        string="Bank Fees up to",
        currency_field="currency_id",
        default=50.0,
        help='The largest shortfall that "Accept with bank fees" writes off '
        "to the bank fees account; a larger one is a part payment.",
    )

    def _crm_bank_fee_model(self):
        """The company's "Bank fees" write-off button, if any."""
        self.ensure_one()
        if not self.crm_bank_fee_account_id:
            return self.env["account.reconcile.model"]
        return (
            self.env["account.reconcile.model"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.id),
                    ("rule_type", "=", "writeoff_button"),
                    ("line_ids.account_id", "=", self.crm_bank_fee_account_id.id),
                ],
                limit=1,
            )
        )

    def _crm_bank_reconcile_models(self):
        """Each company's reconciliation models of the Invoices app: the
        matching rule (reconciles what is certain) and the bank fees
        write-off button.  Created once per company."""
        models = self.env["account.reconcile.model"].sudo()
        for company in self:
            existing = models.search(
                [("company_id", "=", company.id), ("crm_bank_matching", "=", True)],
                limit=1,
            )
            if not existing:
                models.create(
                    {
                        "name": self.env._("Invoices: reference, IBAN and amount"),
                        "company_id": company.id,
                        "rule_type": "invoice_matching",
                        "crm_bank_matching": True,
                        "auto_reconcile": True,
                        "match_nature": "amount_received",
                        "sequence": 1,
                        "match_partner": False,
                        "match_same_currency": False,
                        "allow_payment_tolerance": False,
                    }
                )
            if company.crm_bank_fee_account_id:
                if not company._crm_bank_fee_model():
                    models.create(
                        {
                            "name": self.env._("Bank fees"),
                            "company_id": company.id,
                            "rule_type": "writeoff_button",
                            "line_ids": [
                                (
                                    0,
                                    0,
                                    {
                                        "account_id": (
                                            company.crm_bank_fee_account_id.id
                                        ),
                                        "amount_type": "percentage",
                                        "amount_string": "100",
                                        "label": self.env._("Bank fees"),
                                    },
                                )
                            ],
                        }
                    )
        return True

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._crm_bank_reconcile_models()
        return companies

    def write(self, vals):
        res = super().write(vals)
        if "crm_bank_fee_account_id" in vals or "chart_template" in vals:
            self._crm_bank_reconcile_models()
        return res
