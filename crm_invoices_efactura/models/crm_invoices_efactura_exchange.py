import logging
from datetime import timezone

import requests
from psycopg2 import OperationalError

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.service.model import PG_CONCURRENCY_ERRORS_TO_RETRY

from odoo.addons.crm_invoices.lib.batch_job import may_commit

from .. import queries
from ..lib import anaf_client, spv_schedule

_logger = logging.getLogger(__name__)

#: What refreshing the SPV token may raise (l10n_ro_edi's method: ANAF's
#: refusal, the network, an answer that is not a token).
REFRESH_ERRORS = (UserError, ValidationError, requests.RequestException, ValueError)

#: Per run, to stay well within ANAF's daily call limits; the next run
#: (every few minutes) goes on where this one stopped.
MAX_UPLOADS = 200
MAX_STATUS_CHECKS = 300


class CrmInvoicesEfacturaExchange(models.AbstractModel):
    """The exchange with ANAF's SPV: upload what is due, ask the status of
    what was sent, download ANAF's answers, and find out what became of an
    upload whose answer was lost.

    Every step that changes what ANAF has is committed on its own (this is a
    batch job that keeps its progress): the submission row of an upload is
    committed *before* the upload, and the unique index on live submissions
    makes a second upload of an invoice impossible, whatever runs at once.
    """

    _name = "crm.invoices.efactura.exchange"
    _description = "e-Factura Exchange with ANAF"

    # ------------------------------------------------------------------
    # plumbing
    # ------------------------------------------------------------------

    @api.model
    def _auto_commit(self):
        return may_commit()

    @api.model
    def _commit(self):
        if self._auto_commit():
            self.env.cr.commit()  # pylint: disable=invalid-commit

    @api.model
    def _client(self, company):
        """The ANAF client of ``company``: its OAuth token (``l10n_ro_edi``'s
        settings), ANAF's test or production service, or the address in the
        ``crm_invoices_efactura.anaf_url`` parameter (a local stand-in); the
        timeout in seconds is ``crm_invoices_efactura.anaf_timeout``."""
        company = company.sudo()  # the credentials are administrators' only
        self._refresh_token(company)
        if not company.l10n_ro_edi_access_token:
            raise UserError(
                self.env._(
                    "%(company)s has no ANAF access token: generate it in the "
                    "e-Factura settings.",
                    company=company.name,
                )
            )
        params = self.env["ir.config_parameter"].sudo()
        url = params.get_param("crm_invoices_efactura.anaf_url") or (
            anaf_client.TEST_URL
            if company.l10n_ro_edi_test_env
            else anaf_client.PROD_URL
        )
        timeout = float(
            params.get_param("crm_invoices_efactura.anaf_timeout")
            or anaf_client.TIMEOUT
        )
        return anaf_client.AnafClient(
            url, company.l10n_ro_edi_access_token, timeout=timeout
        )

    @api.model
    def _refresh_token(self, company):
        """The SPV authorization lives on by itself: an access token close
        to its expiry is refreshed with ``l10n_ro_edi``'s refresh token (its
        own method, ANAF's OAuth service); one that has expired and cannot be
        refreshed stops the exchange with a :class:`UserError` that says
        what to do (the caller pauses the company and says so once)."""
        today = fields.Date.context_today(self)
        expiry = company.l10n_ro_edi_access_expiry_date
        if not spv_schedule.needs_refresh(today, expiry):
            return
        if (
            company.l10n_ro_edi_refresh_token
            and company.l10n_ro_edi_client_id
            and company.l10n_ro_edi_client_secret
            and not spv_schedule.expired(today, company.l10n_ro_edi_refresh_expiry_date)
        ):
            try:
                with self.env.cr.savepoint():
                    company._l10n_ro_edi_refresh_access_token(requests.Session())
                return
            except (
                UserError,
                ValidationError,
                requests.RequestException,
                ValueError,
            ) as error:
                _logger.warning(
                    "e-Factura: refreshing the SPV token of %s failed: %s",
                    company.name,
                    error,
                )
        if spv_schedule.expired(today, expiry):
            raise UserError(
                self.env._(
                    "The SPV authorization of %(company)s expired on %(date)s and "
                    "could not be refreshed: generate a new token in the e-Factura "
                    "settings (with the company's certificate).",
                    company=company.name,
                    date=expiry,
                )
            )

    @api.model
    def _cif(self, company):
        return (company.vat or "").upper().replace("RO", "").strip()

    # ------------------------------------------------------------------
    # the job
    # ------------------------------------------------------------------

    @api.model
    def _cron_exchange(self):
        """Every few minutes: recover lost answers, upload, check statuses."""
        engine = self.sudo()
        engine._recover()
        engine._upload_due()
        engine._poll(None)

    # ------------------------------------------------------------------
    # uploading
    # ------------------------------------------------------------------

    @api.model
    def _next_due(self, exclude):
        """The next invoice to upload, locked (another run skips it)."""
        return queries.take_next_to_upload(self.env["account.move"], exclude)

    @api.model
    def _upload_due(self, limit=MAX_UPLOADS):
        """Upload the invoices waiting, most urgent first, one transaction
        per step; a company whose token or call limit fails is left for the
        next run."""
        done, seen, blocked = 0, set(), set()
        while done < limit:
            try:
                move = self._next_due(seen)
            except OperationalError as error:
                if error.pgcode not in PG_CONCURRENCY_ERRORS_TO_RETRY:
                    raise
                self.env.cr.rollback()
                break
            if not move:
                break
            seen.add(move.id)
            if move.company_id.id in blocked:
                continue
            outcome = self._upload(move)
            if outcome in ("auth", "rate_limit", "daily_limit", "paused", "blocked"):
                blocked.add(move.company_id.id)
            done += 1
        return done

    @api.model
    def _upload(self, move):
        """Check, claim, upload and record one invoice.

        :return: ``"sent"``, ``"invalid"``, ``"busy"`` (another upload is
            live), ``"unknown"``, ``"paused"`` (the company's uploads wait),
            ``"blocked"`` (the check cannot run), ``"auth"`` (no usable
            token) or the kind of the :class:`AnafError`
        """
        if self.env["crm.invoices.efactura.pause"]._is_paused(
            move.company_id, "upload"
        ):
            return "paused"
        try:
            client = self._client(move.company_id)
        except UserError as error:
            # no token, or an authorization that expired: the company waits,
            # its accountants are told once; nothing on the invoice
            self.env["crm.invoices.efactura.pause"]._pause(
                move.company_id, "all", anaf_client.AnafError("auth", str(error))
            )
            self._commit()
            return "auth"
        try:
            xml, findings = move._crm_efactura_check()
        except UserError as error:
            # the check cannot run (ANAF's validation files missing): the
            # company's uploads wait for this run
            move.message_post(body=str(error))
            self._commit()
            return "blocked"
        if move._crm_efactura_has_errors(findings):
            move.crm_efactura_step = "error"
            self._commit()
            return "invalid"
        submission = self._claim(move, xml)
        if submission is None:
            return "busy"
        try:
            index = client.upload(
                xml,
                self._cif(move.company_id),
                credit_note=move.move_type == "out_refund",
                b2c=not move.commercial_partner_id.is_company,
                extern=self._is_extern(move),
            )
        except anaf_client.AnafError as error:
            return self._upload_failed(submission, error)
        self._record_sent(submission, index)
        return "sent"

    @api.model
    def _download(self, company, client, download_id):
        """ANAF's answer ``download_id``, downloaded once (kept)."""
        return self.env["crm.invoices.efactura.answer"]._fetch(
            company, client, download_id
        )

    @api.model
    def _is_extern(self, move):
        """Whether the buyer is outside Romania (ANAF's ``extern=DA``)."""
        country = move.commercial_partner_id.country_id
        return bool(country) and country.code != "RO"

    @api.model
    def _claim(self, move, xml):
        """The submission of an upload about to start, committed first; or
        ``None`` when the invoice has a live one (uploaded, or being so)."""
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"{move.name.replace('/', '_')}_efactura.xml",
                "raw": xml,
                "mimetype": "application/xml",
                "res_model": "account.move",
                "res_id": move.id,
            }
        )
        # the unique index on live submissions decides; no error, no log
        submissions = self.env["crm.invoices.efactura.submission"]
        claimed = queries.claim_upload(
            submissions, move, attachment, fields.Datetime.now()
        )
        if not claimed:
            attachment.unlink()
            return None
        move.invalidate_recordset(["crm_efactura_submission_ids"])
        move.crm_efactura_step = "sending"
        self._commit()
        return claimed

    @api.model
    def _upload_failed(self, submission, error):
        move = submission.move_id
        if error.unknown_outcome:
            # it may have arrived: only ANAF's message list will tell
            submission.write({"state": "unknown", "message": error.message})
            move.message_post(
                body=self.env._(
                    "e-Factura upload without an answer (%(error)s): ANAF's message "
                    "list will tell whether it arrived; it is not uploaded again "
                    "before that.",
                    error=error.message,
                )
            )
            self._commit()
            return "unknown"
        if error.kind == "rejected":
            submission.write({"state": "error", "message": error.message})
            move.write({"crm_efactura_step": "error"})
            move._crm_efactura_set_findings_from_anaf(error.message)
            move.message_post(
                body=self.env._(
                    "ANAF refused the upload: %(error)s", error=error.message
                )
            )
        elif error.pauses:
            # nothing was uploaded (token, call limit): the claim is undone
            # and the company's uploads wait; no trace on the invoice
            attachment = submission.xml_attachment_id
            submission.unlink()
            attachment.unlink()
            move.write({"crm_efactura_step": "to_send"})
            self.env["crm.invoices.efactura.pause"]._pause(
                move.company_id, "upload", error
            )
        else:
            # nothing was uploaded (an odd answer): try later
            submission.write({"state": "failed", "message": error.message})
            move.write({"crm_efactura_step": "to_send"})
            move.message_post(
                body=self.env._(
                    "e-Factura not uploaded (%(error)s); it will be tried again.",
                    error=error.message,
                )
            )
        self._commit()
        return error.kind

    @api.model
    def _record_sent(self, submission, index, adopted=False):
        move = submission.move_id
        now = fields.Datetime.now()
        submission.write(
            {
                "state": "sent",
                "index": index,
                "adopted": adopted,
                "next_check": spv_schedule.next_status_check(now, 0),
            }
        )
        move.write({"crm_efactura_step": False, "crm_efactura_index": index})
        # l10n_ro_edi's own record: its state keeps the invoice from being
        # reset to draft, as in Odoo
        move._l10n_ro_edi_get_sent_and_failed_documents().unlink()
        move._l10n_ro_edi_create_document_invoice_sent(
            {"key_loading": index, "attachment_raw": submission.xml_attachment_id.raw}
        )
        move.l10n_ro_edi_index = index
        move.message_post(
            body=self.env._(
                "e-Factura uploaded to ANAF with index %(index)s%(adopted)s.",
                index=index,
                adopted=self.env._(" (found in ANAF's message list)")
                if adopted
                else "",
            )
        )
        self._commit()

    # ------------------------------------------------------------------
    # status and answers
    # ------------------------------------------------------------------

    @api.model
    def _poll(self, submissions, force=False, limit=MAX_STATUS_CHECKS):
        """Ask ANAF the status of sent uploads whose check is due (all of
        ``submissions`` when ``force``), download its answer when done."""
        if submissions is None:
            submissions = self.env["crm.invoices.efactura.submission"].search(
                [("state", "=", "sent"), ("next_check", "<=", fields.Datetime.now())],
                order="next_check, id",
                limit=limit,
            )
        else:
            submissions = submissions.with_env(self.env)  # the engine's rights
        if not force:
            submissions = submissions.filtered(
                lambda sub: sub.next_check and sub.next_check <= fields.Datetime.now()
            )
        blocked = set()
        for submission in submissions:
            company = submission.company_id
            if company.id in blocked or submission.state != "sent":
                continue
            try:
                client = self._client(company)
            except UserError:
                blocked.add(company.id)
                continue
            pauses = self.env["crm.invoices.efactura.pause"]
            call = "status"
            try:
                if pauses._is_paused(company, call):
                    blocked.add(company.id)
                    continue
                status = client.status(submission.index)
                answer = None
                if status.state in ("accepted", "rejected") and status.download_id:
                    call = "download"
                    if pauses._is_paused(company, call):
                        blocked.add(company.id)
                        continue
                    answer = self._download(company, client, status.download_id)
            except anaf_client.AnafError as error:
                if error.pauses:
                    pauses._pause(company, call, error)
                    blocked.add(company.id)
                elif error.kind == "not_found":
                    # a dead index: ANAF has no such upload; a person decides
                    self._record_answer(submission, "rejected", None, [error.message])
                else:
                    submission.write(
                        {
                            "message": error.message,
                            "next_check": spv_schedule.next_status_check(
                                fields.Datetime.now(), submission.check_count + 1
                            ),
                            "check_count": submission.check_count + 1,
                        }
                    )
                self._commit()
                continue
            if status.state == "processing":
                submission.write(
                    {
                        "check_count": submission.check_count + 1,
                        "next_check": spv_schedule.next_status_check(
                            fields.Datetime.now(), submission.check_count + 1
                        ),
                    }
                )
            else:
                state = "accepted" if status.state == "accepted" else "rejected"
                self._record_answer(
                    submission, state, answer, status.errors, status.download_id
                )
            self._commit()

    @api.model
    def _record_answer(self, submission, state, answer, errors, download_id=None):
        """ANAF's verdict on an upload: accepted (signed) or rejected."""
        move = submission.move_id
        errors = list(errors or []) + list(answer.errors if answer else [])
        values = {
            "state": state,
            "answer_date": fields.Datetime.now(),
            "download_id": download_id,
            "message": "\n".join(errors) or False,
        }
        if answer:
            values["answer_attachment_id"] = (
                self.env["ir.attachment"]
                .create(
                    {
                        "name": f"{move.name.replace('/', '_')}_anaf_"
                        f"{submission.index}.zip",
                        "raw": answer.raw,
                        "mimetype": "application/zip",
                        "res_model": "account.move",
                        "res_id": move.id,
                    }
                )
                .id
            )
            values["signature"] = answer.signature
        submission.write(values)
        move._l10n_ro_edi_get_sent_and_failed_documents().unlink()
        if state == "accepted":
            move.write({"crm_efactura_step": False, "crm_efactura_findings": False})
            move._l10n_ro_edi_create_document_invoice_validated(
                {
                    "key_loading": submission.index,
                    "key_signature": answer.signature if answer else False,
                    "key_certificate": answer.certificate if answer else False,
                    "attachment_raw": self._signature_file(answer)
                    or submission.xml_attachment_id.raw,
                }
            )
            move.message_post(body=self.env._("ANAF accepted the e-Factura."))
            self.env["crm.invoices.webhook.event"]._crm_emit(
                "efactura.accepted",
                move,
                lambda _move: {"index": submission.index or None},
            )
        else:
            move.write({"crm_efactura_step": "rejected"})
            move._crm_efactura_set_findings_from_anaf("\n".join(errors))
            self.env["crm.invoices.webhook.event"]._crm_emit(
                "efactura.rejected",
                move,
                lambda _move: {"index": submission.index or None, "errors": errors},
            )
            move._l10n_ro_edi_create_document_invoice_sending_failed(
                {
                    "error": "\n".join(errors) or self.env._("Rejected by ANAF"),
                    "key_loading": submission.index,
                    "attachment_raw": submission.xml_attachment_id.raw,
                }
            )
            move.message_post(
                body=self.env._(
                    "ANAF rejected the e-Factura: %(errors)s. Correct the invoice "
                    "(reset to draft), then post it again: it is sent again.",
                    errors="; ".join(errors) or self.env._("no reason given"),
                )
            )

    @staticmethod
    def _signature_file(answer):
        if not answer:
            return None
        return next(
            (
                data
                for name, data in answer.files.items()
                if "semnatura" in name.lower()
            ),
            None,
        )

    # ------------------------------------------------------------------
    # recovery: an upload whose answer was lost
    # ------------------------------------------------------------------

    @api.model
    def _recover(self):
        """Uploads cut off (``uploading`` for too long) or without an answer
        (``unknown``): ANAF's message list of the company says whether each
        arrived; its index is adopted then.  An upload is declared lost (and
        made again) only when a complete, successful read of the list and of
        every answer in it, :data:`spv_schedule.SETTLE_AFTER` after it was
        made, does not show it: any failed read means "wait"."""
        now = fields.Datetime.now()
        pending = self.env["crm.invoices.efactura.submission"].search(
            [
                ("state", "in", ("uploading", "unknown")),
                ("attempt_date", "<=", now - spv_schedule.RECOVER_AFTER),
            ],
            order="attempt_date, id",
        )
        pauses = self.env["crm.invoices.efactura.pause"]
        for company in pending.company_id:
            mine = pending.filtered(
                lambda sub, company=company: sub.company_id == company
            )
            if pauses._is_paused(company, "list"):
                continue
            try:
                self._recover_company(company, mine, now)
            except UserError:
                continue
            except anaf_client.AnafError as error:
                _logger.info(
                    "e-Factura recovery for %s postponed: %s", company.name, error
                )
                if error.pauses:
                    pauses._pause(company, "list", error)
            self._commit()

    @api.model
    def _recover_company(self, company, submissions, now):
        client = self._client(company)
        expired = submissions.filtered(
            lambda sub: spv_schedule.beyond_list(sub.attempt_date, now)
        )
        self._expire(expired)
        submissions -= expired
        if not submissions:
            return
        start, end = spv_schedule.recovery_window(
            min(submissions.mapped("attempt_date")), now
        )
        # a failed read of the list raises: nothing is decided this run
        messages = [
            message
            for message in client.messages(
                self._cif(company), _epoch_ms(start), _epoch_ms(end)
            )
            if spv_schedule.answers_upload(message.kind)
        ]
        known = set(
            self.env["crm.invoices.efactura.submission"]
            .search(
                [
                    ("company_id", "=", company.id),
                    ("index", "in", [m.upload_index for m in messages]),
                ]
            )
            .mapped("index")
        )
        answers, complete = self._read_answers(
            company, client, [m for m in messages if m.upload_index not in known]
        )
        by_invoice, rejected = {}, []
        for message, answer in answers:
            if answer.invoice_id:
                by_invoice.setdefault(answer.invoice_id, []).append(message)
            else:
                rejected.append(message)  # an error ZIP names no invoice
        unresolved = []
        for submission in submissions:
            found = by_invoice.get(submission.move_id.name)
            if found:
                self._record_sent(submission, found.pop(0).upload_index, adopted=True)
            else:
                unresolved.append(submission)
        if unresolved and rejected:
            if len(unresolved) == 1 and len(rejected) == 1:
                # by elimination: the one rejected upload nobody else has is
                # the one lost upload (its status check records ANAF's errors)
                self._record_sent(unresolved[0], rejected[0].upload_index, adopted=True)
                return
            complete = False  # which is whose cannot be told: wait
        for submission in unresolved:
            if complete and spv_schedule.may_upload_again(
                submission.attempt_date, now, False
            ):
                submission.write({"state": "lost"})
                submission.move_id.write({"crm_efactura_step": "to_send"})
                submission.move_id.message_post(
                    body=self.env._(
                        "ANAF's message list does not show the e-Factura upload of "
                        "%(date)s: it never arrived. It is uploaded again.",
                        date=fields.Datetime.to_string(submission.attempt_date),
                    )
                )
            elif submission.state == "uploading":
                submission.write({"state": "unknown"})

    @api.model
    def _read_answers(self, company, client, messages):
        """``([(message, answer)], complete)``: ANAF's answers of ``messages``
        (kept ones are not downloaded again); ``complete`` is false when one
        could not be read."""
        answers, complete = [], True
        for message in messages:
            try:
                answers.append((message, self._download(company, client, message.id)))
            except anaf_client.AnafError as error:
                complete = False
                if error.pauses:
                    self.env["crm.invoices.efactura.pause"]._pause(
                        company, "download", error
                    )
                    break
        return answers, complete

    @api.model
    def _expire(self, submissions):
        """Uploads whose outcome ANAF's message list no longer reaches: a
        person looks in the SPV and sends again if it is not there."""
        for submission in submissions:
            submission.write({"state": "expired"})
            move = submission.move_id
            move.write({"crm_efactura_step": "error"})
            move.message_post(
                body=self.env._(
                    "The outcome of the e-Factura upload of %(date)s is unknown and "
                    "ANAF's message list reaches back %(days)s days only. Look for "
                    "the invoice in the SPV: if it is not there, send it again.",
                    date=fields.Datetime.to_string(submission.attempt_date),
                    days=spv_schedule.LIST_DAYS,
                )
            )


def _epoch_ms(moment):
    return int(moment.replace(tzinfo=timezone.utc).timestamp() * 1000)
