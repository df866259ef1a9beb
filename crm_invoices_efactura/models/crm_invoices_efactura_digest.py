from odoo import api, fields, models

from ..lib import efactura_states, spv_schedule


class CrmInvoicesEfacturaDigest(models.AbstractModel):
    """The daily e-Factura digest to each company's accountant: what is
    late, due today, rejected or in error, and the SPV authorization to renew
    by hand within a month (nothing is sent when all is well)."""

    _name = "crm.invoices.efactura.digest"
    _description = "e-Factura Daily Digest"

    @api.model
    def _sections(self, company, today):
        """``[(key, invoices)]`` of the digest of ``company``."""
        moves = self.env["account.move"].sudo().with_company(company)
        base = [("company_id", "=", company.id), ("state", "=", "posted")]
        return [
            ("late", moves.search(base + [("crm_efactura_urgency", "=", "late")])),
            ("today", moves.search(base + [("crm_efactura_urgency", "=", "today")])),
            (
                "problems",
                moves.search(
                    base + [("crm_efactura_state", "in", efactura_states.TO_CORRECT)]
                ),
            ),
        ]

    @api.model
    def _renewal(self, company, today):
        """``(expiry date, days left)`` when the company's SPV authorization
        must be renewed by hand soon (or has expired), else ``None``."""
        expiry = company.sudo().l10n_ro_edi_refresh_expiry_date
        left = spv_schedule.renewal_due(today, expiry)
        return (expiry, left) if left is not None else None

    @api.model
    def _cron_send_digest(self):
        template = self.env.ref("crm_invoices_efactura.mail_template_efactura_digest")
        companies = (
            self.env["res.company"]
            .sudo()
            .search([("crm_efactura_accountant_id", "!=", False)])
        )
        sent = 0
        for company in companies:
            today = fields.Date.context_today(company.crm_efactura_accountant_id)
            sections = dict(self._sections(company, today))
            renewal = self._renewal(company, today)
            if not any(sections.values()) and not renewal:
                continue
            template.with_context(
                crm_invoices_efactura_digest=sections,
                crm_efactura_today=today,
                crm_efactura_renewal=renewal,
            ).send_mail(
                company.id,
                email_values={
                    "email_to": company.crm_efactura_accountant_id.email,
                    "recipient_ids": [],
                },
            )
            sent += 1
        return sent
