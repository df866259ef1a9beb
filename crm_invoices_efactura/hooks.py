from collections import defaultdict

from .lib.ro_taxes import RO_SALE_TAXES


def post_init_hook(env):
    """Companies on the Romanian chart get the e-Factura category of their
    sales taxes, where nobody set one (a category set by hand stays); the
    users of Romanian companies see e-Factura."""
    env["res.users"]._crm_efactura_sync_group()
    companies = env["res.company"].search([("chart_template", "=", "ro")])
    names = {
        f"{company.id}_{xmlid}": xmlid
        for company in companies
        for xmlid in RO_SALE_TAXES
    }
    if not names:
        return
    data = env["ir.model.data"].search(
        [
            ("module", "=", "account"),
            ("model", "=", "account.tax"),
            ("name", "in", list(names)),
        ]
    )
    by_values = defaultdict(list)
    for record in data:
        by_values[RO_SALE_TAXES[names[record.name]]].append(record.res_id)
    for (category, code, reason), tax_ids in by_values.items():
        env["account.tax"].browse(tax_ids).filtered(
            lambda tax: not tax.ubl_cii_tax_category_code
        ).write(
            {
                "ubl_cii_tax_category_code": category,
                "ubl_cii_tax_exemption_reason_code": code or False,
                "crm_efactura_exemption_reason": reason or False,
            }
        )
