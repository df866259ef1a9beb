from odoo import fields, models

from .. import queries


class CrmInvoicesEfacturaSubmission(models.Model):
    """One upload of an invoice to ANAF's SPV, and what became of it.

    The row is written and committed *before* the upload: it is the
    idempotency key of the upload.  A unique index allows one live
    submission per invoice, so two jobs, a retry or a double click can never
    upload the same invoice twice; an upload whose outcome is unknown
    (timeout, crash) stays live until ANAF's message list says whether it
    arrived.  Rows of uploads that happened are never deleted: they are the
    invoice's history (a claim undone because the token or a call limit
    stopped the upload before it happened leaves nothing).
    """

    _name = "crm.invoices.efactura.submission"
    _description = "e-Factura Submission"
    _order = "id desc"
    _rec_name = "index"

    move_id = fields.Many2one(
        "account.move", string="Invoice", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="move_id.company_id", store=True, index=True)
    state = fields.Selection(
        [
            ("uploading", "Uploading"),
            ("unknown", "Outcome unknown"),
            ("sent", "Sent"),
            ("accepted", "Accepted"),
            ("rejected", "Rejected"),
            ("error", "Refused at upload"),
            ("failed", "Not uploaded"),
            ("lost", "Not received"),
            ("expired", "Not found in time"),
        ],
        required=True,
        default="uploading",
        help="Uploading / Outcome unknown: an upload was started and ANAF's "
        "answer is not known yet (it is looked up in ANAF's message list "
        "before any new upload). Not uploaded: the upload did not happen "
        "(odd answer). Not received: ANAF never listed it. Not found in time: "
        "ANAF's list no longer reaches back to it; look in the SPV.",
    )
    index = fields.Char(string="Upload Index", readonly=True, copy=False, index=True)
    download_id = fields.Char(string="Download Id", readonly=True, copy=False)
    attempt_date = fields.Datetime(
        string="Uploaded On", default=fields.Datetime.now, readonly=True
    )
    answer_date = fields.Datetime(string="Answered On", readonly=True)
    next_check = fields.Datetime(string="Next Status Check", readonly=True)
    check_count = fields.Integer(string="Status Checks", readonly=True)
    message = fields.Text(string="ANAF's Message", readonly=True)
    xml_attachment_id = fields.Many2one(
        "ir.attachment", string="XML Sent", readonly=True
    )
    answer_attachment_id = fields.Many2one(
        "ir.attachment", string="ANAF's Answer", readonly=True
    )
    signature = fields.Char(readonly=True)
    adopted = fields.Boolean(
        readonly=True,
        help="The index was found in ANAF's message list after an upload "
        "whose answer was lost, instead of uploading again.",
    )

    _sql_constraints = [
        (
            "index_company_uniq",
            "UNIQUE(company_id, index)",
            "An ANAF upload index belongs to one invoice.",
        ),
    ]

    def init(self):
        res = super().init()
        queries.create_one_live_submission_index(self.env.cr)
        return res
