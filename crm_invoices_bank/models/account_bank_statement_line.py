from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from .. import queries
from ..lib import bank_iban


class AccountBankStatementLine(models.Model):
    _name = "account.bank.statement.line"
    _inherit = [
        "account.bank.statement.line",
        "crm.invoices.export.mixin",
        "crm.invoices.guarded.mixin",
    ]

    crm_match_kind = fields.Selection(
        [
            ("auto", "Certain"),
            ("suggestion", "Suggested"),
            ("none", "No match"),
            ("rejected", "Suggestion rejected"),
        ],
        string="Match",
        readonly=True,
        copy=False,
        index=True,
    )
    crm_match_confidence = fields.Integer(
        string="Confidence (%)", readonly=True, copy=False
    )
    crm_match_reasons = fields.Char(string="Reason Codes", readonly=True, copy=False)
    crm_match_reasons_text = fields.Char(
        string="Why", compute="_compute_crm_match_reasons_text"
    )
    crm_match_move_ids = fields.Many2many(
        "account.move",
        "crm_bank_statement_line_match_rel",
        "line_id",
        "move_id",
        string="Suggested Invoices",
        readonly=True,
        copy=False,
    )
    crm_not_invoice = fields.Boolean(
        string="Not an Invoice Payment",
        readonly=True,
        copy=False,
        help="Marked by a user: this money does not pay a customer invoice.",
    )
    crm_reconcile_queued = fields.Boolean(
        string="Being Reconciled",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="A certain match of a large statement, reconciled in the background.",
    )
    crm_queued_by_id = fields.Many2one(
        "res.users", string="Imported by", readonly=True, copy=False
    )
    crm_review_status = fields.Selection(
        [
            ("reconciled", "Reconciled"),
            ("queued", "Reconciling"),
            ("not_invoice", "Not an invoice"),
            ("to_review", "To review"),
        ],
        string="Review Status",
        compute="_compute_crm_review_status",
    )
    crm_iban_to_learn = fields.Char(
        string="IBAN to Remember",
        compute="_compute_crm_iban_to_learn",
        help="The payer's IBAN, unknown on the customer this line was matched to.",
    )

    @api.model
    def _crm_guarded_fields(self):
        # what the matcher found and what the background job will reconcile:
        # written by the matcher and the review actions only
        return super()._crm_guarded_fields() | {
            "crm_match_kind",
            "crm_match_confidence",
            "crm_match_reasons",
            "crm_match_move_ids",
            "crm_not_invoice",
            "crm_reconcile_queued",
            "crm_queued_by_id",
        }

    # ------------------------------------------------------------------
    # computes
    # ------------------------------------------------------------------

    @api.depends(
        "crm_match_reasons",
        "crm_match_kind",
        "amount",
        "crm_not_invoice",
        "is_reconciled",
    )
    def _compute_crm_match_reasons_text(self):
        """The reasons in words; a line nothing was found for says why too
        (money paid out, marked by a user, a suggestion rejected, nothing
        pointing at an invoice)."""
        words = self._crm_reason_words()
        _ = self.env._
        for line in self:
            codes = [code for code in (line.crm_match_reasons or "").split(",") if code]
            if codes:
                text = ", ".join(words.get(code, code) for code in codes)
            elif line.amount < 0:
                text = _("money paid out: it pays no customer invoice")
            elif line.crm_not_invoice:
                text = _("marked as not an invoice payment")
            elif line.crm_match_kind == "rejected":
                text = _("the suggestion was rejected: reconcile by hand")
            elif line.crm_match_kind == "none":
                text = _(
                    "no open invoice it pays: no open invoice's number, known IBAN "
                    "or name in it, nor a single open invoice of this amount"
                )
            elif not line.is_reconciled:
                text = _("not matched yet: use Match Again")
            else:
                text = False
            line.crm_match_reasons_text = text

    @api.depends("is_reconciled", "crm_reconcile_queued", "crm_not_invoice")
    def _compute_crm_review_status(self):
        for line in self:
            if line.is_reconciled:
                line.crm_review_status = "reconciled"
            elif line.crm_reconcile_queued:
                line.crm_review_status = "queued"
            elif line.crm_not_invoice:
                line.crm_review_status = "not_invoice"
            else:
                line.crm_review_status = "to_review"

    def _crm_reason_words(self):
        _ = self.env._
        return {
            "reference_exact": _("invoice number in the details"),
            "reference_number_year": _("invoice number and year in the details"),
            "reference_number": _("invoice number (without year) in the details"),
            "iban": _("the payer's IBAN is the customer's"),
            "iban_conflict": _("the payer's IBAN is another customer's"),
            "name": _("the payer's name is the customer's"),
            "name_conflict": _("the payer's name is another customer's"),
            "amount_exact": _("exactly the amount due"),
            "amount_sum": _("exactly the sum of several invoices"),
            "amount_partial": _("less than the amount due (part payment)"),
            "amount_over": _("more than the amount due"),
            "amount_only": _("only the amount matches"),
            "same_amount_several": _("several invoices have this amount"),
            "foreign_amount": _("the amount in the invoice's currency"),
            "issued_after_payment": _("invoice issued after the payment"),
            "in_dispute": _("invoice in dispute: a person decides"),
        }

    @api.depends("account_number", "partner_id", "is_reconciled")
    def _compute_crm_iban_to_learn(self):
        known = (
            self.env["crm.invoices.bank.matcher"]._iban_partners(self.company_id)
            if self
            else {}
        )
        for line in self:
            iban = bank_iban.normalize(line.account_number)
            partner = line.partner_id.commercial_partner_id
            line.crm_iban_to_learn = (
                iban
                if iban and partner and line.is_reconciled and iban not in known
                else False
            )

    # ------------------------------------------------------------------
    # matching (crm.invoices.bank.matcher)
    # ------------------------------------------------------------------

    def _crm_match(self):
        """Match these lines and store the matches."""
        return self.env["crm.invoices.bank.matcher"]._match(self)

    def _crm_match_and_reconcile(self):
        """Match these lines and reconcile the certain matches.
        :return: the lines reconciled"""
        return self.env["crm.invoices.bank.matcher"]._match_and_reconcile(self)[0]

    # ------------------------------------------------------------------
    # reconciling (through OCA's reconciliation)
    # ------------------------------------------------------------------

    def _crm_reconcile_with(self, invoices, certain_only=False, fees=False):
        """Reconcile this line with the receivable lines of ``invoices``,
        oldest first; what is left over stays on the customer as a credit.
        ``fees``: the invoices are paid in full, the shortfall (up to the
        company's limit) going to its bank fees account.

        The line and the invoices' receivable lines are locked and read
        again first: a line is never reconciled twice, and an invoice is never
        paid twice by two lines at once.  ``certain_only``: refuse when the
        amount no longer equals what is left (another line paid meanwhile).
        """
        self.ensure_one()
        self.env["account.move.line"].flush_model()
        receivables = invoices.line_ids._crm_receivable()
        queries.lock_for_reconciliation(self.env, self, receivables)
        self.invalidate_recordset()
        receivables.invalidate_recordset()
        if self.is_reconciled:
            raise UserError(self.env._("This statement line is reconciled already."))
        open_lines = receivables.filtered(lambda aml: not aml.reconciled).sorted(
            lambda aml: (aml.date_maturity or aml.date, aml.id)
        )
        if not open_lines:
            raise UserError(self.env._("These invoices are paid already."))
        partners = open_lines.partner_id.commercial_partner_id
        if len(partners) > 1:
            raise UserError(
                self.env._("One line can only pay invoices of one customer.")
            )
        if certain_only:
            left = sum(open_lines.mapped("amount_residual_currency"))
            amount = (
                self.amount_currency
                if self.foreign_currency_id
                and self.foreign_currency_id == open_lines.currency_id
                else self.amount
            )
            if open_lines.currency_id.compare_amounts(amount, left) != 0:
                raise UserError(self.env._("The amount due changed: to review."))
        if self.partner_id.commercial_partner_id != partners:
            self._crm_set_partner(partners)
        liquidity_lines, _suspense_lines, _other_lines = self._seek_for_lines()
        data = []
        for liquidity in liquidity_lines:
            _aux, lines = self._get_reconcile_line(liquidity, "liquidity", move=True)
            data += lines
        amount = self.amount_currency or self.amount
        auxiliary = 1
        for aml in open_lines:
            auxiliary, lines = self._get_reconcile_line(
                aml,
                "other",
                is_counterpart=True,
                max_amount=not fees and amount,
                reconcile_auxiliary_id=auxiliary,
                move=True,
            )
            amount -= sum(line.get("amount") for line in lines)
            data += lines
        result = self._recompute_suspense_line(data, auxiliary, self.manual_reference)
        if fees:
            result = self._crm_write_off_fees(result, auxiliary)
        if not result.get("can_reconcile"):
            raise UserError(
                self.env._("This line cannot be reconciled with these invoices.")
            )
        mode = self.journal_id.reconcile_mode or "edit"
        self.reconcile_mode = mode
        getattr(self, f"_reconcile_bank_line_{mode}")(
            self._prepare_reconcile_line_data(result["data"])
        )
        self.reconcile_data = False
        # what it was reconciled with (the caller checked the reviewer)
        self.sudo().crm_match_move_ids = invoices
        self.env["crm.invoices.webhook.event"]._crm_emit(
            "bank_line.reconciled",
            invoices,
            lambda move: {
                "statement_line_id": str(self.id),
                "amount": f"{self.amount:.{self.currency_id.decimal_places}f}",
                "date": str(self.date),
                "payer": self.partner_name or None,
            },
        )
        return True

    def _crm_set_partner(self, partner):
        """The line's customer, on the line, its entry and its liquidity and
        suspense items -- what OCA's partner synchronization writes, without
        what it computes next: OCA reads the suggestion of every line in the
        prefetch again (all its reconciliation rules, the partner lookup by
        name over all journal items), which made an import quadratic."""
        quiet = {"skip_account_move_synchronization": True}
        self.with_context(**quiet).partner_id = partner
        liquidity, suspense, _other = self._seek_for_lines()
        self.move_id.with_context(skip_readonly_check=True, **quiet).write(
            {
                "partner_id": partner.id,
                "line_ids": [
                    Command.update(line.id, {"partner_id": partner.id})
                    for line in liquidity | suspense
                ],
            }
        )

    def _crm_write_off_fees(self, result, auxiliary):
        """``result`` (OCA's reconciliation data) with its shortfall written
        off by the company's "Bank fees" button, when it is one."""
        company = self.company_id
        model = company._crm_bank_fee_model()
        if not model:
            raise UserError(
                self.env._(
                    "Choose a bank fees account in the settings of the Invoices app "
                    "first."
                )
            )
        shortfall = sum(
            line["amount"] for line in result["data"] if line["kind"] == "suspense"
        )
        currency = company.currency_id
        if currency.compare_amounts(shortfall, 0) <= 0:
            raise UserError(
                self.env._("This line pays the invoices in full: there is no fee.")
            )
        if currency.compare_amounts(shortfall, company.crm_bank_fee_limit) > 0:
            raise UserError(
                self.env._(
                    "The difference (%(amount)s) is more than the bank fees limit "
                    "(%(limit)s): accept it as a part payment instead.",
                    amount=currency.format(shortfall),
                    limit=currency.format(company.crm_bank_fee_limit),
                )
            )
        return self._recompute_suspense_line(
            *self._reconcile_data_by_model(result["data"], model, auxiliary),
            self.manual_reference,
        )

    # ------------------------------------------------------------------
    # review actions
    # ------------------------------------------------------------------

    def _crm_check_reviewer(self):
        self.env["account.bank.statement.line"].check_access("write")
        self.check_access("write")

    def action_crm_accept(self):
        """Accept the suggested invoices (part payments and over-payments
        included: an excess stays on the customer as a credit)."""
        return self._crm_accept()

    def action_crm_accept_with_fees(self):
        """Accept the suggested invoices as paid in full: the small shortfall
        (bank fees taken on the way) is written off to the fees account."""
        return self._crm_accept(fees=True)

    def _crm_accept(self, fees=False):
        self._crm_check_reviewer()
        for line in self:
            if not line.crm_match_move_ids:
                raise UserError(
                    self.env._(
                        "%(line)s has no suggested invoice.", line=line.display_name
                    )
                )
            line._crm_reconcile_with(line.crm_match_move_ids, fees=fees)
        return self._crm_learn_proposal()

    def action_crm_reject(self):
        """Reject the suggestion: the line stays to reconcile by hand."""
        self._crm_check_reviewer()
        self.sudo().write(
            {"crm_match_kind": "rejected", "crm_match_move_ids": [(5, 0, 0)]}
        )
        return True

    def action_crm_not_invoice(self):
        """Not a customer's payment of an invoice: out of the review list."""
        self._crm_check_reviewer()
        self.sudo().write({"crm_not_invoice": True})
        return True

    def action_crm_back_to_review(self):
        self._crm_check_reviewer()
        self.sudo().write({"crm_not_invoice": False})
        self.filtered(lambda line: not line.is_reconciled)._crm_match()
        return True

    def action_crm_undo(self):
        """Undo the reconciliation: the line stays, to review again."""
        self._crm_check_reviewer()
        for line in self.filtered("is_reconciled"):
            line.unreconcile_bank_line()
        self.filtered(lambda line: not line.is_reconciled)._crm_match()
        return True

    def action_crm_rematch(self):
        self._crm_check_reviewer()
        self._crm_match_and_reconcile()
        return True

    def action_crm_open_reconcile(self):
        """This line in OCA's reconciliation screen (pick other invoices,
        split, write off a difference)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_reconcile_oca.action_bank_statement_line_reconcile"
        )
        action["domain"] = [("id", "=", self.id)]
        action["context"] = {
            "default_journal_id": self.journal_id.id,
            "view_ref": "account_reconcile_oca.bank_statement_line_form_reconcile_view",
        }
        return action

    def action_crm_learn_iban(self):
        """Remember the payer's IBAN on the customer: next time its
        payments are recognised by the account they come from."""
        self._crm_check_reviewer()
        banks = self.env["res.partner.bank"]
        for line in self.filtered("crm_iban_to_learn"):
            banks |= banks.create(
                {
                    "acc_number": line.crm_iban_to_learn,
                    "partner_id": line.partner_id.commercial_partner_id.id,
                    "allow_out_payment": False,
                }
            )
        return bool(banks)

    def _crm_learn_proposal(self):
        """After a match by hand: offer to remember unknown IBANs."""
        learnable = self.filtered("crm_iban_to_learn")
        if not learnable:
            return True
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Remember the payer's IBAN?"),
                "message": self.env._(
                    "%(count)s line(s) came from an IBAN not known on the customer. "
                    'Use "Remember IBAN" on the line so that the next payments from '
                    "it are recognised.",
                    count=len(learnable),
                ),
                "type": "info",
                "sticky": False,
            },
        }

    # ------------------------------------------------------------------
    # OCA's automatic reconciliation: deferred during an import
    # ------------------------------------------------------------------

    def _auto_reconcile(self):
        # EXTENDS account_reconcile_oca: an import matches its lines in one
        # batch afterwards (crm_bank_defer_matching), not one query per line
        if self.env.context.get("crm_bank_defer_matching"):
            return None
        return super()._auto_reconcile()
