"""A CAMT.053 statement written from plain values, as a bank writes one.

No Odoo here: the Odoo tests and ``tests/bench/bench_bank.py`` build their
files with it.  Each entry is a dict: ``amount`` (negative: money out),
``date``, and optionally ``text`` (unstructured remittance), ``reference``
(a structured creditor reference), ``name`` (the payer), ``iban`` (the
payer's account) and ``bank_ref`` (the bank's own reference of the entry).
"""

from decimal import Decimal
from xml.sax.saxutils import escape

NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"


def _amount(value):
    return f"{abs(Decimal(str(value))):.2f}"


def _balance(code, amount, currency, day):
    side = "CRDT" if Decimal(str(amount)) >= 0 else "DBIT"
    return (
        f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp>"
        f'<Amt Ccy="{currency}">{_amount(amount)}</Amt>'
        f"<CdtDbtInd>{side}</CdtDbtInd><Dt><Dt>{day}</Dt></Dt></Bal>"
    )


def _entry(entry, currency):
    amount = Decimal(str(entry["amount"]))
    side, party = ("CRDT", "Dbtr") if amount >= 0 else ("DBIT", "Cdtr")
    parties = ""
    if entry.get("name"):
        parties += f"<{party}><Nm>{escape(entry['name'])}</Nm></{party}>"
    if entry.get("iban"):
        parties += f"<{party}Acct><Id><IBAN>{entry['iban']}</IBAN></Id></{party}Acct>"
    remittance = ""
    if entry.get("text"):
        remittance += f"<Ustrd>{escape(entry['text'])}</Ustrd>"
    if entry.get("reference"):
        remittance += (
            "<Strd><CdtrRefInf><Ref>"
            f"{escape(entry['reference'])}</Ref></CdtrRefInf></Strd>"
        )
    bank_ref = entry.get("bank_ref", "")
    return (
        "<Ntry>"
        + (f"<NtryRef>{bank_ref}</NtryRef>" if bank_ref else "")
        + f'<Amt Ccy="{currency}">{_amount(amount)}</Amt>'
        f"<CdtDbtInd>{side}</CdtDbtInd><Sts>BOOK</Sts>"
        f"<BookgDt><Dt>{entry['date']}</Dt></BookgDt>"
        f"<ValDt><Dt>{entry['date']}</Dt></ValDt>"
        + (f"<AcctSvcrRef>{bank_ref}</AcctSvcrRef>" if bank_ref else "")
        + "<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd>"
        "<SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>"
        "<NtryDtls><TxDtls>"
        f'<AmtDtls><TxAmt><Amt Ccy="{currency}">{_amount(amount)}</Amt></TxAmt>'
        "</AmtDtls>"
        + (f"<RltdPties>{parties}</RltdPties>" if parties else "")
        + (f"<RmtInf>{remittance}</RmtInf>" if remittance else "")
        + "</TxDtls></NtryDtls></Ntry>"
    )


def statement(entries, iban=None, currency="RON", opening=0, name="STMT-1"):
    """The CAMT.053 document (bytes) of one account's statement with
    ``entries``; its opening and closing balances agree with them."""
    entries = list(entries)
    days = sorted(str(entry["date"]) for entry in entries) or ["2026-01-01"]
    closing = Decimal(str(opening)) + sum(
        (Decimal(str(entry["amount"])) for entry in entries), Decimal(0)
    )
    account = f"<Acct><Id><IBAN>{iban}</IBAN></Id><Ccy>{currency}</Ccy></Acct>"
    body = "".join(_entry(entry, currency) for entry in entries)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<Document xmlns="{NS}"><BkToCstmrStmt>'
        f"<GrpHdr><MsgId>{name}</MsgId><CreDtTm>{days[-1]}T18:00:00</CreDtTm>"
        "</GrpHdr>"
        f"<Stmt><Id>{name}</Id><CreDtTm>{days[-1]}T18:00:00</CreDtTm>"
        + (account if iban else "")
        + _balance("OPBD", opening, currency, days[0])
        + _balance("CLBD", closing, currency, days[-1])
        + body
        + "</Stmt></BkToCstmrStmt></Document>"
    ).encode()
