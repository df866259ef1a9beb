"""ANAF's findings in plain words: which field of Odoo to fix.

ANAF's rules name the business terms of EN 16931 (``BT-52``: the buyer's
city).  Each finding is shown with the rule id, the rule's own text, and,
for every business term it names, the term in words and where it is set in
Odoo.  The English texts are marked for translation (``_`` below only marks
them; the model translates them when it shows them).
"""

import re


def _(text):
    """Marks a text for Odoo's translation export; translated when shown."""
    return text


#: business term -> (what it is, where it is set in Odoo)
BUSINESS_TERMS = {
    "BT-1": (_("invoice number"), _("the invoice's number (post it)")),
    "BT-2": (_("invoice date"), _("Invoice Date on the invoice")),
    "BT-3": (_("invoice type"), _("the invoice's type")),
    "BT-5": (_("invoice currency"), _("Currency on the invoice")),
    "BT-6": (_("VAT accounting currency"), _("Currency on the invoice")),
    "BT-9": (_("due date"), _("Due Date or Payment Terms on the invoice")),
    "BT-13": (_("order reference"), _("Reference on the invoice")),
    "BT-20": (_("payment terms"), _("Payment Terms on the invoice")),
    "BT-22": (_("invoice note"), _("Terms and Conditions on the invoice")),
    "BT-25": (_("corrected invoice"), _("the invoice this credit note reverses")),
    "BT-27": (_("seller name"), _("your company's name")),
    "BT-30": (_("seller registration"), _("your company's Tax ID or Company ID")),
    "BT-31": (_("seller VAT number"), _("your company's Tax ID")),
    "BT-32": (_("seller tax registration"), _("your company's Tax ID")),
    "BT-35": (_("seller street"), _("your company's street")),
    "BT-37": (_("seller city"), _("your company's city (in Bucharest: the sector)")),
    "BT-38": (_("seller postal code"), _("your company's ZIP")),
    "BT-39": (_("seller county"), _("your company's state (county)")),
    "BT-40": (_("seller country"), _("your company's country")),
    "BT-44": (_("customer name"), _("the customer's name")),
    "BT-47": (
        _("customer registration (CUI)"),
        _("the customer's Tax ID or Company ID"),
    ),
    "BT-48": (_("customer VAT number"), _("the customer's Tax ID")),
    "BT-50": (_("customer street"), _("the customer's street")),
    "BT-52": (_("customer city"), _("the customer's city (in Bucharest: the sector)")),
    "BT-53": (_("customer postal code"), _("the customer's ZIP")),
    "BT-54": (_("customer county"), _("the customer's state (county)")),
    "BT-55": (_("customer country"), _("the customer's country")),
    "BT-75": (_("delivery street"), _("the delivery address's street")),
    "BT-77": (_("delivery city"), _("the delivery address's city")),
    "BT-79": (_("delivery county"), _("the delivery address's state (county)")),
    "BT-84": (_("payment account"), _("the Recipient Bank on the invoice")),
    "BT-106": (_("sum of line amounts"), _("the invoice lines")),
    "BT-110": (_("VAT total"), _("the taxes of the invoice lines")),
    "BT-116": (_("VAT category taxable amount"), _("the taxes of the invoice lines")),
    "BT-118": (_("VAT category"), _("Tax Category Code on the tax")),
    "BT-120": (_("VAT exemption reason"), _("e-Factura exemption reason on the tax")),
    "BT-121": (
        _("VAT exemption reason code"),
        _("Tax Exemption Reason Code on the tax"),
    ),
    "BT-127": (_("invoice line note"), _("the line's label")),
    "BT-129": (_("invoiced quantity"), _("the line's quantity")),
    "BT-131": (_("line net amount"), _("the line's quantity, price and discount")),
    "BT-146": (_("item net price"), _("the line's unit price")),
    "BT-151": (_("line VAT category"), _("Tax Category Code on the line's tax")),
    "BT-152": (_("line VAT rate"), _("the line's tax")),
    "BT-153": (_("item name"), _("the line's product or label")),
    "BT-154": (_("item description"), _("the line's label")),
}

_TERM = re.compile(r"\bBT-\d+\b")


def terms_of(text):
    """The business terms named by a rule's text, in order, once each."""
    seen = []
    for term in _TERM.findall(text or ""):
        if term not in seen:
            seen.append(term)
    return seen


def explain(text):
    """``[(term, what, where)]`` for the business terms of ``text`` that
    this module knows."""
    return [
        (term, *BUSINESS_TERMS[term])
        for term in terms_of(text)
        if term in BUSINESS_TERMS
    ]
