"""The e-Factura VAT category of each sales tax of Odoo's Romanian chart.

Keys are the chart's tax ids (``l10n_ro``'s ``account.tax-ro.csv``); values
are the category (UNCL 5305), the VATEX code as Odoo's tax extension stores
it (its selection keys: ``VATEX_EU_AE`` with underscores for some, which the
builder writes as the code list does), and the reason in words for exempt
supplies (Codul fiscal) where no VATEX code says it.
"""

RO_SALE_TAXES = {
    # domestic 0 %: zero-rated, from the tax, not guessed
    "tvac_00": ("Z", None, None),
    "tvac_00_s": ("Z", None, None),
    # domestic reverse charge (art. 331 Codul fiscal)
    "tvati": ("AE", "VATEX_EU_AE", None),
    # exempt supplies
    "tvatiscded": ("E", None, "Scutit cu drept de deducere (art. 294 Codul fiscal)"),
    "tvatiscnoded": (
        "E",
        None,
        "Scutit fara drept de deducere (art. 292 Codul fiscal)",
    ),
    # outside the scope of VAT
    "tvatine": ("O", "VATEX_EU_O", None),
    # intra-Community supplies
    "tvati_intrab": ("K", "VATEX_EU_IC", None),
    "tvati_intras": ("K", "VATEX_EU_IC", None),
    # exports
    "tvati_extra": ("G", "VATEX_EU_G", None),
    "tvati_extras": ("G", "VATEX_EU_G", None),
    # standard rates
    "tvac_05": ("S", None, None),
    "tvac_05_s": ("S", None, None),
    "tvac_09": ("S", None, None),
    "tvac_09_s": ("S", None, None),
    "tvac_19": ("S", None, None),
    "tvac_19_s": ("S", None, None),
}
