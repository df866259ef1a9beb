import json
import logging

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

from ..lib import deadline, efactura_states, rule_help, validation

_logger = logging.getLogger(__name__)


class AccountMove(models.Model):
    _inherit = "account.move"

    crm_efactura_state = fields.Selection(
        list(efactura_states.STATES),
        string="e-Factura",
        compute="_compute_crm_efactura_state",
        store=True,
        index=True,
        tracking=True,
        help="To send: valid, waiting for the next exchange with ANAF. Sending: "
        "being uploaded. Sent: ANAF has it and is processing it. Accepted: "
        "ANAF accepted it and signed it. Rejected: ANAF refused it (its errors "
        "are on the invoice: correct, reset and post again). Error: it cannot "
        "be sent as it is (local validation errors, or an upload refused).",
    )
    crm_efactura_step = fields.Selection(
        list(efactura_states.STEPS),
        string="e-Factura Exchange Step",
        copy=False,
        readonly=True,
        help="What l10n_ro_edi's own state does not say: waiting for the "
        "exchange, being uploaded, refused by ANAF's rules here or by ANAF.",
    )
    crm_efactura_index = fields.Char(
        string="e-Factura Index", copy=False, readonly=True, index=True
    )
    crm_efactura_deadline = fields.Date(
        string="e-Factura Deadline",
        compute="_compute_crm_efactura_deadline",
        store=True,
        help="The last day to report the invoice to ANAF: five working days "
        "after its date (weekends and Romanian public holidays not counted).",
    )
    crm_efactura_urgency = fields.Selection(
        [
            ("late", "Late"),
            ("today", "Due today"),
            ("soon", "Due soon"),
            ("ok", "On time"),
        ],
        string="e-Factura Urgency",
        compute="_compute_crm_efactura_urgency",
        search="_search_crm_efactura_urgency",
    )
    crm_efactura_findings = fields.Text(
        string="e-Factura Findings (JSON)", copy=False, readonly=True
    )
    crm_efactura_findings_html = fields.Html(
        string="e-Factura Findings",
        compute="_compute_crm_efactura_findings_html",
        sanitize=False,
    )
    crm_efactura_checked = fields.Datetime(
        string="e-Factura Checked On", copy=False, readonly=True
    )
    crm_efactura_submission_ids = fields.One2many(
        "crm.invoices.efactura.submission",
        "move_id",
        string="e-Factura Submissions",
        readonly=True,
    )
    crm_efactura_display = fields.Selection(
        list(deadline.DISPLAY),
        string="e-Factura Status",
        compute="_compute_crm_efactura_display",
        help="What ANAF has of the invoice (sent, accepted, rejected), else how "
        "urgent reporting it is (late, due today), else not sent yet.",
    )
    crm_efactura_next_step = fields.Char(
        string="What to Do Next",
        compute="_compute_crm_efactura_display",
    )
    crm_efactura_applicable = fields.Boolean(
        string="e-Factura Applies", compute="_compute_crm_efactura_applicable"
    )

    # ------------------------------------------------------------------
    # computes
    # ------------------------------------------------------------------

    @api.depends("l10n_ro_edi_state", "crm_efactura_step")
    def _compute_crm_efactura_state(self):
        for move in self:
            move.crm_efactura_state = efactura_states.invoice_state(
                move.l10n_ro_edi_state, move.crm_efactura_step
            )

    @api.depends("move_type", "company_id.country_id")
    def _compute_crm_efactura_applicable(self):
        for move in self:
            move.crm_efactura_applicable = move._crm_efactura_in_scope()

    def _crm_efactura_in_scope(self):
        """Customer invoices and credit notes of Romanian companies."""
        self.ensure_one()
        return (
            self.move_type in ("out_invoice", "out_refund")
            and self.company_id.account_fiscal_country_id.code == "RO"
        )

    @api.depends("invoice_date", "move_type", "state", "company_id")
    def _compute_crm_efactura_deadline(self):
        for move in self:
            move.crm_efactura_deadline = (
                deadline.deadline(move.invoice_date)
                if move.state == "posted" and move._crm_efactura_in_scope()
                else False
            )

    @api.depends("crm_efactura_deadline", "crm_efactura_state")
    @api.depends_context("tz")
    def _compute_crm_efactura_urgency(self):
        today = fields.Date.context_today(self)
        for move in self:
            move.crm_efactura_urgency = deadline.urgency(
                move.crm_efactura_deadline, today, move.crm_efactura_state
            )

    @api.depends("crm_efactura_state", "crm_efactura_urgency", "state")
    @api.depends_context("tz")
    def _compute_crm_efactura_display(self):
        validation_off = self._crm_efactura_validation_off()
        for move in self:
            applicable = move._crm_efactura_in_scope()
            move.crm_efactura_display = applicable and deadline.display(
                move.crm_efactura_state,
                move.crm_efactura_urgency,
                move.state == "posted",
            )
            move.crm_efactura_next_step = applicable and move._crm_efactura_next_step(
                validation_off
            )

    def _crm_efactura_next_step(self, validation_off):
        """What the user should do next about this invoice's e-Factura, in
        words (the e-Factura tab says it)."""
        self.ensure_one()
        _ = self.env._
        state = self.crm_efactura_state
        if state == "accepted":
            return _("ANAF accepted the invoice: nothing left to do.")
        if state in efactura_states.AT_ANAF:  # accepted: said above
            return _(
                "ANAF has the invoice and is processing it: its answer is read by "
                "the exchange job, every ten minutes."
            )
        if validation_off:
            return _(
                "Local validation is off: ANAF's validation files are not set up "
                "(Settings > Invoices > e-Factura), so nothing is checked or sent. "
                "Ask an administrator to set them up."
            )
        if self.state != "posted":
            return _(
                "Post the invoice: it is then checked with ANAF's rules and sent "
                "(within five working days of its date)."
            )
        if state == "rejected":
            return _(
                "ANAF rejected the invoice (its reasons are below): reset it to "
                "draft, correct it and post it again; it is sent again."
            )
        if state == "error":
            return _(
                "The invoice does not pass ANAF's rules (below): correct it (reset "
                "it to draft if needed) and use Check e-Factura, then Send e-Factura."
            )
        if state == "to_send":
            return _("Valid: the exchange job sends it to ANAF within ten minutes.")
        return _(
            "Not sent yet: use Send e-Factura (it is checked first). Deadline: "
            "%(deadline)s.",
            deadline=self.crm_efactura_deadline or "",
        )

    @api.model
    def _crm_efactura_validation_off(self):
        """Whether local validation is off: the folder of ANAF's files is
        not set or lacks some (nothing is checked or sent then)."""
        folder = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("crm_invoices_efactura.artifacts_path")
        )
        return bool(validation.missing_artifacts(folder))

    def _search_crm_efactura_urgency(self, operator, value):
        if operator not in ("=", "in"):
            raise UserError(self.env._("Unsupported search on the e-Factura urgency."))
        today = fields.Date.context_today(self)
        levels = [value] if operator == "=" else list(value)
        return expression.OR(
            [deadline.urgency_domain(level, today) for level in levels]
        )

    @api.depends("crm_efactura_findings")
    def _compute_crm_efactura_findings_html(self):
        for move in self:
            move.crm_efactura_findings_html = move._crm_efactura_findings_markup()

    def _crm_efactura_findings_markup(self):
        findings = json.loads(self.crm_efactura_findings or "[]")
        if not findings:
            return False
        rows = []
        for finding in findings:
            helps = [
                self.env._(
                    "%(what)s: set %(where)s",
                    what=self.env._(what),
                    where=self.env._(where),
                )
                for _term, what, where in rule_help.explain(finding.get("text"))
            ]
            severity = (
                self.env._("Error")
                if finding.get("severity") == "error"
                else self.env._("Warning")
            )
            rows.append(
                Markup(
                    "<tr><td class='text-nowrap'><b>%s</b><br/><small>%s</small></td>"
                    "<td>%s%s</td></tr>"
                )
                % (
                    finding.get("rule") or "",
                    severity,
                    finding.get("text") or "",
                    Markup("").join(
                        Markup("<br/><i class='fa fa-wrench'/> %s") % text
                        for text in helps
                    ),
                )
            )
        return Markup(
            "<table class='table table-sm'><tbody>%s</tbody></table>"
        ) % Markup("").join(rows)

    # ------------------------------------------------------------------
    # messages
    # ------------------------------------------------------------------

    @api.model
    def _crm_efactura_error_text(self, error, **values):
        """The words of a :class:`cius_ro.CiusRoError` for the user."""
        values = {**error.values, **values}
        _ = self.env._
        texts = {
            "tax_category_missing": lambda: _(
                "Tax %(tax)s has 0%% and no Tax Category Code: set it on the tax "
                "(Z zero-rated, E exempt, AE reverse charge, K intra-EU, G export, "
                "O not subject to VAT).",
                **values,
            ),
            "tax_category_rate": lambda: _(
                "Tax %(tax)s: category %(category)s does not go with its rate "
                "(%(amount)s%%).",
                **values,
            ),
            "tax_exemption_reason_missing": lambda: _(
                "Tax %(tax)s (category %(category)s) needs an exemption reason: "
                "set its Tax Exemption Reason Code or e-Factura Exemption Reason.",
                **values,
            ),
            "line_text_too_long": lambda: _(
                'Line "%(line)s": its label has %(length)s characters; e-Factura '
                "carries at most %(limit)s (name, description and note).",
                **values,
            ),
            "bucharest_sector_missing": lambda: _(
                "%(partner)s: an address in Bucharest needs its sector as the city "
                '(Sector 1 to Sector 6), not "%(city)s".',
                **values,
            ),
            "buyer_identifier_missing": lambda: _(
                "%(partner)s: a Romanian company needs its CUI (Tax ID, or Company "
                "ID when it is not registered for VAT).",
                **values,
            ),
            "seller_identifier_missing": lambda: _(
                "%(partner)s: your company needs a valid CUI (Tax ID, or Company ID "
                "when it is not registered for VAT).",
                **values,
            ),
        }
        text = texts.get(error.code)
        return text() if text else error.code

    # ------------------------------------------------------------------
    # building and checking
    # ------------------------------------------------------------------

    def _crm_efactura_build(self):
        """The CIUS-RO XML of the invoice and the builder's errors."""
        self.ensure_one()
        xml, errors = self.env["crm.invoices.efactura.xml"]._export_invoice(self)
        return xml, sorted(error for error in errors if error)

    @api.model
    def _crm_efactura_validator(self):
        """The validator of the official files' folder (the setting).

        :raises UserError: when the folder is not set or lacks files: local
            validation is off, and nothing is sent without it.
        """
        folder = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("crm_invoices_efactura.artifacts_path")
        )
        try:
            return validation.validator_for(folder)
        except validation.ArtifactsMissing as missing:
            # which files are missing is for the administrator (the log);
            # the user is told what it means and who can fix it
            _logger.warning(
                "e-Factura validation is off: %s lacks %s",
                missing.folder or "(no folder set)",
                ", ".join(missing.missing),
            )
            raise UserError(
                self.env._(
                    "Local e-Factura validation is off: ANAF's validation files "
                    "are not set up (Settings > Invoices > e-Factura). Nothing is "
                    "checked or sent to ANAF until an administrator sets them up."
                )
            ) from missing
        except validation.ValidatorUnavailable as broken:
            raise UserError(
                self.env._("Local e-Factura validation failed to start: %s", broken)
            ) from broken

    def _crm_efactura_check(self):
        """Build and validate the invoice as ANAF would; record the findings.

        :return: ``(xml, findings)``, the findings as dictionaries, errors
            first; the builder's errors come first, as rule ``ODOO``.
        """
        self.ensure_one()
        validator = self._crm_efactura_validator()
        xml, build_errors = self._crm_efactura_build()
        findings = [
            {
                "layer": "odoo",
                "rule": "ODOO",
                "severity": "error",
                "text": text,
                "location": "",
            }
            for text in build_errors
        ]
        if not build_errors:
            findings += [finding.__dict__ for finding in validator.validate(xml)]
        self.sudo().write(
            {
                "crm_efactura_findings": json.dumps(findings) if findings else False,
                "crm_efactura_checked": fields.Datetime.now(),
            }
        )
        return xml, findings

    def _crm_efactura_set_findings_from_anaf(self, text):
        """ANAF's own errors about the invoice, shown like local findings."""
        findings = [
            {
                "layer": "spv",
                "rule": "ANAF",
                "severity": "error",
                "text": line,
                "location": "",
            }
            for line in (text or "").splitlines()
            if line.strip()
        ]
        self.sudo().crm_efactura_findings = json.dumps(findings) if findings else False

    def _crm_efactura_error_lines(self):
        """The errors of the last check, one line each."""
        return [
            f"{finding['rule']}: {finding['text']}"
            for finding in json.loads(self.crm_efactura_findings or "[]")
            if finding["severity"] == "error"
        ]

    @staticmethod
    def _crm_efactura_has_errors(findings):
        return any(finding["severity"] == "error" for finding in findings)

    def action_crm_efactura_check(self):
        """Check e-Factura: the same check as before an upload, on drafts too."""
        self.check_access("read")
        moves = self.filtered(lambda move: move._crm_efactura_in_scope())
        invalid = self.browse()
        for move in moves:
            _xml, findings = move._crm_efactura_check()
            if self._crm_efactura_has_errors(findings):
                invalid |= move
        valid = moves - invalid
        return self._crm_bulk_result(
            self.env._("%(count)s invoice(s) pass ANAF's rules."),
            valid,
            {
                self.env._(
                    "does not pass ANAF's rules: see its e-Factura tab"
                ): invalid,
                self.env._("not a Romanian customer invoice"): self - moves,
            },
        )

    # ------------------------------------------------------------------
    # queueing
    # ------------------------------------------------------------------

    def _crm_efactura_queue(self):
        """Posted invoices of ours wait for the next exchange with ANAF (the
        job is triggered at once); those already reported are left alone."""
        queued = self.filtered(
            lambda move: (
                move.state == "posted"
                and move._crm_efactura_in_scope()
                and move.crm_efactura_state in efactura_states.SENDABLE
                and not move.crm_efactura_submission_ids.filtered(
                    lambda sub: sub.state in efactura_states.LIVE_SUBMISSIONS
                )
            )
        )
        if queued:
            queued.sudo().write({"crm_efactura_step": "to_send"})
            cron = self.env.ref(
                "crm_invoices_efactura.ir_cron_crm_invoices_efactura_exchange",
                raise_if_not_found=False,
            )
            if cron:
                cron.sudo()._trigger()
        return queued

    def action_crm_efactura_send(self):
        """Send to e-Factura: check now, queue what passes."""
        self.check_access("write")
        eligible = self.filtered(
            lambda move: move.state == "posted" and move._crm_efactura_in_scope()
        )
        busy = eligible.filtered(
            lambda move: move.crm_efactura_state in efactura_states.QUEUED
        )
        invalid = self.browse()
        for move in eligible - busy:
            _xml, findings = move._crm_efactura_check()
            if self._crm_efactura_has_errors(findings):
                invalid |= move
        invalid.sudo().write({"crm_efactura_step": "error"})
        queued = (eligible - busy - invalid)._crm_efactura_queue()
        return self._crm_bulk_result(
            self.env._("%(count)s invoice(s) queued for ANAF."),
            queued,
            {
                self.env._("queued, sent or accepted already"): busy,
                self.env._(
                    "does not pass ANAF's rules: see its e-Factura tab"
                ): invalid,
                self.env._("not a posted Romanian customer invoice"): self - eligible,
            },
        )

    def _post(self, soft=True):
        posted = super()._post(soft)
        posted.filtered(
            lambda move: (
                move._crm_efactura_in_scope() and move.company_id.crm_efactura_auto_send
            )
        )._crm_efactura_queue()
        return posted

    # ------------------------------------------------------------------
    # guards: what ANAF has cannot be changed here
    # ------------------------------------------------------------------

    @api.depends("crm_efactura_state")
    def _compute_show_reset_to_draft_button(self):
        # EXTENDS l10n_ro_edi: also while an upload is under way
        res = super()._compute_show_reset_to_draft_button()
        for move in self:
            if move.crm_efactura_state in efactura_states.AT_ANAF:
                move.show_reset_to_draft_button = False
        return res

    def button_draft(self):
        reported = self.filtered(
            lambda move: move.crm_efactura_state in efactura_states.AT_ANAF
        )
        if reported:
            raise UserError(
                self.env._(
                    "%(invoices)s: ANAF has the invoice (or is receiving it); it "
                    "cannot "
                    "be changed. Issue a credit note to correct it.",
                    invoices=", ".join(reported.mapped("name")),
                )
            )
        res = super().button_draft()
        # a rejected or invalid invoice is corrected as a draft, then posted again
        self.filtered(
            lambda move: move.crm_efactura_state in efactura_states.CLEARED_BY_RESET
        ).sudo().write({"crm_efactura_step": False})
        return res

    # ------------------------------------------------------------------
    # l10n_ro_edi's own entry points go through the same checks
    # ------------------------------------------------------------------

    def _l10n_ro_edi_get_pre_send_errors(self, xml_data="", assert_xml=False):
        """EXTENDS l10n_ro_edi: it looks for the company's ANAF token, which
        only administrators may read (res.company): look as superuser, for
        the accountant who sends."""
        errors = super(AccountMove, self.sudo())._l10n_ro_edi_get_pre_send_errors(
            xml_data=xml_data, assert_xml=assert_xml
        )
        return errors

    def _l10n_ro_edi_send_invoice(self, xml_data):
        """OVERRIDE l10n_ro_edi: never upload from here; check, then queue
        for the exchange job, which uploads once."""
        self.ensure_one()
        self.action_crm_efactura_send()

    def _l10n_ro_edi_fetch_invoice_sent_documents(self):
        """OVERRIDE l10n_ro_edi: the status of what was sent, through the
        exchange job's client (batched, rate-limited)."""
        self.env["crm.invoices.efactura.exchange"].sudo()._poll(
            self.crm_efactura_submission_ids.filtered(lambda sub: sub.state == "sent"),
            force=True,
        )

    # ------------------------------------------------------------------
    # the files
    # ------------------------------------------------------------------

    def _crm_efactura_sent_xml(self):
        """The XML ANAF has (the last upload's), else the XML as built now."""
        self.ensure_one()
        last = self.crm_efactura_submission_ids.filtered("xml_attachment_id")[:1]
        if last:
            return last.xml_attachment_id.sudo().raw
        return self._crm_efactura_build()[0]

    def action_crm_efactura_download_xml(self):
        self.ensure_one()
        return self.env["ir.attachment"]._crm_efactura_download(
            self,
            f"{(self.name or 'draft').replace('/', '_')}_efactura.xml",
            self._crm_efactura_sent_xml(),
            "application/xml",
        )
