import logging
from collections import defaultdict
from decimal import Decimal

from psycopg2 import OperationalError

from odoo import api, models
from odoo.exceptions import UserError
from odoo.service.model import PG_CONCURRENCY_ERRORS_TO_RETRY
from odoo.tools import html2plaintext, split_every

from odoo.addons.crm_invoices.lib import invoice_status

from .. import queries
from ..lib import bank_iban, bank_match, bank_names, bank_refs

_logger = logging.getLogger(__name__)

#: Statement lines matched per statement (and stored) in one go.
BATCH = 2000


class CrmInvoicesBankMatcher(models.AbstractModel):
    """The matching engine of the Invoices app's bank statements.

    It loads what the matcher of :mod:`bank_match` reads (the open invoices
    the lines may pay, the customers' IBANs and names: one query each per
    batch of lines), matches, stores the matches in two statements, and
    reconciles the certain ones through OCA's reconciliation -- during the
    import, or in the background for a large statement.  Statement lines
    and imports call it; it has no public method (no RPC endpoint)."""

    _name = "crm.invoices.bank.matcher"
    _description = "Invoices: Bank Statement Matching"

    # ------------------------------------------------------------------
    # what the matcher reads (one query each, whatever the number of lines)
    # ------------------------------------------------------------------

    @api.model
    def _iban_partners(self, companies):
        """``{IBAN: commercial partner id}`` of the bank accounts usable by
        ``companies``; an IBAN of two customers points at neither."""
        rows = queries.bank_account_owners(self.env, companies)
        found = defaultdict(set)
        for account, partner_id in rows:
            iban = bank_iban.normalize(account)
            if iban:
                found[iban].add(partner_id)
        return {
            iban: next(iter(partners))
            for iban, partners in found.items()
            if len(partners) == 1
        }

    @api.model
    def _open_invoices(self, company, numbers=(), partners=(), amounts=()):
        """The open customer invoices of ``company`` that lines may pay
        (:func:`~odoo.addons.crm_invoices.lib.invoice_status.open_domain`,
        those in dispute flagged): those whose sequence number is in
        ``numbers``, of ``partners``, or with an amount left in ``amounts``
        -- one query, its SQL made by the ORM from the rule."""
        moves = self.env["account.move"].search_fetch(
            [
                ("company_id", "=", company.id),
                *invoice_status.open_domain(),
                "|",
                "|",
                ("sequence_number", "in", list(numbers)),
                ("commercial_partner_id", "in", list(partners)),
                ("amount_residual", "in", [float(amount) for amount in amounts]),
            ],
            [
                "commercial_partner_id",
                "name",
                "payment_reference",
                "invoice_date",
                "currency_id",
                "amount_residual",
                "payment_state",
            ],
        )
        return [
            bank_match.OpenInvoice.make(
                id=move.id,
                partner_id=move.commercial_partner_id.id,
                name=move.name or "",
                payment_reference=move.payment_reference
                if move.payment_reference and move.payment_reference != move.name
                else None,
                date=move.invoice_date,
                currency=move.currency_id.name,
                residual=Decimal(str(move.amount_residual)).quantize(Decimal("0.01")),
                in_dispute=move.payment_state == invoice_status.IN_DISPUTE,
            )
            for move in moves
        ]

    def _line_values(self, line):
        """The line as the matcher reads it."""
        line.ensure_one()
        currency = line.journal_id.currency_id or line.company_id.currency_id
        text = " ".join(
            part
            for part in (
                line.payment_ref,
                bank_refs.payer_words(html2plaintext(line.narration or "")),
                line.ref,
            )
            if part
        )
        return bank_match.Line(
            id=line.id,
            amount=Decimal(str(line.amount)).quantize(Decimal("0.01")),
            currency=currency.name,
            date=line.date,
            text=text,
            iban=bank_iban.normalize(line.account_number) or bank_iban.find(text),
            foreign_amount=(
                Decimal(str(line.amount_currency)).quantize(Decimal("0.01"))
                if line.foreign_currency_id
                else None
            ),
            foreign_currency=line.foreign_currency_id.name or None,
            name=line.partner_name or None,
        )

    def _matcher(self, company, values):
        """A :class:`bank_match.Matcher` over the open invoices ``values``
        (the lines, as the matcher reads them) may pay."""
        ibans = self._iban_partners(company)
        numbers, partners, amounts = set(), set(), set()
        for value in values:
            numbers |= bank_refs.tokens(value.text).numbers
            if value.iban in ibans:
                partners.add(ibans[value.iban])
            amounts.add(value.amount)
            if value.foreign_amount is not None:
                amounts.add(value.foreign_amount)
        invoices = self._open_invoices(company, numbers, partners, amounts)
        names = (
            self._partner_names(company)
            if any(value.name for value in values)
            else None
        )
        return bank_match.Matcher(invoices, ibans, names)

    @api.model
    def _partner_names(self, company):
        """The :class:`bank_names.NameIndex` of every partner ``company``
        knows -- its customers and their contacts, invoiced or not, and
        anyone else in its address book -- each known as its commercial
        partner: one query."""
        rows = queries.partner_names(self.env, company)
        return bank_names.NameIndex(
            {pid: (name, commercial or pid) for pid, name, commercial in rows}
        )

    # ------------------------------------------------------------------
    # matching
    # ------------------------------------------------------------------

    def _match(self, lines):
        """Match ``lines`` not reconciled yet against the open invoices and
        store what was found: a few queries per batch of lines."""
        # prefetch these lines together, whatever recordset they came from (the
        # lines of a statement read again after an invalidation prefetch
        # nothing: one query per line)
        todo = lines.with_prefetch().filtered(
            lambda line: not line.is_reconciled and not line.crm_not_invoice
        )
        results = {}
        for company in todo.company_id:
            of_company = todo.filtered(
                lambda line, company=company: line.company_id == company
            )
            for batch in split_every(BATCH, of_company.ids, lines.browse):
                values = [self._line_values(line) for line in batch]
                matcher = self._matcher(company, values)
                for value in values:
                    results[value.id] = matcher.match(value)
        self._store_matches(lines, results)
        return results

    def _store_matches(self, lines, results):
        """Write the matches in two statements (``UPDATE ... FROM VALUES`` and
        one ``INSERT`` of the suggested invoices)."""
        if not results:
            return
        queries.store_matches(self.env, lines, results)

    def _match_and_reconcile(self, lines, now_limit=None):
        """Match ``lines``, then reconcile the certain matches: what a
        statement import does.  Past ``now_limit`` certain lines, they are
        queued for the background job instead (:meth:`_queue`).

        :return: ``(lines reconciled, lines queued)``"""
        lines = lines.with_prefetch()  # see _match
        self._match(lines)
        certain = lines.filtered(lambda line: line.crm_match_kind == "auto")
        if now_limit is not None and len(certain) > now_limit:
            self._queue(certain)
            return lines.browse(), certain
        return self._reconcile_certain(certain, lines), lines.browse()

    def _reconcile_certain(self, certain, lines=None):
        """Reconcile the ``certain`` lines with their invoices, each in a
        savepoint (OCA's reconciliation, one line at a time); the other
        ``lines`` whose suggestion one of them has just paid are matched
        again (a person is never offered a paid invoice).

        :return: the lines reconciled"""
        done = busy = certain.browse()
        for line in certain:
            try:
                with self.env.cr.savepoint():
                    line._crm_reconcile_with(line.crm_match_move_ids, certain_only=True)
                done |= line
            except UserError as error:
                _logger.info("Statement line %s not reconciled: %s", line.id, error)
            except OperationalError as error:
                # another transaction reconciled one of these lines or invoices
                # meanwhile: this line waits for review (or the next match)
                if error.pgcode not in PG_CONCURRENCY_ERRORS_TO_RETRY:
                    raise
                _logger.info("Statement line %s left to review: %s", line.id, error)
                busy |= line
        # what another line of the batch paid first is matched again; what
        # another transaction was reconciling is left to review as it is
        paid = done.crm_match_move_ids
        stale = ((lines or certain.browse()) - certain).filtered(
            lambda line: not line.is_reconciled and line.crm_match_move_ids & paid
        )
        self._match(certain - done - busy | stale)
        if busy:
            self._store_matches(
                certain,
                {
                    line.id: bank_match.Match(
                        "suggestion",
                        line.crm_match_move_ids.ids,
                        50,
                        (line.crm_match_reasons or "").split(","),
                    )
                    for line in busy
                },
            )
        return done

    # ------------------------------------------------------------------
    # large statements: reconciled in the background
    # ------------------------------------------------------------------

    @api.model
    def _now_limit(self):
        """How many certain lines an import reconciles while the user waits
        (about 0.2 s each on a 2-core server: well within Odoo's 120 s
        request limit); past it, the background job does."""
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("crm_invoices_bank.reconcile_now_limit", "200")
        )
        try:
            return max(int(value), 0)
        except ValueError:
            return 200

    def _queue(self, lines):
        """Leave ``lines`` to the background job, which tells the user who
        imported them when it is done."""
        lines.sudo().write(
            {"crm_reconcile_queued": True, "crm_queued_by_id": self.env.uid}
        )
        self.env.ref("crm_invoices_bank.ir_cron_reconcile_queued").sudo()._trigger()

    @api.model
    def _cron_reconcile_queued(self, batch=100):
        """The background job: reconcile one batch of queued lines, report
        the progress (Odoo runs the job again while lines remain; each batch
        is committed by the job runner), and tell each user whose lines are
        all done."""
        model = self.env["account.bank.statement.line"]
        queued = model.search(
            [("crm_reconcile_queued", "=", True)], order="id", limit=batch
        )
        if not queued:
            return
        remaining = model.search_count([("crm_reconcile_queued", "=", True)])
        users = queued.crm_queued_by_id
        for company in queued.company_id:
            lines = queued.filtered(lambda line, c=company: line.company_id == c)
            self.with_company(company)._reconcile_certain(
                lines.with_company(company),
                lines.statement_id.line_ids.with_company(company),
            )
        queued.sudo().write({"crm_reconcile_queued": False})
        self.env["ir.cron"]._notify_progress(
            done=len(queued), remaining=remaining - len(queued)
        )
        finished = (
            users
            - model.search(
                [
                    ("crm_reconcile_queued", "=", True),
                    ("crm_queued_by_id", "in", users.ids),
                ]
            ).crm_queued_by_id
        )
        for user in finished:
            self._tell_done(user)

    def _tell_done(self, user):
        """An inbox message to ``user``: the statement lines they imported
        are reconciled."""
        lang = self.with_context(lang=user.lang or "en_US")
        self.env["mail.thread"].sudo().message_notify(
            partner_ids=user.partner_id.ids,
            subject=lang.env._("Bank statement reconciled"),
            body=lang.env._(
                "The bank statement lines you imported are reconciled with their "
                "invoices. What is left waits in Invoices > Bank > To Review."
            ),
        )
