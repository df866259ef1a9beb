from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL, float_compare, html2plaintext

from ..lib import api_payload, api_serialize, openapi
from ..lib import invoice_status as status_rules
from ..lib.api_payload import ValidationFailed

INVOICE_TYPES = ("out_invoice",)

#: Fields a request may change on a posted invoice; anything else is locked.
POSTED_EDITABLE = {
    "clientnote",
    "adminnote",
    "terms",
    "sale_agent",
    "cancel_overdue_reminders",
    "sent",
    "number",
    "subtotal",
    "total",
    "save_as_draft",
    "discount_type",
}


#: Perfex text fields and the invoice fields they go to.
FIELD_OF_TEXT = {
    "clientnote": "crm_client_note",
    "adminnote": "crm_admin_note",
    "terms": "narration",
}


class ApiConflict(UserError):
    """The request is valid but the invoice's state forbids it (HTTP 409)."""


class CrmInvoicesApi(models.AbstractModel):
    """What the REST API does with invoices, in the token user's environment.

    The controller speaks HTTP; this model speaks Odoo: it resolves the
    canonical payloads of :mod:`..lib.api_payload` into records, and reads
    invoices in batches for :mod:`..lib.api_serialize`.  It never uses sudo
    over invoice data: the token's user rights and record rules apply.
    """

    _name = "crm.invoices.api"
    _description = "Invoices REST API"

    # ------------------------------------------------------------------
    # Reading
    # ------------------------------------------------------------------

    @api.model
    def _invoices(self):
        return self.env["account.move"].with_context(active_test=False)

    @api.model
    def _base_domain(self):
        return [("move_type", "in", INVOICE_TYPES)]

    @api.model
    def _get(self, invoice_id):
        """The invoice ``invoice_id`` if it exists and the user may read it."""
        invoice = self._invoices().search(
            self._base_domain() + [("id", "=", invoice_id)], limit=1
        )
        return invoice

    #: Most invoices of an unpaged (legacy) list.
    _crm_legacy_limit = api_payload.LEGACY_LIMIT

    @api.model
    def _list(self, query):
        """A page of invoices, one row more than asked to tell if more follow.

        :return: ``(invoices, has_more, total)``; ``total`` is counted only
            when asked for, or when an unpaged list is capped.
        """
        domain = self._base_domain() + self._filter_domain(query["filters"])
        invoices = self._invoices()
        if query["paged"]:
            limit = query["per_page"]
            offset = (query["page"] - 1) * limit
        else:
            limit, offset = self._crm_legacy_limit, 0
        records = invoices.search(
            domain, order=query["order"], offset=offset, limit=limit + 1
        )
        has_more = len(records) > limit
        records = records[:limit]
        total = None
        if query["count"] or (has_more and not query["paged"]):
            total = invoices.search_count(domain)
        elif not query["paged"]:
            total = len(records)
        return records, has_more, total

    @api.model
    def _filter_domain(self, filters):
        domain = []
        if filters.get("status"):
            domain.append(("crm_status", "in", filters["status"]))
        if filters.get("clientid"):
            domain.append(("commercial_partner_id", "=", filters["clientid"]))
        if filters.get("date_from"):
            domain.append(("invoice_date", ">=", filters["date_from"]))
        if filters.get("date_to"):
            domain.append(("invoice_date", "<=", filters["date_to"]))
        return domain

    @api.model
    def _search_keyword(self, keyword):
        """Invoices matching a number (with or without prefix or leading
        zeros), a customer name or a reference."""
        prefix, number = api_payload.parse_number_keyword(keyword)
        text = (keyword or "").strip()
        conditions = [
            [("name", "ilike", text)],
            [("commercial_partner_id.name", "ilike", text)],
            [("partner_id.name", "ilike", text)],
            [("ref", "ilike", text)],
            [("payment_reference", "ilike", text)],
            [("invoice_origin", "ilike", text)],
        ]
        if number is not None:
            by_number = [("sequence_number", "=", number)]
            if prefix and prefix.rstrip("-/ ").upper() not in ("", "#"):
                by_number.append(("sequence_prefix", "ilike", prefix.rstrip("-/ ")))
            conditions.append(by_number)
        return self._invoices().search(
            expression.AND([self._base_domain(), expression.OR(conditions)]),
            order="invoice_date desc, id desc",
            limit=200,
        )

    @api.model
    def _values(self, invoices):
        """Plain values of ``invoices`` for the serializer, in one query.

        ``invoices`` come from a search under the user's record rules; their
        columns, customer address, currency and last reminder are read
        together (the ORM would spend most of the time in per-field access
        for a page of 100).
        """
        if not invoices:
            return []
        invoices.flush_recordset()
        self.env["res.partner"].flush_model(
            ["street", "city", "zip", "state_id", "country_id"]
        )
        self.env["crm.invoices.reminder"].flush_model()
        lang = self.env.lang or "en_US"
        rows = self.env.execute_query_dict(
            SQL(
                """
                SELECT move.id, move.name, move.sequence_prefix, move.sequence_number,
                       move.commercial_partner_id AS clientid,
                       move.partner_id, move.invoice_date, move.invoice_date_due,
                       move.currency_id, currency.name AS currency_name,
                       currency.decimal_places,
                       company_currency.decimal_places AS company_digits,
                       move.amount_untaxed, move.amount_tax, move.amount_total,
                       move.amount_residual, move.amount_residual_signed,
                       move.crm_status, move.is_move_sent AS is_sent,
                       move.crm_date_sent AS date_sent,
                       move.crm_client_note AS clientnote,
                       move.crm_admin_note AS adminnote,
                       move.narration AS terms,
                       move.invoice_user_id AS sale_agent,
                       move.crm_no_reminders AS no_reminders,
                       move.crm_discount_type AS discount_type,
                       partner.street AS billing_street, partner.city AS billing_city,
                       state.name AS billing_state,
                       partner.zip AS billing_zip,
                       partner.country_id AS billing_country,
                       move.create_date, move.access_token, move.move_type,
                       move.state, move.payment_state, move.company_id,
                       COALESCE(level.name->>%(lang)s, level.name->>'en_US')
                           AS last_reminder,
                       COALESCE(discount.percent, 0) AS discount_percent
                  FROM account_move move
                  JOIN res_currency currency ON currency.id = move.currency_id
                  JOIN res_company company ON company.id = move.company_id
                  JOIN res_currency company_currency
                       ON company_currency.id = company.currency_id
             LEFT JOIN res_partner partner ON partner.id = move.partner_id
             LEFT JOIN res_country_state state ON state.id = partner.state_id
             LEFT JOIN crm_invoices_reminder_level level
                       ON level.id = move.crm_last_reminder_level_id
             LEFT JOIN (
                       SELECT line.move_id,
                              CASE WHEN COUNT(DISTINCT line.discount) = 1
                                   THEN MAX(line.discount) END AS percent
                         FROM account_move_line line
                        WHERE line.move_id IN %(ids)s
                          AND line.display_type = 'product'
                     GROUP BY line.move_id
                   ) discount ON discount.move_id = move.id
                 WHERE move.id IN %(ids)s
                """,
                lang=lang,
                ids=tuple(invoices.ids),
            )
        )
        by_id = {row["id"]: row for row in rows}
        pay_urls = invoices._crm_pay_urls()
        today = fields.Date.context_today(self)
        values = []
        for invoice_id in invoices.ids:
            row = by_id[invoice_id]
            if row["name"] == "/":
                row["name"] = None
            row["terms"] = row["terms"] and html2plaintext(row["terms"])
            row["portal_url"] = pay_urls[invoice_id]
            row["days_overdue"] = status_rules.days_overdue(
                row["crm_status"], row["invoice_date_due"], today
            )
            values.append(row)
        return values

    @api.model
    def _serialize(self, invoices, detail=False):
        """The API's JSON of ``invoices``, in their order.

        The seam other addons extend to add keys to every invoice (with
        ``super()``, one query for the whole batch), together with
        :meth:`_openapi_invoice_properties` that documents them.
        :param detail: with items and payments (one invoice's answer).
        """
        result = []
        for values in self._values(invoices):
            items = payments = None
            if detail:
                invoice = invoices.browse(values["id"])
                items = self._item_values(invoice)
                payments = self._payment_values(invoice)
            result.append(api_serialize.invoice_json(values, items, payments))
        return result

    @api.model
    def _openapi_invoice_properties(self):
        """JSON schemas of the keys :meth:`_serialize` adds to Perfex's shape."""
        return {}

    @api.model
    def _openapi_document(self):
        """The OpenAPI document, its server the configured ``web.base.url``."""
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url")
        return openapi.document(
            (base_url or "").rstrip("/"), self._openapi_invoice_properties()
        )

    @api.model
    def _item_values(self, invoice):
        lines = invoice.invoice_line_ids.filtered(
            lambda line: line.display_type == "product"
        )
        items = []
        for line in lines:
            description, long_description = api_serialize.split_description(line.name)
            items.append(
                {
                    "id": line.id,
                    "description": description,
                    "long_description": long_description,
                    "qty": line.quantity,
                    "rate": line.price_unit,
                    "unit": line.product_uom_id.name if line.product_uom_id else "",
                    "order": line.sequence,
                    "taxes": [(tax.name, tax.amount) for tax in line.tax_ids],
                    "subtotal": line.price_subtotal,
                }
            )
        return items

    @api.model
    def _payment_values(self, invoice):
        widget = invoice.invoice_payments_widget or {}
        payments = []
        for entry in widget.get("content") or []:
            payments.append(
                {
                    "id": entry.get("account_payment_id") or entry.get("move_id"),
                    "amount": entry.get("amount"),
                    "mode": entry.get("payment_method_name")
                    or entry.get("journal_name"),
                    "date": entry.get("date"),
                    "reference": entry.get("ref") or entry.get("name"),
                }
            )
        return payments

    # ------------------------------------------------------------------
    # Writing
    # ------------------------------------------------------------------

    @api.model
    def _create(self, payload):
        values = self._header_values(payload, creating=True)
        values["move_type"] = "out_invoice"
        # the token's company (first of the request's companies), not the
        # user's default one
        values["company_id"] = self.env.company.id
        values["invoice_line_ids"] = [
            Command.create(self._line_values(item, payload, f"newitems[{index}]"))
            for index, item in enumerate(payload["newitems"])
        ]
        sent = values.pop("is_move_sent", False)
        if sent and payload.get("save_as_draft"):
            raise ValidationFailed({"sent": "a draft cannot be marked as sent"})
        invoice = self._invoices().create(values)
        self._check_totals(invoice, payload)
        if not payload.get("save_as_draft"):
            invoice.action_post()
        if sent:
            invoice.action_crm_mark_sent()
        return invoice

    @api.model
    def _update(self, invoice, payload):
        locked = sorted(set(payload) - POSTED_EDITABLE)
        if invoice.state == "cancel":
            raise ApiConflict(
                self.env._(
                    "Invoice %(name)s is cancelled: it cannot change.",
                    name=invoice.name,
                )
            )
        if invoice.state == "posted" and locked:
            raise ApiConflict(
                self.env._(
                    "Invoice %(name)s is posted: %(fields)s cannot change any more. "
                    "Reset it to draft in Odoo, or cancel it and issue a new one.",
                    name=invoice.name,
                    fields=", ".join(locked),
                )
            )
        values = self._header_values(payload, creating=False, invoice=invoice)
        commands = []
        lines = invoice.invoice_line_ids.filtered(
            lambda line: line.display_type == "product"
        )
        errors = {}
        for line_id, changes in (payload.get("items") or {}).items():
            line = lines.filtered(lambda candidate, lid=line_id: candidate.id == lid)
            if not line:
                errors[f"items[{line_id}]"] = "no such item on this invoice"
                continue
            commands.append(
                Command.update(
                    line.id, self._line_values(changes, payload, f"items[{line_id}]")
                )
            )
        for line_id in payload.get("removed_items") or []:
            if line_id not in lines.ids:
                errors[f"removed_items[{line_id}]"] = "no such item on this invoice"
                continue
            commands.append(Command.delete(line_id))
        for index, item in enumerate(payload.get("newitems") or []):
            commands.append(
                Command.create(self._line_values(item, payload, f"newitems[{index}]"))
            )
        if "discount_percent" in payload:
            untouched = set(lines.ids) - set(payload.get("items") or ())
            untouched -= set(payload.get("removed_items") or ())
            for line_id in sorted(untouched):
                commands.append(
                    Command.update(
                        line_id, {"discount": float(payload["discount_percent"])}
                    )
                )
        if errors:
            raise ValidationFailed(errors)
        if commands:
            values["invoice_line_ids"] = commands
        sent = values.pop("is_move_sent", None)
        if values:
            invoice.write(values)
        if sent:
            invoice.action_crm_mark_sent()
        if commands:
            remaining = invoice.invoice_line_ids.filtered(
                lambda line: line.display_type == "product"
            )
            if not remaining:
                raise ValidationFailed(
                    {"removed_items": "an invoice keeps at least one item"}
                )
        self._check_totals(invoice, payload)
        return invoice

    @api.model
    def _delete(self, invoice):
        """Delete a draft that never had a number; cancel anything else.

        :return: ``"deleted"`` or ``"cancelled"``
        """
        if invoice.state == "cancel":
            raise ApiConflict(
                self.env._("Invoice %(name)s is already cancelled.", name=invoice.name)
            )
        if invoice.state == "posted" and invoice.payment_state != "not_paid":
            raise ApiConflict(
                self.env._(
                    "Invoice %(name)s has payments: unreconcile them or issue a "
                    "credit note instead.",
                    name=invoice.name,
                )
            )
        if invoice.state == "draft" and not invoice._crm_numbered():
            invoice.unlink()
            return "deleted"
        invoice.button_cancel()
        return "cancelled"

    # ------------------------------------------------------------------
    # Resolution of the payload into Odoo values
    # ------------------------------------------------------------------

    @api.model
    def _header_values(self, payload, creating, invoice=None):
        """Odoo values of the invoice header; every bad field in one error."""
        errors = {}
        values = self._customer_values(payload, invoice, errors)
        if "date" in payload:
            values["invoice_date"] = payload["date"]
        if "duedate" in payload:
            values["invoice_date_due"] = payload["duedate"]
            values["invoice_payment_term_id"] = False
        if "currency" in payload:
            currency = self._currency(payload["currency"], errors)
            if currency:
                values["currency_id"] = currency.id
        if "sale_agent" in payload:
            values["invoice_user_id"] = self._sale_agent(payload["sale_agent"], errors)
        for key, field in FIELD_OF_TEXT.items():
            if key in payload:
                values[field] = payload[key] or False
        if "cancel_overdue_reminders" in payload:
            values["crm_no_reminders"] = payload["cancel_overdue_reminders"]
        if "discount_type" in payload:
            values["crm_discount_type"] = payload["discount_type"] or False
        values.update(self._sent_values(payload, invoice))
        if errors:
            raise ValidationFailed(errors)
        return values

    @api.model
    def _customer_values(self, payload, invoice, errors):
        values = {}
        if "clientid" in payload:
            partner = self.env["res.partner"].search(
                [("id", "=", payload["clientid"])], limit=1
            )
            if not partner:
                errors["clientid"] = f"unknown customer {payload['clientid']}"
            else:
                values["partner_id"] = partner.id
        if any(key in payload for key in api_payload.BILLING + ("billing_country",)):
            customer = self.env["res.partner"].browse(
                values.get("partner_id") or (invoice and invoice.partner_id.id)
            )
            if customer:
                address = self._billing_contact(customer, payload, errors)
                if address:
                    values["partner_id"] = address.id
        return values

    @api.model
    def _sale_agent(self, agent_id, errors):
        if not agent_id:
            return False
        agent = self.env["res.users"].search(
            [("id", "=", agent_id), ("share", "=", False)], limit=1
        )
        if not agent:
            errors["sale_agent"] = f"unknown staff member {agent_id}"
        return agent.id or False

    @api.model
    def _sent_values(self, payload, invoice):
        if payload.get("sent"):
            if invoice is not None and invoice.state != "posted":
                raise ApiConflict(
                    self.env._("Only a posted invoice can be marked as sent.")
                )
            return {"is_move_sent": True}
        if (
            payload.get("sent") is False
            and invoice is not None
            and invoice.is_move_sent
        ):
            raise ApiConflict(
                self.env._("A sent invoice cannot be marked as not sent.")
            )
        return {}

    @api.model
    def _currency(self, value, errors):
        currencies = self.env["res.currency"].with_context(active_test=False)
        domain = (
            [("name", "=", value)] if isinstance(value, str) else [("id", "=", value)]
        )
        currency = currencies.search(domain, limit=1)
        if not currency:
            errors["currency"] = f"unknown currency {value}"
        elif not currency.active:
            errors["currency"] = (
                f"currency mismatch: {currency.name} is not enabled in "
                f"{self.env.company.name}"
            )
            currency = currency.browse()
        return currency

    @api.model
    def _billing_contact(self, customer, payload, errors):
        """The invoice address of ``customer`` with the billing_* fields:
        the customer itself when they match, else a child invoice contact."""
        country = self.env["res.country"]
        if "billing_country" in payload:
            value = payload["billing_country"]
            domain = (
                [("code", "=", value)]
                if isinstance(value, str)
                else [("id", "=", value)]
            )
            country = country.search(domain, limit=1)
            if not country:
                errors["billing_country"] = f"unknown country {value}"
                return None
        commercial = customer.commercial_partner_id
        country = country or commercial.country_id
        state = self.env["res.country.state"]
        if payload.get("billing_state"):
            state = state.search(
                [
                    ("country_id", "=", country.id),
                    "|",
                    ("code", "=ilike", payload["billing_state"]),
                    ("name", "=ilike", payload["billing_state"]),
                ],
                limit=1,
            )
        address = {
            "street": payload.get("billing_street", commercial.street) or False,
            "city": payload.get("billing_city", commercial.city) or False,
            "zip": payload.get("billing_zip", commercial.zip) or False,
            "country_id": country.id or False,
            "state_id": state.id
            or (commercial.state_id.id if not payload.get("billing_state") else False),
        }
        candidates = commercial | commercial.child_ids.filtered(
            lambda c: c.type == "invoice"
        )
        for candidate in candidates:
            if all(
                (candidate[key].id if key.endswith("_id") else candidate[key]) == value
                for key, value in address.items()
            ):
                return candidate
        return self.env["res.partner"].create(
            {
                **address,
                "parent_id": commercial.id,
                "type": "invoice",
                "name": commercial.name,
            }
        )

    @api.model
    def _line_values(self, item, payload, key):
        values = {}
        if "description" in item or "long_description" in item:
            title = item.get("description") or ""
            details = item.get("long_description")
            values["name"] = f"{title}\n{details}" if details else title
        if "qty" in item:
            values["quantity"] = float(item["qty"])
        if "rate" in item:
            values["price_unit"] = float(item["rate"])
        if "order" in item:
            values["sequence"] = item["order"]
        if item.get("unit"):
            uom = self.env["uom.uom"].search(
                [("name", "=ilike", item["unit"])], limit=1
            )
            if uom:
                values["product_uom_id"] = uom.id
        if "taxes" in item:
            values["tax_ids"] = [
                Command.set(self._taxes(item["taxes"], f"{key}[taxname]"))
            ]
        elif "description" in item and "qty" in item:  # a new line: no default taxes
            values["tax_ids"] = [Command.clear()]
        if "discount_percent" in payload:
            values["discount"] = float(payload["discount_percent"])
        return values

    @api.model
    def _taxes(self, pairs, key):
        taxes = self.env["account.tax"]
        ids = []
        for name, rate in pairs:
            tax = taxes.search(
                [
                    *taxes._check_company_domain(self.env.company),
                    ("type_tax_use", "=", "sale"),
                    ("amount", "=", float(rate)),
                    "|",
                    ("name", "=ilike", name),
                    ("description", "=ilike", name),
                ],
                limit=1,
            )
            if not tax:
                raise ValidationFailed({key: f"unknown tax {name}|{rate}"})
            ids.append(tax.id)
        return ids

    @api.model
    def _check_totals(self, invoice, payload):
        """The client's subtotal and total must be Odoo's, to the rounding."""
        currency = invoice.currency_id
        errors = {}
        for key, computed in (
            ("subtotal", invoice.amount_untaxed),
            ("total", invoice.amount_total),
        ):
            if key in payload and float_compare(
                float(payload[key]), computed, precision_rounding=currency.rounding
            ):
                errors[key] = (
                    f"{key} sent is {payload[key]} but Odoo computes "
                    f"{currency.round(computed):.{currency.decimal_places}f}"
                )
        if errors:
            raise ValidationFailed(errors, message="Totals do not match")
