{
    "name": "CRM Invoices",
    "summary": "Customer invoices the CRM way: statuses, bulk actions, "
    "invoice from a quotation, AR metrics",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/crm-invoices/crm-invoices",
    "author": "crm-invoices contributors",
    "maintainers": ["crm-invoices"],
    "license": "LGPL-3",
    "application": True,
    "installable": True,
    "depends": ["account", "sale"],
    "data": [
        "security/crm_invoices_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "views/account_move_views.xml",
        "views/sale_order_views.xml",
        "views/res_partner_views.xml",
        "report/crm_invoices_ar_report_views.xml",
        "views/crm_invoices_menus.xml",
    ],
    "demo": ["demo/crm_invoices_demo.xml"],
    "assets": {
        "web.assets_tests": ["crm_invoices/static/tests/tours/*.js"],
    },
}
