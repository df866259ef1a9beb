"""What a CIUS-RO file must say, decided without a database.

Each function takes plain values (what the builder reads from the invoice)
and returns what the XML carries, so that every rule is tested on its own:
tax categories and exemption reasons, item names and descriptions within
ANAF's lengths, addresses (ISO 3166-2 regions, Bucharest sectors), the
buyer's identifiers (VAT number, CUI, CNP, or thirteen zeros), telephone
numbers, unit prices.
"""

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

import phonenumbers
from stdnum.ro import cnp as ro_cnp
from stdnum.ro import cui as ro_cui

#: The buyer identifier ANAF accepts for a private person without a CNP.
ANONYMOUS_BUYER = "0000000000000"

#: CIUS-RO lengths (BR-RO-L100 item name BT-153, BR-RO-L200 item description
#: BT-154, BR-RO-L300 line note BT-127).
ITEM_NAME_MAX = 100
ITEM_DESCRIPTION_MAX = 200
LINE_NOTE_MAX = 300

#: VAT categories (UNCL 5305) that need an exemption reason (BR-E-10,
#: BR-AE-10, BR-IC-10, BR-G-10, BR-O-10) and those that must not have one.
EXEMPT_CATEGORIES = ("E", "AE", "K", "G", "O")

#: Exemption reasons of the VATEX code list (CEF), in words (BT-120), for the
#: codes a Romanian company uses; other codes keep the configured text.
VATEX_REASONS = {
    "VATEX-EU-AE": "Reverse charge",
    "VATEX-EU-IC": "Intra-Community supply",
    "VATEX-EU-G": "Export outside the EU",
    "VATEX-EU-O": "Not subject to VAT",
    "VATEX-EU-79-C": (
        "Exempt based on article 79, point c of Council Directive 2006/112/EC"
    ),
    "VATEX-EU-132": "Exempt based on article 132 of Council Directive 2006/112/EC",
    "VATEX-EU-143": "Exempt based on article 143 of Council Directive 2006/112/EC",
    "VATEX-EU-148": "Exempt based on article 148 of Council Directive 2006/112/EC",
    "VATEX-EU-151": "Exempt based on article 151 of Council Directive 2006/112/EC",
    "VATEX-EU-309": "Exempt based on article 309 of Council Directive 2006/112/EC",
}

#: The exemption code each category takes when the tax names none.
DEFAULT_VATEX = {
    "AE": "VATEX-EU-AE",
    "K": "VATEX-EU-IC",
    "G": "VATEX-EU-G",
    "O": "VATEX-EU-O",
}

BUCHAREST = "B"
SECTORS = tuple(f"SECTOR{number}" for number in range(1, 7))


class CiusRoError(ValueError):
    """A value the file cannot carry; ``code`` names the rule, ``values``
    the details (the model turns it into a message for the user)."""

    def __init__(self, code, **values):
        super().__init__(code)
        self.code = code
        self.values = values


# ---------------------------------------------------------------- taxes


def vatex_code(code):
    """A VATEX code as the code list writes it: ``VATEX_EU_AE`` (how Odoo's
    tax extension stores some of them) is ``VATEX-EU-AE`` (BR-CL-22)."""
    if not code:
        return None
    return code.strip().upper().replace("_", "-")


def tax_category(amount, category=None, exemption_code=None, exemption_text=None):
    """The VAT category of a tax as the file says it.

    :param amount: the tax rate in percent.
    :param category: the category configured on the tax (UNCL 5305), if any.
    :param exemption_code: the VATEX code configured on the tax, if any.
    :param exemption_text: the exemption reason configured, if any.
    :return: ``{"category", "exemption_code", "exemption_text"}``
    :raises CiusRoError: ``tax_category_missing`` for a 0 % tax without a
        category (zero-rated, exempt, reverse charge, intra-EU and export all
        are 0 %: only the tax knows which), ``tax_category_rate`` when a
        standard-rated category has 0 % or an exempt one has a rate.
    """
    code = (category or "").strip().upper() or None
    if code is None:
        if not amount:
            raise CiusRoError("tax_category_missing")
        code = "S"
    if code in ("S",) and not amount:
        raise CiusRoError("tax_category_rate", category=code, amount=amount)
    if code in (*EXEMPT_CATEGORIES, "Z") and amount:
        raise CiusRoError("tax_category_rate", category=code, amount=amount)
    if code not in EXEMPT_CATEGORIES:
        return {"category": code, "exemption_code": None, "exemption_text": None}
    reason_code = vatex_code(exemption_code) or DEFAULT_VATEX.get(code)
    text = (exemption_text or "").strip() or VATEX_REASONS.get(reason_code)
    if not reason_code and not text:
        raise CiusRoError("tax_exemption_reason_missing", category=code)
    return {
        "category": code,
        "exemption_code": reason_code,
        "exemption_text": truncate(text, 100) if text else None,
    }


# ---------------------------------------------------------------- texts


def clean_text(text):
    """One line of text: no control characters, single spaces."""
    text = "".join(
        " " if unicodedata.category(char)[0] == "C" else char for char in text or ""
    )
    return " ".join(text.split())


def truncate(text, limit):
    return text if len(text) <= limit else text[:limit]


def _cut(text, limit):
    """``text`` cut at the last space before ``limit`` (or at ``limit``)."""
    if len(text) <= limit:
        return text, ""
    cut = text.rfind(" ", 0, limit + 1)
    if cut <= limit // 2:
        cut = limit
    return text[:cut].rstrip(), text[cut:].lstrip()


def item_texts(product_name, label):
    """The item's name (BT-153), description (BT-154) and line note (BT-127)
    for an invoice line, within ANAF's lengths, losing no text.

    The name is the product's name, or the start of the label; what does not
    fit in the name continues in the description, then in the line note.
    :raises CiusRoError: ``line_text_too_long`` when the label is longer than
        the three fields together.
    """
    label = clean_text(label)
    name = clean_text(product_name)
    if name and len(name) <= ITEM_NAME_MAX:
        # the product's name is the item's name: the label has the rest
        rest = "" if label == name else label
        room = ITEM_DESCRIPTION_MAX + LINE_NOTE_MAX
    else:
        name, rest = _cut(label or name, ITEM_NAME_MAX)
        room = ITEM_NAME_MAX + ITEM_DESCRIPTION_MAX + LINE_NOTE_MAX
    description, rest = _cut(rest, ITEM_DESCRIPTION_MAX)
    note, rest = _cut(rest, LINE_NOTE_MAX)
    if rest:
        raise CiusRoError("line_text_too_long", limit=room, length=len(label))
    return {"name": name, "description": description or None, "note": note or None}


# ---------------------------------------------------------------- addresses


def region_code(country_code, state_code):
    """The country subdivision (BT-39/BT-54) in ISO 3166-2: ``RO-B``,
    ``RO-CJ``; ``DE-BY`` whether Odoo stores the state as ``BY`` or, as it
    does for Germany, already as ``DE-BY``."""
    if not state_code:
        return None
    country_code = (country_code or "").upper()
    state_code = state_code.strip().upper()
    if country_code and state_code.startswith(f"{country_code}-"):
        return state_code
    return f"{country_code}-{state_code}" if country_code else state_code


_SECTOR = re.compile(r"\bS(?:ECTOR(?:UL)?)?\s*\.?\s*([1-6])\b")


def _ascii_upper(text):
    text = unicodedata.normalize("NFKD", text or "")
    return "".join(char for char in text if not unicodedata.combining(char)).upper()


def bucharest_sector(city):
    """``SECTOR1``..``SECTOR6`` for a Bucharest address's city as people
    write it (``Sector 1``, ``sectorul 3``, ``București, Sector 6``, ``S2``),
    else ``None``."""
    match = _SECTOR.search(_ascii_upper(city))
    return f"SECTOR{match[1]}" if match else None


def city_name(country_code, state_code, city):
    """The city (BT-37/BT-52): a Bucharest sector code in Bucharest.

    :raises CiusRoError: ``bucharest_sector_missing`` for a Bucharest address
        whose city names no sector.
    """
    city = clean_text(city)
    if (country_code or "").upper() == "RO" and (state_code or "").upper() == BUCHAREST:
        sector = bucharest_sector(city)
        if not sector:
            raise CiusRoError("bucharest_sector_missing", city=city)
        return sector
    return city


def phone_number(number, country_code):
    """A telephone number in international format (``+40 21 123 4567``), or
    the number as written when it cannot be parsed."""
    number = clean_text(number)
    if not number:
        return None
    try:
        parsed = phonenumbers.parse(number, (country_code or "RO").upper())
    except phonenumbers.NumberParseException:
        return number
    if not phonenumbers.is_possible_number(parsed):
        return number
    return phonenumbers.format_number(
        parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )


# ---------------------------------------------------------------- identifiers


def _digits_of_ro(value):
    value = (value or "").strip().upper().replace(" ", "")
    return value[2:] if value.startswith("RO") else value


def buyer_identifiers(country_code, vat, registry, is_company):
    """The buyer's identifiers: ``{"vat": BT-48 or None, "legal_id": BT-47,
    "kind"}``.

    - a Romanian VAT payer (``RO`` + a valid CUI): both, the legal id being
      the CUI;
    - a Romanian company not registered for VAT: its CUI (in the VAT field
      without ``RO``, or in the company registry field) as legal id, no VAT
      identifier (Odoo's builder writes thirteen zeros and loses the CUI);
    - a Romanian private person: the CNP when valid, else thirteen zeros;
    - a foreign buyer: the VAT number as both, as given.
    """
    country_code = (country_code or "").upper()
    vat = (vat or "").strip().replace(" ", "")
    registry = (registry or "").strip().replace(" ", "")
    if country_code != "RO":
        if vat:
            return {"vat": vat, "legal_id": vat, "kind": "foreign"}
        return {"vat": None, "legal_id": registry or None, "kind": "foreign"}
    vat_digits = _digits_of_ro(vat)
    if vat.upper().startswith("RO") and ro_cui.is_valid(vat_digits):
        return {"vat": f"RO{vat_digits}", "legal_id": vat_digits, "kind": "vat_payer"}
    for candidate in (vat_digits, _digits_of_ro(registry)):
        if candidate and ro_cnp.is_valid(candidate) and len(candidate) == 13:
            return {"vat": None, "legal_id": candidate, "kind": "person"}
        if candidate and ro_cui.is_valid(candidate):
            return {"vat": None, "legal_id": candidate, "kind": "cui"}
    if not is_company:
        return {"vat": None, "legal_id": ANONYMOUS_BUYER, "kind": "anonymous"}
    raise CiusRoError("buyer_identifier_missing")


def seller_identifiers(vat, registry):
    """The seller's identifiers: BT-31 (VAT) when it is a VAT payer, and its
    legal registration (BT-30: the CUI)."""
    vat = (vat or "").strip().replace(" ", "")
    digits = _digits_of_ro(vat) or _digits_of_ro(registry)
    if not digits or not ro_cui.is_valid(digits):
        raise CiusRoError("seller_identifier_missing")
    return {
        "vat": f"RO{digits}" if vat.upper().startswith("RO") else None,
        "legal_id": digits,
    }


# ---------------------------------------------------------------- amounts


def unit_price(gross_subtotal, quantity, digits):
    """The item's net price (BT-146) rounded to ``digits`` places (the
    currency's, or the product price precision when it is finer), not the
    ten decimals of a division."""
    if not quantity:
        return Decimal(0)
    value = Decimal(str(gross_subtotal)) / Decimal(str(quantity))
    return value.quantize(Decimal(1).scaleb(-int(digits)), rounding=ROUND_HALF_UP)
