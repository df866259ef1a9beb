from datetime import timedelta

from odoo import api, fields, models

from ..lib import spv_schedule


class CrmInvoicesEfacturaPause(models.Model):
    """A kind of call to ANAF's SPV that waits, for one company, and why.

    ANAF counts its limits per company and per kind of call (uploads, status
    checks, downloads, the message list) and per day, and answers a refused
    token the same way to every call.  Instead of a failed submission, an
    XML and a chatter message on an invoice at every run, the exchange waits
    until the limit resets, and the company's accountants are told once,
    when the pause starts."""

    _name = "crm.invoices.efactura.pause"
    _description = "e-Factura: ANAF Calls Waiting"
    _order = "until desc"

    company_id = fields.Many2one(
        "res.company", required=True, index=True, ondelete="cascade", readonly=True
    )
    call = fields.Selection(
        [
            ("all", "All calls"),
            ("upload", "Uploads"),
            ("status", "Status checks"),
            ("download", "Downloads"),
            ("list", "Message list"),
        ],
        required=True,
        readonly=True,
    )
    until = fields.Datetime(required=True, readonly=True)
    reason = fields.Text(string="ANAF's Answer", readonly=True)
    told_on = fields.Datetime(string="Accountants Told On", readonly=True)

    _sql_constraints = [
        (
            "company_call_uniq",
            "UNIQUE(company_id, call)",
            "One pause per company and kind of call.",
        ),
    ]

    @api.model
    def _is_paused(self, company, call):
        """Whether ``call`` waits for ``company`` now."""
        now = fields.Datetime.now()
        return bool(
            self.sudo().search_count(
                [
                    ("company_id", "=", company.id),
                    ("call", "in", (call, "all")),
                    ("until", ">", now),
                ],
                limit=1,
            )
        )

    @api.model
    def _pause(self, company, call, error):
        """Make ``call`` (``"all"`` for a refused token) wait for ``company``
        after the :class:`AnafError` ``error``; tell the accountants when the
        pause starts -- once a day at most while the same answer lasts (a
        refused token is tried again every hour)."""
        now = fields.Datetime.now()
        if error.kind == "auth":
            call = "all"
        until = spv_schedule.pause_until(now, error.kind)
        pauses = self.sudo()
        existing = pauses.search(
            [("company_id", "=", company.id), ("call", "=", call)], limit=1
        )
        tell = (
            not existing
            or existing.reason != error.message
            or not existing.told_on
            or existing.told_on <= now - timedelta(days=1)
        ) and not (existing and existing.until > now)
        values = {"until": until, "reason": error.message}
        if tell:
            values["told_on"] = now
        if existing:
            values["until"] = max(existing.until, until)
            existing.write(values)
        else:
            pauses.create({"company_id": company.id, "call": call, **values})
        if tell:
            self._tell_accountants(company, call, until, error.message)
        return tell

    @api.model
    def _tell_accountants(self, company, call, until, reason):
        """One inbox message to the company's accounting administrators."""
        users = (
            self.env.ref("account.group_account_manager")
            .sudo()
            .users.filtered(lambda user: company in user.company_ids and user.active)
        )
        if not users:
            return
        what = dict(self._fields["call"]._description_selection(self.env))[call]
        self.env["mail.thread"].sudo().message_notify(
            partner_ids=users.partner_id.ids,
            subject=self.env._(
                "e-Factura: ANAF calls wait (%(company)s)", company=company.name
            ),
            body=self.env._(
                "%(what)s of %(company)s to ANAF's SPV wait until %(until)s (UTC): "
                'ANAF answered "%(reason)s". Nothing is lost: they go on by '
                "themselves then.",
                what=what,
                company=company.name,
                until=fields.Datetime.to_string(until),
                reason=reason,
            ),
        )
