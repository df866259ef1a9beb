"""Which open invoices a bank statement line pays, and how sure that is.

Evidence, strongest first: the invoice number (or payment reference) in the
transfer's details (:mod:`bank_refs`); the payer's IBAN known on a customer;
the exact amount left on an invoice, or the sum of several invoices of one
customer; the amount in the invoice's currency; the dates.  A line is
reconciled by itself (``auto``) only when the evidence is certain and
unique; otherwise the best candidates are a ``suggestion`` with a confidence
and the reasons; a wrong amount or a wrong customer is never ``auto``.

Everything here works on plain values: the model loads the open invoices of
a company once and matches every line of a statement against them, so that
matching 5,000 lines costs the same number of queries as matching one.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import combinations

from . import bank_names, bank_refs

AUTO = "auto"
SUGGESTION = "suggestion"
NONE = "none"

#: Reasons, as codes (the model says them in words).
REASONS = (
    "reference_exact",
    "reference_number_year",
    "reference_number",
    "iban",
    "iban_conflict",
    "name",
    "name_conflict",
    "amount_exact",
    "amount_sum",
    "amount_partial",
    "amount_over",
    "amount_only",
    "same_amount_several",
    "foreign_amount",
    "issued_after_payment",
    "in_dispute",
)

#: An invoice issued more than this after the payment is not what it pays.
ISSUED_AFTER_TOLERANCE = timedelta(days=3)
#: Several invoices of one customer paid at once: at most this many...
MAX_SUM_SIZE = 4
#: ...among its this many oldest open invoices.
MAX_SUM_POOL = 15


@dataclass(frozen=True)
class OpenInvoice:
    id: int
    partner_id: int
    name: str
    residual: Decimal  # in the invoice's currency
    currency: str
    date: date
    payment_reference: str | None = None
    number: bank_refs.InvoiceNumber = None
    reference: bank_refs.InvoiceNumber = None
    #: in dispute: a line may pay it, but a person decides (never ``auto``)
    in_dispute: bool = False

    @classmethod
    def make(cls, **values):
        number = bank_refs.parse_number(values["name"])
        reference = values.get("payment_reference")
        parsed = bank_refs.parse_number(reference) if reference else None
        if parsed and parsed.words == number.words:
            parsed = None
        return cls(
            **values,
            number=number,
            reference=parsed,
        )


@dataclass(frozen=True)
class Line:
    id: int
    amount: Decimal  # in the line's currency; > 0 for money received
    currency: str
    date: date
    text: str
    iban: str | None = None
    foreign_amount: Decimal | None = None  # the amount in another currency...
    foreign_currency: str | None = None  # ...as the payer sent it
    name: str | None = None  # the payer's name, as the bank prints it


@dataclass
class Match:
    kind: str
    invoice_ids: list = field(default_factory=list)
    confidence: int = 0
    reasons: list = field(default_factory=list)
    partner_id: int | None = None


class Matcher:
    """The open invoices of a company, indexed to match many lines."""

    def __init__(self, invoices, iban_partners=None, names=None):
        """``iban_partners``: ``{IBAN: partner id}``; ``names``: the
        :class:`bank_names.NameIndex` of every partner the company knows."""
        self.invoices = {invoice.id: invoice for invoice in invoices}
        self.iban_partners = dict(iban_partners or {})
        self.names = names or bank_names.NameIndex({})
        self.by_number = defaultdict(list)
        self.by_partner = defaultdict(list)
        self.by_amount = defaultdict(list)
        for invoice in invoices:
            for parsed in (invoice.number, invoice.reference):
                if parsed and parsed.number is not None:
                    self.by_number[parsed.number].append(invoice)
            self.by_partner[invoice.partner_id].append(invoice)
            self.by_amount[(invoice.currency, invoice.residual)].append(invoice)
        for invoices_of in self.by_partner.values():
            invoices_of.sort(key=lambda inv: (inv.date, inv.id))

    # ------------------------------------------------------------------ evidence

    def _references(self, line):
        """``{invoice: strength}`` of the invoices the details point at."""
        found = {}
        text_tokens = bank_refs.tokens(line.text)
        for number in text_tokens.numbers:
            for invoice in self.by_number.get(number, ()):
                strength = max(
                    (
                        bank_refs.match(parsed, text_tokens)
                        for parsed in (invoice.number, invoice.reference)
                        if parsed
                    ),
                    key=lambda s: bank_refs.STRENGTH[s],
                )
                if (
                    strength
                    and bank_refs.STRENGTH[strength]
                    > bank_refs.STRENGTH[found.get(invoice)]
                ):
                    found[invoice] = strength
        return {
            invoice: strength
            for invoice, strength in found.items()
            if invoice.date <= line.date + ISSUED_AFTER_TOLERANCE
        }

    def _amount_of(self, line, invoice):
        """The line's amount in the invoice's currency, or ``None``."""
        if invoice.currency == line.currency:
            return line.amount
        if line.foreign_currency == invoice.currency:
            return line.foreign_amount
        return None

    def _sums(self, line, invoices):
        """The sets of two to four of ``invoices`` whose amounts left add up
        to the line's, in the line's currency."""
        pool = [inv for inv in invoices if self._amount_of(line, inv) is not None][
            :MAX_SUM_POOL
        ]
        found = []
        for size in range(2, MAX_SUM_SIZE + 1):
            for group in combinations(pool, size):
                if sum(inv.residual for inv in group) == self._amount_of(
                    line, group[0]
                ):
                    if len({inv.currency for inv in group}) == 1:
                        found.append(list(group))
            if len(found) > 1:
                break
        return found

    # ------------------------------------------------------------------ decision

    def match(self, line):
        """The :class:`Match` of ``line``."""
        if line.amount <= 0:
            return Match(NONE)
        references = self._references(line)
        iban_partner = self.iban_partners.get(line.iban) if line.iban else None
        # who the payer's name says it is: one partner, several alike, or
        # nobody the company knows
        named = self.names.recognise(line.name) if line.name else frozenset()
        name_partner = next(iter(named)) if len(named) == 1 else None
        payer = iban_partner or name_partner
        if references and payer is not None and not self._strong(references):
            # a bare number (no year) that is another customer's invoice is
            # a coincidence next to the payer's own account or name
            if payer not in {inv.partner_id for inv in references}:
                references = {}
        if references:
            found = self._by_reference(line, references, iban_partner)
        elif iban_partner:
            found = self._by_partner(line, iban_partner)
        elif name_partner:
            found = self._by_partner(line, name_partner, evidence="name")
        else:
            found = self._by_amount_only(line)
        return self._weigh_dispute(self._weigh_name(found, named))

    @staticmethod
    def _strong(references):
        return {
            inv: s
            for inv, s in references.items()
            if s in (bank_refs.EXACT, bank_refs.NUMBER_YEAR)
        }

    @staticmethod
    def _weigh_name(found, named):
        """The payer's name as a person weighs it: the customer's own name
        adds to the evidence; a name that is another partner's (a customer,
        a contact, anyone the company knows) means the line is never
        reconciled by itself; a name the company does not know, or that
        fits the customer and others alike, says nothing."""
        if not named or found.partner_id is None:
            return found
        if found.partner_id in named:
            if len(named) == 1 and "name" not in found.reasons:
                found.reasons.append("name")
            return found
        found.reasons.append("name_conflict")
        if found.kind == AUTO:
            found.kind = SUGGESTION
        found.confidence = min(found.confidence, 40)
        return found

    def _weigh_dispute(self, found):
        """An invoice in dispute is never closed by a bank line by itself:
        the line is a suggestion, for a person who settles the dispute."""
        if any(self.invoices[inv].in_dispute for inv in found.invoice_ids):
            found.reasons.append("in_dispute")
            if found.kind == AUTO:
                found.kind = SUGGESTION
        return found

    def _by_reference(self, line, references, iban_partner):
        strong = self._strong(references)
        hits = strong or references
        partners = {inv.partner_id for inv in hits}
        reasons_of = {inv: [f"reference_{s}"] for inv, s in hits.items()}
        conflict = iban_partner is not None and iban_partner not in partners
        # the amount left on one referenced invoice, or on all those of a customer
        exact = [[inv] for inv in hits if self._amount_of(line, inv) == inv.residual]
        for partner in partners:
            mine = [inv for inv in hits if inv.partner_id == partner]
            if len(mine) > 1 and len({inv.currency for inv in mine}) == 1:
                total = sum(inv.residual for inv in mine)
                if self._amount_of(line, mine[0]) == total:
                    exact.append(sorted(mine, key=lambda inv: (inv.date, inv.id)))
        certain = (
            len(exact) == 1
            and not conflict
            and (strong or iban_partner == exact[0][0].partner_id)
        )
        if exact:
            chosen = exact[0]
            reasons = [
                *reasons_of[chosen[0]],
                "amount_exact" if len(chosen) == 1 else "amount_sum",
            ]
            if chosen[0].currency != line.currency:
                reasons.append("foreign_amount")
            if iban_partner == chosen[0].partner_id:
                reasons.append("iban")
            if conflict:
                reasons.append("iban_conflict")
            if len(exact) > 1:
                reasons.append("same_amount_several")
            confidence = 100 if certain else (70 if not conflict else 40)
            return Match(
                AUTO if certain else SUGGESTION,
                [inv.id for inv in chosen],
                confidence,
                reasons,
                chosen[0].partner_id,
            )
        # referenced, but the amount is not what is left: a part, or more
        best = max(
            hits,
            key=lambda inv: (
                bank_refs.STRENGTH[hits[inv]],
                inv.partner_id == iban_partner,
                inv.date,
            ),
        )
        amount = self._amount_of(line, best)
        reasons = list(reasons_of[best])
        if amount is not None:
            reasons.append(
                "amount_partial" if amount < best.residual else "amount_over"
            )
        if iban_partner == best.partner_id:
            reasons.append("iban")
        elif conflict:
            reasons.append("iban_conflict")
        confidence = 80 if best in strong and not conflict else 50
        return Match(SUGGESTION, [best.id], confidence, reasons, best.partner_id)

    def _by_partner(self, line, partner, evidence="iban"):
        """What ``partner`` (known by the payer's IBAN, or by its name: then
        never certain) owes that the line pays."""
        found = self._by_partner_evidence(line, partner)
        if evidence != "iban":
            found.reasons = [evidence if r == "iban" else r for r in found.reasons]
            if found.kind == AUTO:
                found.kind, found.confidence = SUGGESTION, 75
        return found

    def _by_partner_evidence(self, line, partner):
        invoices = [
            inv
            for inv in self.by_partner.get(partner, ())
            if inv.date <= line.date + ISSUED_AFTER_TOLERANCE
        ]
        if not invoices:
            return Match(NONE, [], 0, ["iban"], partner)
        exact = [inv for inv in invoices if self._amount_of(line, inv) == inv.residual]
        if len(exact) == 1:
            return Match(AUTO, [exact[0].id], 100, ["iban", "amount_exact"], partner)
        if len(exact) > 1:
            return Match(
                SUGGESTION,
                [exact[0].id],
                60,
                ["iban", "amount_exact", "same_amount_several"],
                partner,
            )
        sums = self._sums(line, invoices)
        if len(sums) == 1:
            return Match(
                AUTO, [inv.id for inv in sums[0]], 95, ["iban", "amount_sum"], partner
            )
        if sums:
            return Match(
                SUGGESTION,
                [inv.id for inv in sums[0]],
                55,
                ["iban", "amount_sum", "same_amount_several"],
                partner,
            )
        oldest = invoices[0]
        amount = self._amount_of(line, oldest)
        reasons = ["iban"]
        if amount is not None:
            reasons.append(
                "amount_partial" if amount < oldest.residual else "amount_over"
            )
        return Match(SUGGESTION, [oldest.id], 35, reasons, partner)

    def _by_amount_only(self, line):
        candidates = [
            inv
            for inv in self.by_amount.get((line.currency, line.amount), ())
            if inv.date <= line.date + ISSUED_AFTER_TOLERANCE
        ]
        if line.foreign_currency and line.foreign_amount is not None:
            candidates += [
                inv
                for inv in self.by_amount.get(
                    (line.foreign_currency, line.foreign_amount), ()
                )
                if inv.date <= line.date + ISSUED_AFTER_TOLERANCE
            ]
        if not candidates:
            return Match(NONE)
        partners = {inv.partner_id for inv in candidates}
        oldest = min(candidates, key=lambda inv: (inv.date, inv.id))
        if len(partners) > 1:
            return Match(
                SUGGESTION,
                [oldest.id],
                20,
                ["amount_only", "same_amount_several"],
                oldest.partner_id,
            )
        return Match(SUGGESTION, [oldest.id], 45, ["amount_only"], oldest.partner_id)
