{
    "name": "CRM Invoices: Recurring Invoices",
    "summary": "Invoices that repeat by themselves on OCA contracts, once per "
    "period, Perfex's recurring fields in the API, and saved cards that pay them",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/crm-invoices/crm-invoices",
    "author": "crm-invoices contributors",
    "maintainers": ["crm-invoices"],
    "license": "LGPL-3",
    "installable": True,
    "depends": ["crm_invoices", "crm_invoices_payment_link", "contract"],
    "data": [
        "security/ir.model.access.csv",
        "wizards/crm_invoices_make_recurring_views.xml",
        "views/account_move_views.xml",
        "views/contract_contract_views.xml",
        "views/res_config_settings_views.xml",
    ],
    "demo": ["demo/crm_invoices_recurring_demo.xml"],
    "assets": {
        "web.assets_tests": ["crm_invoices_recurring/static/tests/tours/*.js"],
    },
}
