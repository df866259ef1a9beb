from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import format_amount

from ..lib import schedule_dates

HORIZONS = (30, 90)


class CrmInvoicesOverview(models.AbstractModel):
    _inherit = "crm.invoices.overview"

    @api.model
    def _crm_overview_figures(self, company):
        """EXTENDS crm_invoices: what the schedules will invoice in the next
        30 and 90 days (untaxed, in the company's currency at today's
        rate), each opening the schedules due by then."""
        figures = super()._crm_overview_figures(company)
        today = fields.Date.context_today(self)
        forecasts = self._crm_recurring_forecast(company, today)
        currency = company.currency_id
        for forecast in forecasts:
            until = today + timedelta(days=forecast.days - 1)
            figures.append(
                {
                    "key": f"recurring_{forecast.days}",
                    "label": self.env._(
                        "Recurring, next %(days)s days", days=forecast.days
                    ),
                    "value": format_amount(self.env, forecast.amount, currency),
                    "detail": self.env._(
                        "%(count)s invoice(s)", count=forecast.invoices
                    ),
                    "help": self.env._(
                        "What the recurring schedules will invoice by %(date)s, "
                        "untaxed, in the company's currency.",
                        date=fields.Date.to_string(until),
                    ),
                    "tone": "primary",
                    "action": self._crm_schedules_action(
                        self.env._("Schedules Due by %(date)s", date=until),
                        self._crm_schedules_domain(company, until),
                    ),
                }
            )
        return figures

    @api.model
    def _crm_schedules_domain(self, company, until):
        return [
            ("company_id", "=", company.id),
            ("contract_type", "=", "sale"),
            ("recurring_next_date", "<=", until),
        ]

    @api.model
    def _crm_recurring_forecast(self, company, today):
        """The :class:`..lib.schedule_dates.Forecast` of each horizon."""
        until = today + timedelta(days=max(HORIZONS) - 1)
        contracts = self.env["contract.contract"]
        schedules = contracts.search(self._crm_schedules_domain(company, until))
        currency = company.currency_id
        rows = []
        for schedule in schedules:
            amount = schedule.currency_id._convert(
                schedule.crm_period_amount, currency, company, today
            )
            rows.append(
                (
                    schedule.recurring_next_date,
                    contracts.get_relative_delta(
                        schedule.recurring_rule_type, schedule.recurring_interval
                    ),
                    schedule.date_end or None,
                    amount,
                )
            )
        return schedule_dates.forecast(rows, today, HORIZONS)

    @api.model
    def _crm_schedules_action(self, name, domain):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_invoices_recurring.contract_contract_action"
        )
        action.update({"name": name, "domain": domain})
        return action
