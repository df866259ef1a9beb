from odoo import api, fields, models

from ..lib import anaf_client

#: ANAF allows 10 downloads of one message a day; the exchange keeps a
#: margin (a download that failed counts: ANAF may have counted it).
MAX_DOWNLOADS_PER_DAY = 5


class CrmInvoicesEfacturaAnswer(models.Model):
    """ANAF's answer ZIP of one message, downloaded once and kept.

    Status checks, and the search for an upload whose answer was lost, read
    ANAF's answers again and again; each is downloaded from ANAF once (and
    at most :data:`MAX_DOWNLOADS_PER_DAY` tries a day when ANAF fails)."""

    _name = "crm.invoices.efactura.answer"
    _description = "e-Factura: ANAF's Answer"
    _rec_name = "download_id"

    company_id = fields.Many2one(
        "res.company", required=True, index=True, ondelete="cascade", readonly=True
    )
    download_id = fields.Char(required=True, readonly=True)
    raw = fields.Binary(attachment=False, readonly=True)
    tries = fields.Integer(readonly=True)
    tried_on = fields.Date(readonly=True)

    _sql_constraints = [
        (
            "company_download_uniq",
            "UNIQUE(company_id, download_id)",
            "One answer per ANAF message.",
        ),
    ]

    @api.model
    def _fetch(self, company, client, download_id):
        """The :class:`anaf_client.Answer` of ``download_id``: kept, or
        downloaded now (``AnafError`` when ANAF fails, or when this message
        was tried too often today)."""
        answers = self.sudo()
        answer = answers.search(
            [("company_id", "=", company.id), ("download_id", "=", download_id)],
            limit=1,
        )
        if answer.raw:
            return anaf_client.parse_answer(answer.raw)
        today = fields.Date.context_today(self)
        tries = answer.tries if answer and answer.tried_on == today else 0
        if tries >= MAX_DOWNLOADS_PER_DAY:
            raise anaf_client.AnafError(
                "daily_limit",
                f"message {download_id} was downloaded {tries} times today",
            )
        values = {"tries": tries + 1, "tried_on": today}
        if not answer:
            answer = answers.create(
                {"company_id": company.id, "download_id": download_id, **values}
            )
        else:
            answer.write(values)
        # a failure raises; the try is kept with what the caller commits
        parsed = client.download(download_id)
        answer.raw = parsed.raw
        return parsed
