"""Plain-Python logic of crm_invoices.

Nothing in this package imports ``odoo``: the models wrap these functions, and
``tests/unit`` exercises them without a database.
"""
