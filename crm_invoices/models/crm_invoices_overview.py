from odoo import api, fields, models
from odoo.tools import format_amount

from ..lib import invoice_status as status_rules


class CrmInvoicesOverview(models.AbstractModel):
    """The Invoices app's front door: the figures a collector watches and
    what needs doing today, for the company the user works in, each opening
    its list.

    The web client's overview (``crm_invoices.overview``) asks
    :meth:`crm_overview`; each addon adds its figures and its work with
    ``super()`` in :meth:`_crm_overview_figures` and
    :meth:`_crm_overview_todo`.  Everything is read with the user's rights,
    in the company's currency.
    """

    _name = "crm.invoices.overview"
    _description = "Invoices Overview"

    @api.model
    def crm_overview(self):
        """What the overview shows (JSON-RPC: the web client's)."""
        self.env["account.move"].check_access("read")
        company = self.env.company
        return {
            "company": company.name,
            "currency": company.currency_id.name,
            "figures": self._crm_overview_figures(company),
            "todo": [item for item in self._crm_overview_todo(company) if item],
        }

    # ------------------------------------------------------------------
    # what the addons extend
    # ------------------------------------------------------------------

    @api.model
    def _crm_overview_figures(self, company):
        """``[figure]``: the big numbers (a figure: ``key``, ``label``,
        ``value`` as shown, ``help``, ``tone``, ``action``)."""
        _ = self.env._
        moves = self.env["account.move"]
        overdue_domain = [
            ("company_id", "=", company.id),
            *status_rules.overdue_domain(fields.Date.context_today(self)),
        ]
        [(overdue, count)] = moves._read_group(
            overdue_domain, [], ["amount_residual_signed:sum", "__count"]
        )
        open_domain = [
            ("company_id", "=", company.id),
            *status_rules.receivable_domain(),
        ]
        [(receivable,)] = moves._read_group(
            open_domain, [], ["amount_residual_signed:sum"]
        )
        [metrics] = self.env["crm.invoices.ar.report"].read_group(
            [("company_id", "=", company.id)],
            ["dso:sum", "on_time_rate:sum", "due_count:sum"],
            [],
            lazy=False,
        )
        dso, on_time = metrics.get("dso"), metrics.get("on_time_rate")
        currency = company.currency_id
        return [
            {
                "key": "overdue",
                "label": _("Overdue money"),
                "value": format_amount(self.env, overdue or 0.0, currency),
                "detail": _("%(count)s invoice(s)", count=count),
                "help": _("Money left on invoices past their due date."),
                "tone": "danger" if overdue else "success",
                "action": self._crm_invoices_action(
                    _("Overdue Invoices"), overdue_domain
                ),
            },
            {
                "key": "receivable",
                "label": _("Receivable"),
                "value": format_amount(self.env, receivable or 0.0, currency),
                "detail": _("open invoices, less open credit notes"),
                "help": _("What customers owe today, in the company's currency."),
                "tone": "primary",
                "action": self._crm_invoices_action(_("Open Invoices"), open_domain),
            },
            {
                "key": "dso",
                "label": _("DSO"),
                "value": _("%(days)s days", days=round(dso)) if dso else "—",
                "detail": _("days sales outstanding"),
                "help": _(
                    "Receivable / credit sales of the last 90 days x 90: how many "
                    "days of sales customers owe."
                ),
                "tone": "primary",
                "action": self._crm_report_action(
                    "crm_invoices.crm_invoices_ar_trend_action"
                ),
            },
            {
                "key": "on_time",
                "label": _("Paid on Time"),
                "value": f"{on_time:.0f} %" if on_time is not None else "—",
                "detail": _("of the invoices due"),
                "help": _("Invoices paid in full by their due date / invoices due."),
                "tone": "primary",
                "action": self._crm_report_action(
                    "crm_invoices.crm_invoices_ar_report_action"
                ),
            },
        ]

    @api.model
    def _crm_overview_todo(self, company):
        """``[item]``: what needs doing today (an item: ``key``, ``label``,
        ``count``, ``help``, ``action``; ``None`` items are left out)."""
        _ = self.env._
        moves = self.env["account.move"]
        to_send = [
            ("company_id", "=", company.id),
            *status_rules.collectable_domain(),
            ("is_move_sent", "=", False),
        ]
        today = fields.Date.context_today(self)
        due_reminders = [
            move_id
            for move_id, _level, _days in self.env["crm.invoices.reminder.engine"]._due(
                today
            )
        ]
        to_remind = [("company_id", "=", company.id), ("id", "in", due_reminders)]
        items = [
            {
                "key": "to_send",
                "label": _("Invoices to send"),
                "count": moves.search_count(to_send),
                "help": _("Posted, not sent to the customer yet."),
                "action": self._crm_invoices_action(_("Invoices to Send"), to_send),
            },
            {
                "key": "to_remind",
                "label": _("Reminders due today"),
                "count": moves.search_count(to_remind),
                "help": _(
                    "Overdue invoices whose next reminder is due: the morning job "
                    "sends them, or send them now."
                ),
                "action": self._crm_invoices_action(_("Reminders Due"), to_remind),
            },
        ]
        rates = self.env["crm.invoices.reference.rate"]
        if company.crm_late_interest and rates._crm_missing():
            items.append(
                {
                    "key": "rates",
                    "label": _("BNR reference rate to enter"),
                    "count": len(rates._crm_missing()),
                    "help": rates.crm_rates_notice(),
                    "action": self.env["ir.actions.act_window"]._for_xml_id(
                        "crm_invoices.crm_invoices_reference_rate_action"
                    ),
                }
            )
        return items

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------

    @api.model
    def _crm_invoices_action(self, name, domain):
        """The Invoices list of ``domain``, named ``name``."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_invoices.account_move_action"
        )
        action.update(
            {
                "name": name,
                "domain": domain,
                "context": {"default_move_type": "out_invoice", "create": False},
            }
        )
        return action

    @api.model
    def _crm_report_action(self, xmlid):
        return self.env["ir.actions.act_window"]._for_xml_id(xmlid)
