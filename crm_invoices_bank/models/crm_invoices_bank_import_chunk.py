import logging

from odoo import api, fields, models
from odoo.tools import split_every

from .. import queries

_logger = logging.getLogger(__name__)

#: Statement lines a chunk holds: what one run of the job creates, matches
#: and reconciles in one transaction (about 10 s on a 2-core server).
CHUNK = 500
#: Past this many lines, an import creates them in the background.
CREATE_NOW_LIMIT = 500


class CrmInvoicesBankImportChunk(models.Model):
    """Lines of a large bank statement waiting to be created.

    Creating a statement line is an accounting entry (about 16 ms each): a
    5,000-line file would keep its user waiting past the request limit.
    Past :meth:`_create_now_limit` lines, the import reads and checks the
    whole file, creates the statement, and leaves the lines here, in chunks;
    the job creates each chunk's lines, matches and reconciles them, and
    deletes the chunk in one transaction -- a chunk's lines are created
    once, whatever crashes or overlaps (the lines' import identity is
    unique too) -- then tells the user who imported the file.
    """

    _name = "crm.invoices.bank.import.chunk"
    _description = "Bank Statement Lines Being Created"
    _order = "statement_id, sequence, id"

    statement_id = fields.Many2one(
        "account.bank.statement",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    # the statement's journal (and company) come from its lines in Odoo: a
    # statement whose lines are not created yet has neither
    journal_id = fields.Many2one("account.journal", required=True, readonly=True)
    company_id = fields.Many2one(related="journal_id.company_id", store=True)
    user_id = fields.Many2one(
        "res.users", string="Imported by", required=True, readonly=True
    )
    sequence = fields.Integer(readonly=True)
    line_count = fields.Integer(string="Lines", readonly=True)
    transactions = fields.Json(readonly=True, help="The lines' values, as parsed.")
    error = fields.Text(readonly=True, help="Why the job could not create them.")

    @api.model
    def _create_now_limit(self):
        """How many lines an import creates while its user waits."""
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("crm_invoices_bank.create_now_limit", str(CREATE_NOW_LIMIT))
        )
        try:
            return max(int(value), 0)
        except ValueError:
            return CREATE_NOW_LIMIT

    @api.model
    def _queue_statements(self, stmts_vals, result):
        """Create the statements of ``stmts_vals`` (one account's, as OCA's
        import completed them) without their lines, and leave the lines
        not imported before to the job; what OCA's
        ``_create_bank_statements`` does, the lines aside.  One query finds
        the lines imported before.

        :return: the number of lines left to the job
        """
        lines = self.env["account.bank.statement.line"].sudo()
        identities = [
            values["unique_import_id"]
            for st_vals in stmts_vals
            for values in st_vals["transactions"]
            if values.get("unique_import_id")
        ]
        # lines imported before, and lines another import left to the job
        seen = self._pending_identities()
        for batch in split_every(10000, identities, list):
            seen.update(
                row["unique_import_id"]
                for row in lines.search_read(
                    [("unique_import_id", "in", batch)], ["unique_import_id"]
                )
            )
        queued = ignored = 0
        chunks = []
        for st_vals in stmts_vals:
            new = []
            for values in st_vals.pop("transactions"):
                if values.get("unique_import_id") in seen:
                    ignored += 1
                    if "balance_start" in st_vals:
                        st_vals["balance_start"] += float(values["amount"])
                    continue
                seen.add(values.get("unique_import_id"))
                new.append(values)
            if not new:
                continue
            for place, values in enumerate(new, start=1):
                values.setdefault("sequence", place)
            context = st_vals.pop("creation_context", {})
            statement = (
                self.env["account.bank.statement"]
                .with_context(**context)
                .create(st_vals)
            )
            # Odoo computes a statement's journal from its lines: until they
            # are created, it is the journal the file was imported into
            statement.journal_id = st_vals["journal_id"]
            result["statement_ids"].append(statement.id)
            chunks += [
                {
                    "statement_id": statement.id,
                    "journal_id": st_vals["journal_id"],
                    "user_id": self.env.uid,
                    "sequence": number,
                    "line_count": len(part),
                    "transactions": part,
                }
                for number, part in enumerate(split_every(CHUNK, new, list))
            ]
            queued += len(new)
        if chunks:
            self.sudo().create(chunks)
            self.env.ref(
                "crm_invoices_bank.ir_cron_create_statement_lines"
            ).sudo()._trigger()
            result["notifications"].append(
                self.env._(
                    "%(count)s line(s) are being created in the background (Invoices "
                    "> Bank > Statements shows how many are left); you will get a "
                    "message when they are created, matched and reconciled.",
                    count=queued,
                )
            )
        if ignored:
            result["notifications"].append(
                self.env._(
                    "%(count)s transaction(s) had already been imported and were "
                    "ignored.",
                    count=ignored,
                )
            )
        return queued

    @api.model
    def _pending_identities(self):
        """The import identities of the lines the job has yet to create
        (one query): a file imported again before its lines are created is
        already imported."""
        self.flush_model()
        rows = queries.pending_import_identities(self.env)
        return {identity for (identity,) in rows if identity}

    @api.model
    def _cron_create_lines(self):
        """The job: create the lines of one chunk, match and reconcile them,
        delete the chunk (one transaction, committed by the job runner),
        report the progress (Odoo runs the job again while chunks remain),
        and tell the user whose statement is complete."""
        chunks = self.sudo()  # the job's own records
        chunk = queries.take_next_chunk(chunks)
        if not chunk:
            return
        try:
            with chunks.env.cr.savepoint():
                created = chunk._create_lines()
        except Exception as error:  # noqa: BLE001 - said to the user, kept
            _logger.exception("Bank statement lines of chunk %s not created", chunk.id)
            chunk.error = str(error)
            chunk._tell_failed()
            created = 0
        else:
            statement, user = chunk.statement_id, chunk.user_id
            chunk.unlink()
            if not chunks.search_count([("statement_id", "=", statement.id)]):
                chunks.with_user(user)._tell_statement_done(statement)
        remaining = sum(chunks.search([("error", "=", False)]).mapped("line_count"))
        chunks.env["ir.cron"]._notify_progress(done=created, remaining=remaining)

    def _create_lines(self):
        """Create the chunk's lines not created yet (the identity is
        unique: a chunk run again after a crash creates nothing twice),
        then match and reconcile them as an import does."""
        self.ensure_one()
        statement = self.statement_id
        values = [dict(line) for line in self.transactions]
        identities = [
            v["unique_import_id"] for v in values if v.get("unique_import_id")
        ]
        lines = self.env["account.bank.statement.line"].sudo()
        done = {
            row["unique_import_id"]
            for row in lines.search_read(
                [("unique_import_id", "in", identities)], ["unique_import_id"]
            )
        }
        todo = [
            {**line, "statement_id": statement.id}
            for line in values
            if line.get("unique_import_id") not in done
        ]
        user = self.user_id
        company = self.company_id
        created = (
            lines.with_user(user)
            .with_company(company)
            .with_context(crm_bank_defer_matching=True)
            .sudo()
            .create(todo)
        )
        matcher = self.env["crm.invoices.bank.matcher"].with_company(company)
        matcher._match_and_reconcile(created.with_company(company))
        return len(created)

    def _tell_failed(self):
        """An inbox message to whoever imported the chunk's statement: its
        lines could not be created (the chunk stays, with the reason)."""
        self.ensure_one()
        user = self.user_id
        lang = self.with_context(lang=user.lang or "en_US").env
        self.env["mail.thread"].sudo().message_notify(
            partner_ids=user.partner_id.ids,
            subject=lang._("Bank statement import failed"),
            body=lang._(
                "%(count)s line(s) of the bank statement %(statement)s could not be "
                "created: %(error)s",
                count=self.line_count,
                statement=self.statement_id.name or "",
                error=self.error or "",
            ),
        )

    @api.model
    def _tell_statement_done(self, statement):
        """An inbox message to the user who imported ``statement``: its
        lines are created, and how many were reconciled."""
        user = self.env.user
        lang = self.with_context(lang=user.lang or "en_US").env
        lines = statement.sudo().line_ids
        self.env["mail.thread"].sudo().message_notify(
            partner_ids=user.partner_id.ids,
            subject=lang._("Bank statement imported"),
            body=lang._(
                "The %(count)s line(s) of the bank statement %(statement)s are "
                "created: %(done)s reconciled with their invoices, %(review)s to "
                "review in Invoices > Bank > To Review.",
                count=len(lines),
                statement=statement.name or "",
                done=len(lines.filtered("is_reconciled")),
                review=len(lines.filtered(lambda line: not line.is_reconciled)),
            ),
        )
