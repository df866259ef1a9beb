from datetime import timedelta

from odoo import fields, models
from odoo.tools import SQL

from ..lib import ar_metrics
from ..lib import invoice_status as status_rules


class CrmInvoicesArReport(models.Model):
    """One row per posted customer invoice or credit note, seen from today.

    The ratios (DSO, on-time rate) are not sums of rows: their aggregate is
    computed from the sums of their parts in :meth:`_read_group_select`, so the
    pivot and the graph show the right figure for any grouping.
    """

    _name = "crm.invoices.ar.report"
    _inherit = "crm.invoices.ar.measures.mixin"
    _description = "Accounts Receivable Metrics"
    _auto = False
    _rec_name = "move_id"
    _order = "invoice_date_due"

    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    move_type = fields.Selection(
        [("out_invoice", "Invoice"), ("out_refund", "Credit Note")],
        string="Type",
        readonly=True,
    )
    crm_status = fields.Selection(
        status_rules.SELECTION, string="Invoice Status", readonly=True
    )
    invoice_date = fields.Date(readonly=True)
    invoice_date_due = fields.Date(string="Due Date", readonly=True)
    crm_date_paid = fields.Date(string="Paid On", readonly=True)
    aging_bucket = fields.Selection(
        ar_metrics.aging_selection(), string="Aging", readonly=True
    )
    days_overdue = fields.Integer(readonly=True, aggregator="max")
    amount_total = fields.Monetary(
        string="Invoiced", currency_field="currency_id", readonly=True
    )
    amount_residual = fields.Monetary(
        string="Receivable", currency_field="currency_id", readonly=True
    )
    credit_sales_window = fields.Monetary(
        help="Invoiced minus credited over the last 90 days."
    )
    dso = fields.Float(
        help="Days sales outstanding: receivable / credit sales of the last "
        "90 days x 90."
    )
    due_count = fields.Integer(
        help="Invoices whose due date has passed, or already paid in full."
    )
    paid_on_time_count = fields.Integer(
        help="Invoices paid in full on or before their due date."
    )
    on_time_rate = fields.Float(help="Paid on time / invoices due.")

    _ratio_measures = {
        "dso": ("amount_residual", "credit_sales_window", ar_metrics.DSO_WINDOW_DAYS),
        "on_time_rate": ("paid_on_time_count", "due_count", 100),
    }

    _depends = {
        "account.move": [
            "move_type",
            "state",
            "company_id",
            "commercial_partner_id",
            "invoice_user_id",
            "invoice_date",
            "invoice_date_due",
            "amount_total_signed",
            "amount_residual_signed",
            "payment_state",
            "crm_status",
            "crm_date_paid",
        ],
    }

    @property
    def _table_query(self):
        columns = self._ar_columns()
        # the amounts in the current company's currency, at today's rate, as
        # Odoo's invoice analysis converts them: companies of several
        # currencies never add lei to dollars
        return SQL(
            """
            SELECT %(columns)s
              FROM account_move move
              JOIN res_company company ON company.id = move.company_id
              JOIN %(currency_table)s
                ON account_currency_table.company_id = move.company_id
              CROSS JOIN LATERAL (
                  SELECT %(today)s::date - move.invoice_date_due AS days
              ) overdue
              %(joins)s
             WHERE move.move_type IN ('out_invoice', 'out_refund')
               AND move.state = 'posted'
            """,
            currency_table=self.env["res.currency"]._crm_currency_table(
                self.env.companies
            ),
            columns=SQL(", ").join(
                SQL("%s AS %s", expression, SQL.identifier(alias))
                for alias, expression in columns.items()
            ),
            today=fields.Date.context_today(self),
            joins=SQL(" ").join(self._ar_joins()),
        )

    def _ar_joins(self):
        """More tables for the columns of :meth:`_ar_columns` (``move`` is the
        invoice); other addons add theirs with ``super()``."""
        return []

    def _ar_columns(self):
        """``{column: SQL expression}`` of the report's rows.

        The seam other addons extend with ``super()`` to add measures (with the
        fields that read them), rather than copying the query.
        """
        today = fields.Date.context_today(self)
        window_start = today - timedelta(days=ar_metrics.DSO_WINDOW_DAYS)
        days = SQL("overdue.days")
        rate = SQL("account_currency_table.rate")
        open_amount = SQL(
            "(CASE WHEN move.payment_state IN %s THEN 0.0 "
            "ELSE move.amount_residual_signed * %s END)",
            status_rules.SETTLED_PAYMENT_STATES,
            rate,
        )
        credit_sales = SQL(
            "(CASE WHEN move.invoice_date > %s AND move.invoice_date <= %s "
            "THEN move.amount_total_signed * %s ELSE 0.0 END)",
            window_start,
            today,
            rate,
        )
        is_due = SQL(
            "(move.move_type = 'out_invoice' AND move.invoice_date_due IS NOT NULL "
            "AND (move.invoice_date_due < %s OR move.crm_date_paid IS NOT NULL))",
            today,
        )
        on_time = SQL(
            "(move.move_type = 'out_invoice' AND move.crm_date_paid IS NOT NULL "
            "AND move.crm_date_paid <= move.invoice_date_due)"
        )
        return {
            "id": SQL("move.id"),
            "move_id": SQL("move.id"),
            "company_id": SQL("move.company_id"),
            "currency_id": SQL("%s", self.env.company.currency_id.id),
            "partner_id": SQL("move.commercial_partner_id"),
            "invoice_user_id": SQL("move.invoice_user_id"),
            "move_type": SQL("move.move_type"),
            "crm_status": SQL("move.crm_status"),
            "invoice_date": SQL("move.invoice_date"),
            "invoice_date_due": SQL("move.invoice_date_due"),
            "crm_date_paid": SQL("move.crm_date_paid"),
            "aging_bucket": SQL(
                "CASE WHEN %s = 0 THEN NULL ELSE %s END",
                open_amount,
                SQL(  # noqa: S608 - constants of ar_metrics
                    ar_metrics.aging_sql_case(
                        "overdue.days", "move.move_type = 'out_refund'"
                    )
                ),
            ),
            "days_overdue": SQL(
                "CASE WHEN %s > 0 THEN GREATEST(%s, 0) ELSE 0 END", open_amount, days
            ),
            "amount_total": SQL("move.amount_total_signed * %s", rate),
            "amount_residual": open_amount,
            "credit_sales_window": credit_sales,
            "dso": SQL(
                "(CASE WHEN %s <> 0 THEN %s / %s * %s END)",
                credit_sales,
                open_amount,
                credit_sales,
                ar_metrics.DSO_WINDOW_DAYS,
            ),
            "due_count": SQL("%s::int", is_due),
            "paid_on_time_count": SQL("%s::int", on_time),
            "on_time_rate": SQL("CASE WHEN %s THEN 100 * %s::int END", is_due, on_time),
        }
