import logging
from datetime import timedelta

import psycopg2

from odoo import api, fields, models
from odoo.fields import Command

from .. import queries
from ..lib import invoice_status as status_rules
from ..lib import late_interest
from ..lib.batch_job import may_commit

_logger = logging.getLogger(__name__)


class CrmInvoicesLateCharge(models.Model):
    """What was invoiced for one late invoice: the interest of a period, or
    the fixed recovery compensation.

    The ledger that says what is never invoiced twice: one interest charge
    per invoice and period end, one compensation per invoice (unique
    indexes), each period starting the day after the last one charged.
    A charge keeps its amount when its interest invoice is deleted (a
    reviewer who deletes the draft waives it): it is not charged again.
    """

    _name = "crm.invoices.late.charge"
    _description = "Late-Payment Charge"
    _order = "date_to desc, id desc"

    move_id = fields.Many2one(
        "account.move",
        string="Late Invoice",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    kind = fields.Selection(
        [("interest", "Interest"), ("compensation", "Recovery Compensation")],
        required=True,
        readonly=True,
    )
    date_from = fields.Date(readonly=True)
    date_to = fields.Date(required=True, readonly=True)
    amount = fields.Monetary(readonly=True)
    currency_id = fields.Many2one(related="move_id.currency_id", store=True)
    company_id = fields.Many2one(related="move_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(
        related="move_id.commercial_partner_id", string="Customer", store=True
    )
    charge_move_id = fields.Many2one(
        "account.move",
        string="Interest Invoice",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )

    _sql_constraints = [
        (
            "period_uniq",
            "UNIQUE(move_id, kind, date_to)",
            "This period of the invoice is charged already.",
        ),
    ]

    def init(self):
        res = super().init()
        queries.create_one_compensation_index(self.env.cr)
        return res

    # ------------------------------------------------------------------
    # The monthly invoicing
    # ------------------------------------------------------------------

    @api.model
    def _cron_invoice_late_charges(self):
        """Daily: invoice each customer the interest of the last whole month
        (and the compensations), once the month is over.  One interest
        invoice per customer and currency, in a savepoint of its own: an
        overlapping run meets the unique indexes and leaves that customer
        to the other.  Commits per customer outside tests.
        :return: the interest invoices made
        """
        charges = self.sudo()
        end = late_interest.period_end(fields.Date.context_today(charges))
        made = self.env["account.move"]
        companies = (
            self.env["res.company"]
            .sudo()
            .search(
                [
                    ("crm_late_interest", "=", True),
                    ("crm_late_interest_invoicing", "!=", "none"),
                ]
            )
        )
        for company in companies:
            if not company.crm_late_interest_since:
                # interest is invoiced from the month invoicing began
                company.crm_late_interest_since = end + timedelta(days=1)
                continue
            if company.crm_late_interest_since > end:
                continue
            for group in charges._due_groups(company, end):
                made |= charges._invoice_group(company, group, end)
                if may_commit():
                    self.env.cr.commit()  # pylint: disable=invalid-commit
        return made

    @api.model
    def _candidates(self, company, end):
        """The late invoices of ``company`` that may owe something up to
        ``end``: still open and due before it, or paid after their due date
        and after the last day charged on them (one query)."""
        self.env.flush_all()
        moves = self.env["account.move"]
        query = moves._search(
            [
                ("company_id", "=", company.id),
                *status_rules.interest_bearing_domain(),
                ("invoice_date_due", "<", end),
            ],
            order="id",
        )
        # the days already charged, and the payments after them: what the
        # domain cannot say, added to the rule's own query
        query.add_where(
            queries.late_interest_still_owed(end, company.crm_late_interest_since)
        )
        return moves.browse(list(query))

    @api.model
    def _due_groups(self, company, end):
        """``[[charge values]]`` per customer and currency: what each late
        invoice of ``company`` owes for the days not yet charged up to
        ``end``, and its compensation if not yet claimed."""
        moves = self._candidates(company, end)
        if not moves:
            return []
        last = dict(
            self._read_group(
                [("kind", "=", "interest"), ("move_id", "in", moves.ids)],
                ["move_id"],
                ["date_to:max"],
            )
        )
        last = {move.id: date_to for move, date_to in last.items()}
        compensated = set(
            self.search_fetch(
                [("kind", "=", "compensation"), ("move_id", "in", moves.ids)],
                ["move_id"],
            ).move_id.ids
        )
        rates = self.env["crm.invoices.reference.rate"]._crm_table()
        claim = company.crm_late_compensation
        groups = {}
        for move in moves:
            start = move._crm_late_interest_start(last.get(move.id))
            try:
                amount = move._crm_late_interest_between(start, end, rates)
                compensation = (
                    move._crm_late_compensation(end, rates).get(move.id)
                    if claim and amount > 0 and move.id not in compensated
                    else None
                )
            except late_interest.MissingRate as missing:
                _logger.warning(
                    "No late interest for %s: %s (Invoices → Configuration → "
                    "Reference Rates)",
                    move.name,
                    missing,
                )
                continue
            values = []
            if amount > 0:
                values.append(
                    {
                        "move_id": move.id,
                        "kind": "interest",
                        "date_from": start,
                        "date_to": end,
                        "amount": float(amount),
                    }
                )
            if compensation is not None:
                values.append(
                    {
                        "move_id": move.id,
                        "kind": "compensation",
                        "date_to": end,
                        "amount": float(compensation),
                    }
                )
            if values:
                key = (move.commercial_partner_id.id, move.currency_id.id)
                groups.setdefault(key, []).extend(values)
        return list(groups.values())

    @api.model
    def _not_charged(self, group):
        """The charge values of ``group`` no run has recorded yet (a run
        that computed them before another run charged them drops them; the
        unique indexes stop two runs at the very same moment)."""
        keys = {
            (values["move_id"], values["kind"], values["date_to"]) for values in group
        }
        done = {
            (charge.move_id.id, charge.kind, charge.date_to)
            for charge in self.search_fetch(
                [("move_id", "in", list({key[0] for key in keys}))],
                ["move_id", "kind", "date_to"],
            )
        }
        compensated = {key[0] for key in done if key[1] == "compensation"}
        return [
            values
            for values in group
            if (values["move_id"], values["kind"], values["date_to"]) not in done
            and not (
                values["kind"] == "compensation" and values["move_id"] in compensated
            )
        ]

    @api.model
    def _invoice_group(self, company, group, end):
        """One interest invoice for a customer's charges ``group`` (draft,
        or posted when the company says so), and the charges that say it
        was made; nothing when an overlapping run made it first."""
        group = self._not_charged(group)
        if not group:
            return self.env["account.move"]
        moves = self.env["account.move"].browse([v["move_id"] for v in group])
        customer = moves[:1].commercial_partner_id
        translated = self.with_context(lang=customer.lang or None).env
        lines = []
        for values in group:
            move = moves.browse(values["move_id"])
            if values["kind"] == "interest":
                name = translated._(
                    "Late-payment interest on %(invoice)s, %(start)s to %(end)s "
                    "(Law 72/2013)",
                    invoice=move.name,
                    start=values["date_from"].isoformat(),
                    end=values["date_to"].isoformat(),
                )
            else:
                name = translated._(
                    "Compensation for recovery costs, %(invoice)s (Law 72/2013, "
                    "art. 13)",
                    invoice=move.name,
                )
            line = {
                "name": name,
                "quantity": 1,
                "price_unit": values["amount"],
                "tax_ids": [Command.clear()],
            }
            if company.crm_late_interest_account_id:
                line["account_id"] = company.crm_late_interest_account_id.id
            lines.append(Command.create(line))
        try:
            with self.env.cr.savepoint():
                invoice = (
                    self.env["account.move"]
                    .with_company(company)
                    .create(
                        {
                            "move_type": "out_invoice",
                            "partner_id": customer.id,
                            "currency_id": moves[:1].currency_id.id,
                            "invoice_date": fields.Date.context_today(self),
                            "invoice_origin": ", ".join(
                                dict.fromkeys(moves.mapped("name"))
                            ),
                            "crm_late_charge_invoice": True,
                            "invoice_line_ids": lines,
                        }
                    )
                )
                self.create(
                    [{**values, "charge_move_id": invoice.id} for values in group]
                )
                self.env.flush_all()  # the unique indexes speak before posting
                if company.crm_late_interest_invoicing == "posted":
                    invoice.action_post()
        except psycopg2.errors.UniqueViolation:
            _logger.info(
                "Late charges of %s were invoiced by another run", customer.name
            )
            return self.env["account.move"]
        except Exception:  # noqa: BLE001 - one customer's failure stops no other
            _logger.exception(
                "The interest invoice of %s could not be made: tried again tomorrow",
                customer.name,
            )
            return self.env["account.move"]
        return invoice
