{
    "name": "CRM Invoices: e-Factura",
    "summary": "Romanian e-Factura on l10n_ro_edi: validated locally with ANAF's "
    "rules, exchanged with ANAF's SPV by itself, never sent twice",
    "version": "18.0.1.5.0",
    "category": "Accounting/Localizations/EDI",
    "website": "https://github.com/crm-invoices/crm-invoices",
    "author": "crm-invoices contributors",
    "maintainers": ["crm-invoices"],
    "license": "LGPL-3",
    "installable": True,
    "depends": ["crm_invoices", "l10n_ro_edi", "account_edi_ubl_cii_tax_extension"],
    "external_dependencies": {
        "python": ["saxonche", "holidays", "python-stdnum", "phonenumbers"],
    },
    "data": [
        "security/crm_invoices_efactura_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "data/mail_template_data.xml",
        "views/account_move_views.xml",
        "views/account_tax_views.xml",
        "views/crm_invoices_efactura_submission_views.xml",
        "views/res_config_settings_views.xml",
    ],
    "assets": {
        "web.assets_tests": ["crm_invoices_efactura/static/tests/tours/*.js"],
    },
    "post_init_hook": "post_init_hook",
}
