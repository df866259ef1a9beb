{
    "name": "CRM Invoices: Bank Statements",
    "summary": "Bank statements (CAMT.053, Romanian banks' CSV) that close invoices "
    "by themselves, on OCA's statement import and reconciliation",
    "version": "18.0.1.4.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/crm-invoices/crm-invoices",
    "author": "crm-invoices contributors",
    "maintainers": ["crm-invoices"],
    "license": "LGPL-3",
    "installable": True,
    "depends": [
        "crm_invoices",
        "account_statement_import_camt",
        "account_statement_import_sheet_file",
        "account_reconcile_oca",
    ],
    "external_dependencies": {"python": ["schwifty"]},
    "data": [
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "data/account_statement_import_sheet_mapping_data.xml",
        "views/account_bank_statement_line_views.xml",
        "views/account_bank_statement_views.xml",
        "views/account_move_views.xml",
        "views/res_config_settings_views.xml",
    ],
    "post_init_hook": "post_init_hook",
}
