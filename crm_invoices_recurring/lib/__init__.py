"""What the recurring invoices need without a database (never imports odoo)."""
