"""Helpers of the addons' migration scripts.

Renaming a record's XML id without a migration makes Odoo create the record
again under the new id and delete the old one on update: views inheriting it
would be dropped with it, and whatever points to it lost.  The migration
renames the id first (``pre-migrate``), so the update finds the record.
Those helpers work on a cursor (no ORM before the update); resetting mail
templates is done after it (``post-migrate``), with the ORM.
"""

import logging

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

_logger = logging.getLogger(__name__)


def rename_xmlids(cr, module, renames):
    """Rename XML ids of ``module``: ``renames`` is ``{old name: new name}``.

    An id is renamed only when it exists and the new name is still free
    (running the migration twice changes nothing).
    :return: the number of ids renamed
    """
    renamed = 0
    for old, new in renames.items():
        cr.execute(
            """
            UPDATE ir_model_data
               SET name = %s
             WHERE module = %s AND name = %s
               AND NOT EXISTS (
                   SELECT 1 FROM ir_model_data WHERE module = %s AND name = %s
               )
            """,
            (new, module, old, module, new),
        )
        renamed += cr.rowcount
    return renamed


def list_view_renames(*old_ids):
    """``{"x_view_tree": "x_view_list"}`` for list views named the Odoo 16 way
    (Odoo 18 calls the list view ``list``)."""
    return {old: old.removesuffix("_view_tree") + "_view_list" for old in old_ids}


#: Columns that name a model, by table (those of Odoo's base and mail that a
#: renamed model's records may be referred to from).
MODEL_COLUMNS = (
    ("ir_model", "model"),
    ("ir_model_fields", "model"),
    ("ir_model_fields", "relation"),
    ("ir_model_data", "model"),
    ("ir_act_window", "res_model"),
    ("ir_act_server", "model_name"),
    ("ir_act_report_xml", "model"),
    ("mail_template", "model"),
    ("ir_ui_view", "model"),
    ("ir_filters", "model_id"),
    ("ir_attachment", "res_model"),
    ("mail_message", "model"),
    ("mail_followers", "res_model"),
    ("mail_activity", "res_model"),
)


def _exists(cr, relation):
    cr.execute("SELECT to_regclass(%s) IS NOT NULL", (relation,))
    return cr.fetchone()[0]


def _column_exists(cr, table, column):
    cr.execute(
        "SELECT 1 FROM information_schema.columns "
        "WHERE table_name = %s AND column_name = %s",
        (table, column),
    )
    return bool(cr.fetchall())


def _rename_table(cr, old, new):
    """The table, its id sequence, and its indexes and constraints named after
    it (Odoo names them ``<table>_...``)."""
    ident = SQL.identifier
    cr.execute(SQL("ALTER TABLE %s RENAME TO %s", ident(old), ident(new)))
    if _exists(cr, f"{old}_id_seq"):
        cr.execute(
            SQL(
                "ALTER SEQUENCE %s RENAME TO %s",
                ident(f"{old}_id_seq"),
                ident(f"{new}_id_seq"),
            )
        )
    cr.execute(
        "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass "
        "AND conname LIKE %s",
        (new, f"{old}\\_%"),
    )
    for (name,) in cr.fetchall():
        cr.execute(
            SQL(
                "ALTER TABLE %s RENAME CONSTRAINT %s TO %s",
                ident(new),
                ident(name),
                ident(new + name[len(old) :]),
            )
        )
    cr.execute(
        "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexname LIKE %s",
        (new, f"{old}\\_%"),
    )
    for (name,) in cr.fetchall():
        cr.execute(
            SQL(
                "ALTER INDEX %s RENAME TO %s",
                ident(name),
                ident(new + name[len(old) :]),
            )
        )
    cr.execute(
        "UPDATE ir_model_constraint SET name = %s || substr(name, %s) "
        "WHERE name LIKE %s",
        (new, len(old) + 1, f"{old}\\_%"),
    )


def rename_models(cr, module, renames):
    """Rename models of ``module`` and keep their records: ``renames`` is
    ``{old model: new model}``.

    Before the update loads the renamed code (``pre-migrate``): the table and
    what is named after it, the model's registry rows and the references to
    it by name, and the XML ids of the module that carry its table name
    (``model_<table>``, ``field_<table>__...``, views, actions, rules,
    access rights, crons).  A model already renamed is left alone.
    :return: the models renamed
    """
    done = []
    for old, new in renames.items():
        cr.execute("SELECT 1 FROM ir_model WHERE model = %s", (old,))
        if not cr.fetchall():
            continue
        old_table, new_table = old.replace(".", "_"), new.replace(".", "_")
        if _exists(cr, old_table) and not _exists(cr, new_table):
            _rename_table(cr, old_table, new_table)
        for table, column in MODEL_COLUMNS:
            if _column_exists(cr, table, column):
                cr.execute(
                    SQL(
                        "UPDATE %s SET %s = %s WHERE %s = %s",
                        SQL.identifier(table),
                        SQL.identifier(column),
                        new,
                        SQL.identifier(column),
                        old,
                    )
                )
        # the model's own ids, not a field named after it on another model
        # (``crm_efactura_submission_ids``): that field keeps its name
        pattern = old_table + "(?!_ids)"
        cr.execute(
            "UPDATE ir_model_data SET name = regexp_replace(name, %s, %s, 'g') "
            "WHERE module = %s AND name ~ %s",
            (pattern, new_table, module, pattern),
        )
        done.append(new)
    return done


def reset_untouched_templates(cr, xmlids):
    """Reset the mail templates ``xmlids`` from their source files, unless a
    person edited them (last written by a user other than the superuser and
    OdooBot): ``noupdate`` data changed by a version reaches the databases
    that kept the shipped text, never overwrites a company's own wording.

    :return: the templates reset
    """
    env = api.Environment(cr, SUPERUSER_ID, {})
    machine = {SUPERUSER_ID, env.ref("base.user_root").id}
    reset = env["mail.template"]
    for xmlid in xmlids:
        template = env.ref(xmlid, raise_if_not_found=False)
        if not template:
            continue
        if template.write_uid.id not in machine:
            _logger.warning(
                "Mail template %s was edited by %s: not reset; add the new "
                "late-payment interest lines by hand (Settings → Technical → "
                "Email Templates → Reset Template shows the shipped text)",
                xmlid,
                template.write_uid.login,
            )
            continue
        reset |= template
    reset.reset_template()
    return reset


def move_statements_off_contacts(env):
    """Statements sent before 18.0.1.6.0 were posted on the customer's
    contact, whose messages every employee reads: each becomes a
    :class:`crm.invoices.statement` (its customer, company, date, recipients
    and reminders), and its email moves there, with the replies' thread.

    :return: the number of statements made
    """
    env.cr.execute(
        """
        SELECT message.id, message.res_id, message.date,
               array_agg(reminder.id ORDER BY reminder.id),
               min(reminder.company_id), min(reminder.email_to)
          FROM crm_invoices_reminder reminder
          JOIN mail_message message ON message.id = reminder.mail_message_id
         WHERE message.model = 'res.partner'
         GROUP BY message.id
         ORDER BY message.id
        """
    )
    rows = env.cr.fetchall()
    if not rows:
        return 0
    statements = env["crm.invoices.statement"].create(
        [
            {
                "partner_id": partner_id,
                "company_id": company_id,
                "date": date,
                "email_to": email_to,
            }
            for _message, partner_id, date, _reminders, company_id, email_to in rows
        ]
    )
    for statement, (message_id, _p, _d, reminder_ids, _c, _e) in zip(
        statements, rows, strict=True
    ):
        env.cr.execute(
            SQL(
                "UPDATE crm_invoices_reminder SET statement_id = %s WHERE id = ANY(%s)",
                statement.id,
                reminder_ids,
            )
        )
        env.cr.execute(
            SQL(
                "UPDATE mail_message SET model = 'crm.invoices.statement', res_id = %s "
                "WHERE id = %s OR (model = 'res.partner' AND parent_id = %s)",
                statement.id,
                message_id,
                message_id,
            )
        )
    env.invalidate_all()
    _logger.info(
        "%s customer statement(s) moved from the customers' contacts to "
        "Invoices > Statements Sent",
        len(statements),
    )
    return len(statements)


#: What a statement template written for the customer's contact reads,
#: and what it reads on the statement.
_STATEMENT = "(ctx.get('crm_statements') or {}).get(object.id"
STATEMENT_TEMPLATE_REWRITES = (
    ("ctx.get('crm_statement') or {}", f"{_STATEMENT}) or {{}}"),
    ("ctx.get('crm_statement', {})", f"{_STATEMENT}, {{}})"),
    (
        "statement.get('company') and statement['company'].name",
        "object.company_id.name",
    ),
    ("object.name", "object.partner_id.name"),
    ("object.lang", "object.partner_id.lang"),
)


def move_statement_template(env):
    """The statement template on ``crm.invoices.statement``: reset from the
    source when nobody edited it, else moved with its expressions rewritten
    (a company's own wording kept; a warning says to check it)."""
    template = env.ref("crm_invoices.mail_template_statement", raise_if_not_found=False)
    if not template or template.model == "crm.invoices.statement":
        return
    if reset_untouched_templates(env.cr, ["crm_invoices.mail_template_statement"]):
        return
    values = {"model_id": env["ir.model"]._get_id("crm.invoices.statement")}
    source = template.with_context(lang=None)
    for name in ("body_html", "subject", "email_from", "lang"):
        text = str(source[name] or "")
        if not text:
            continue
        for old, new in STATEMENT_TEMPLATE_REWRITES:
            text = text.replace(old, new)
        values[name] = text
    values["partner_to"] = f"{{{{ {_STATEMENT}, {{}}).get('partner_to', '') }}}}"
    template.write(values)
    _logger.warning(
        "Mail template crm_invoices.mail_template_statement was edited: moved to "
        "the statement record with its expressions rewritten; check it"
    )
