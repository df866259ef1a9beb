"""Helpers of the addons' migration scripts (a database cursor, no ORM).

Renaming a record's XML id without a migration makes Odoo create the record
again under the new id and delete the old one on update: views inheriting it
would be dropped with it, and whatever points to it lost.  The migration
renames the id first (``pre-migrate``), so the update finds the record.
"""


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
