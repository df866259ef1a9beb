"""The reminder and statement emails show the late-payment interest: their
templates are ``noupdate``, so an update does not load them again.  Those
nobody edited are reset from the module's file (Odoo's "Reset Template",
translations included); an edited one is left as its editor made it, and
the log says so."""

from odoo.addons.crm_invoices.migration import reset_untouched_templates

TEMPLATES = (
    "crm_invoices.mail_template_reminder_1",
    "crm_invoices.mail_template_reminder_2",
    "crm_invoices.mail_template_reminder_3",
    "crm_invoices.mail_template_statement",
)


def migrate(cr, version):
    reset_untouched_templates(cr, TEMPLATES)
