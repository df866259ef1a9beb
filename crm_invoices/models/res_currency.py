from odoo import api, fields, models

from ..lib.perfex_ids import PERFEX_CURRENCY_IDS


class ResCurrency(models.Model):
    _inherit = "res.currency"

    crm_perfex_id = fields.Integer(
        string="Perfex Id",
        index="btree_not_null",
        help="The id of this currency in Perfex CRM (1 USD and 2 EUR in a new "
        "Perfex): the REST API reads and writes 'currency' with it.",
    )

    _sql_constraints = [
        (
            "crm_perfex_id_uniq",
            "UNIQUE(crm_perfex_id)",
            "Another currency has this Perfex id.",
        ),
    ]

    @api.model
    def _crm_currency_table(self, companies):
        """Odoo's currency table of today's rates for ``companies`` (what its
        invoice analysis converts with), built from the rates as they are in
        this transaction: Odoo builds it in SQL without flushing them."""
        self.env["res.currency.rate"].flush_model()
        self.env["res.company"].flush_model(["currency_id", "parent_id"])
        return self._get_simple_currency_table(companies)

    @api.model
    def _crm_load_perfex_ids(self):
        """Perfex's default currency ids, where no currency has them yet (an
        administrator's mapping is never overwritten)."""
        currencies = self.with_context(active_test=False)
        taken = set(
            currencies.search([("crm_perfex_id", "!=", False)]).mapped("crm_perfex_id")
        )
        for code, perfex_id in PERFEX_CURRENCY_IDS.items():
            currency = currencies.search(
                [("name", "=", code), ("crm_perfex_id", "=", False)], limit=1
            )
            if currency and perfex_id not in taken:
                currency.crm_perfex_id = perfex_id
