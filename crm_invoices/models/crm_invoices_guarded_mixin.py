from odoo import api, models
from odoo.exceptions import AccessError


class CrmInvoicesGuardedMixin(models.AbstractModel):
    """Fields that decide money -- an interest exemption, a charge, a pay
    link's or a bank line's match -- written only by the code of the actions
    meant for them, never by a plain ``create`` or ``write``.

    ``readonly`` in a view is not a permission: any user who may write the
    record could set such a field over RPC.  The actions that own these
    fields check who acts, then write them as superuser; every other write
    of them is refused.  An addon adds its fields by extending
    :meth:`_crm_guarded_fields`.
    """

    _name = "crm.invoices.guarded.mixin"
    _description = "Fields written only through their actions"

    @api.model
    def _crm_guarded_fields(self):
        """The names of the fields only the actions that own them write."""
        return frozenset()

    @api.model
    def _crm_check_guarded(self, vals_list):
        if self.env.su:
            return
        written = self._crm_guarded_fields().intersection(
            name for vals in vals_list for name in vals
        )
        if written:
            labels = sorted(self._fields[name].string for name in written)
            raise AccessError(
                self.env._(
                    "%(fields)s of %(model)s can only be changed through the actions "
                    "meant for them.",
                    fields=", ".join(labels),
                    model=self._description,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._crm_check_guarded(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._crm_check_guarded([vals])
        return super().write(vals)
