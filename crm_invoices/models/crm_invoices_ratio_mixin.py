from odoo import api, models
from odoo.tools import SQL


class CrmInvoicesRatioMixin(models.AbstractModel):
    """Report measures that are ratios of sums (or medians), right for any
    grouping.

    A ratio such as DSO is not the sum of its rows: for a group it is
    ``SUM(numerator) * factor / SUM(denominator)``.  A report lists such
    measures in ``_ratio_measures`` = ``{field: (numerator, denominator,
    factor)}``; the pivot and the graph then show the group's true ratio.
    """

    _name = "crm.invoices.ratio.mixin"
    _description = "Ratio measures for reports"

    _ratio_measures = {}
    #: ``{field: source field}``: the group's median of the source rows (NULLs
    #: left out), e.g. days to payment.
    _median_measures = {}

    @api.model
    def _read_group_select(self, aggregate_spec, query):
        fname = aggregate_spec.split(":", 1)[0]
        if fname in self._median_measures:
            return SQL(
                "PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY %s)",
                self._field_to_sql(self._table, self._median_measures[fname], query),
            )
        if fname in self._ratio_measures:
            numerator, denominator, factor = self._ratio_measures[fname]
            return SQL(
                "(SUM(%s)::float * %s / NULLIF(SUM(%s), 0))",
                self._field_to_sql(self._table, numerator, query),
                factor,
                self._field_to_sql(self._table, denominator, query),
            )
        return super()._read_group_select(aggregate_spec, query)
