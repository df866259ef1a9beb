from odoo import fields, models


class AccountReconcileModel(models.Model):
    _inherit = "account.reconcile.model"

    crm_bank_matching = fields.Boolean(
        string="Match by Reference, IBAN and Amount",
        help="Invoices app: find the invoices a line pays from the invoice number "
        "as people type it, the payer's IBAN and the exact amount (or the sum of "
        "several invoices); reconcile only what is certain, suggest the rest.",
    )

    def _get_invoice_matching_rules_map(self):
        # EXTENDS account_reconcile_model_oca: our rule before OCA's own
        rules_map = super()._get_invoice_matching_rules_map()
        if self.crm_bank_matching:
            rules_map[5].append(self._crm_bank_matching_candidates)
        return rules_map

    def _crm_bank_matching_candidates(self, st_line, partner):
        """The invoices ``st_line`` pays, as OCA's rules return them: their
        receivable lines, and whether the match is certain.  The match
        stored at import is used; a line never matched is matched now."""
        if st_line.crm_not_invoice:
            return None
        if not st_line.crm_match_kind:
            st_line._crm_match()
        if st_line.crm_match_kind not in ("auto", "suggestion"):
            return None
        amls = st_line.crm_match_move_ids.line_ids._crm_receivable().filtered(
            lambda aml: not aml.reconciled
        )
        if not amls:
            return None
        return {
            "allow_auto_reconcile": st_line.crm_match_kind == "auto",
            "amls": amls,
        }
