from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import html2plaintext

from .. import queries
from ..lib import api_payload, api_serialize, openapi, perfex, webhook_events
from ..lib import invoice_status as status_rules

INVOICE_TYPES = ("out_invoice",)


class CrmInvoicesApi(models.AbstractModel):
    """What the REST API reads, in the token user's environment.

    The controller speaks HTTP; this model finds invoices and reads them in
    batches for the answer shapes (:mod:`..lib.perfex` for Perfex's dialect,
    :mod:`..lib.api_serialize` for the typed pages); ``crm.invoices.api.writer``
    changes them.  It never uses sudo over invoice data: the token's user
    rights and record rules apply.
    """

    _name = "crm.invoices.api"
    _description = "Invoices REST API"

    #: Most invoices of an unpaged (legacy) list.
    _crm_legacy_limit = api_payload.LEGACY_LIMIT

    # ------------------------------------------------------------------
    # Finding
    # ------------------------------------------------------------------

    @api.model
    def _invoices(self):
        return self.env["account.move"].with_context(active_test=False)

    @api.model
    def _base_domain(self, include_cancelled=False):
        """Customer invoices; a cancelled one answers like a deleted one (as
        after a Perfex DELETE) unless the client asks for cancelled ones."""
        domain = [("move_type", "in", INVOICE_TYPES)]
        if not include_cancelled:
            # the states other than cancelled, named: the count then reads
            # them from the index (move_type, company_id, state) instead of
            # testing every entry ("!=" also admits NULL, which state never is)
            states = self.env["account.move"]._fields["state"].get_values(self.env)
            domain.append(("state", "in", [s for s in states if s != "cancel"]))
        return domain

    @api.model
    def _get(self, invoice_id, include_cancelled=False):
        """The invoice ``invoice_id`` if it exists and the user may read it."""
        return self._invoices().search(
            self._base_domain(include_cancelled) + [("id", "=", invoice_id)], limit=1
        )

    @api.model
    def _list(self, query):
        """A page of invoices, one row more than asked to tell if more follow.

        :return: ``(invoices, has_more, total)``; ``total`` is the number of
            invoices matching: known for free on a last page (or an unpaged
            list that is not capped), else counted.
        """
        filters = query["filters"]
        include_cancelled = filters.get("include_cancelled") or (
            status_rules.CANCELLED in (filters.get("status") or ())
        )
        domain = self._base_domain(include_cancelled) + self._filter_domain(filters)
        invoices = self._invoices()
        if query["paged"]:
            limit = query["per_page"]
            offset = (query["page"] - 1) * limit
        else:
            limit = min(
                query.get("legacy_limit") or self._crm_legacy_limit,
                self._crm_legacy_limit,
            )
            offset = 0
        records = invoices.search(
            domain, order=query["order"], offset=offset, limit=limit + 1
        )
        has_more = len(records) > limit
        records = records[:limit]
        if has_more or (offset and not records):
            total = invoices.search_count(domain)
        else:
            total = offset + len(records)  # the last page: known for free
        return records, has_more, total

    @api.model
    def _filter_domain(self, filters):
        domain = []
        if filters.get("status"):
            domain.append(("crm_status", "in", filters["status"]))
        if filters.get("clientid"):
            customer = self.env["res.partner"]._crm_of_api_clientid(filters["clientid"])
            domain.append(("commercial_partner_id", "=", customer.id or 0))
        if filters.get("date_from"):
            domain.append(("invoice_date", ">=", filters["date_from"]))
        if filters.get("date_to"):
            domain.append(("invoice_date", "<=", filters["date_to"]))
        if filters.get("created_after"):
            domain.append(("create_date", ">=", filters["created_after"]))
        if filters.get("created_before"):
            domain.append(("create_date", "<=", filters["created_before"]))
        return domain

    @api.model
    def _search_keyword(self, keyword):
        """Invoices matching a number (the client's, or Odoo's with or without
        prefix or leading zeros), a customer name or a reference."""
        prefix, number = api_payload.parse_number_keyword(keyword)
        text = (keyword or "").strip()
        conditions = [
            [("name", "ilike", text)],
            [("crm_client_number", "=", api_payload.normalize_number(text))],
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
            order="id",
            limit=200,
        )

    # ------------------------------------------------------------------
    # Answers
    # ------------------------------------------------------------------

    @api.model
    def _serialize(self, invoices, detail=False, shape="perfex"):
        """The API's JSON of ``invoices``, in their order.

        The seam other addons extend to add keys to every invoice (with
        ``super()``, one query for the whole batch), together with
        :meth:`_openapi_invoice_properties` that documents them.

        :param detail: one invoice's answer (items, payments, customer...).
        :param shape: ``"perfex"`` (Perfex's columns, strings), ``"search"``
            (the same joined with the customer's) or ``"typed"`` (the paged
            answer: numbers as numbers).
        """
        rows = self._values(invoices)
        clients = self._client_values(invoices) if detail or shape == "search" else {}
        result = []
        for values in rows:
            if shape == "typed":
                result.append(api_serialize.invoice_json(values))
                continue
            client = clients.get(values["clientid"], {})
            if shape == "search":
                result.append(perfex.search_row(values, client))
            elif detail:
                invoice = invoices.browse(values["id"])
                result.append(
                    perfex.invoice(
                        values,
                        self._item_values(invoice),
                        self._payment_values(invoice),
                        client,
                        self._attachment_values(invoice),
                    )
                )
            else:
                result.append(perfex.list_row(values))
        return result

    @api.model
    def _openapi_invoice_properties(self):
        """JSON schemas of the keys :meth:`_serialize` adds to Perfex's shape."""
        return {}

    @api.model
    def _openapi_document(self):
        """The OpenAPI document, its server the configured ``web.base.url``."""
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url")
        catalogue = self.env["crm.invoices.webhook.event"]._crm_catalogue()
        return openapi.document(
            (base_url or "").rstrip("/"),
            self._openapi_invoice_properties(),
            webhook_events.events_of(catalogue),
        )

    @api.model
    def _values(self, invoices):
        """Plain values of ``invoices`` for the answer shapes, in three queries
        whatever their number: the invoices, their lines' sums, their addresses.

        ``invoices`` come from a search under the user's record rules; reading
        their columns in SQL spares the ORM's per-field work for a page of 100,
        and three small statements plan much faster than one with ten joins.
        The answer's time zone (days overdue) is the context's, which the
        API's authentication sets to the token user's.
        """
        if not invoices:
            return []
        invoices.flush_recordset()
        self.env["account.move.line"].flush_model(
            ["move_id", "quantity", "price_unit", "discount", "display_type"]
        )
        self.env["res.partner"].flush_model(
            ["street", "city", "zip", "state_id", "country_id", "crm_perfex_id"]
        )
        ids = tuple(invoices.ids)
        rows = queries.api_invoice_rows(self.env, ids)
        sums = self._line_sums(ids)
        addresses = self._addresses(
            {row["partner_id"] for row in rows}
            | {row["partner_shipping_id"] for row in rows}
        )
        levels = {
            level.id: level.name
            for level in self.env["crm.invoices.reminder.level"]
            .sudo()
            .with_context(active_test=False)
            .browse({row["last_reminder_level_id"] for row in rows} - {None})
        }
        by_id = {row["id"]: row for row in rows}
        portal_urls = invoices._crm_portal_urls(
            {row["id"]: row.pop("access_token") for row in rows}
        )
        hashes = invoices._crm_hash()
        today = fields.Date.context_today(self)
        values = []
        for invoice_id in invoices.ids:
            row = by_id[invoice_id]
            if row["name"] == "/":
                row["name"] = None
            row["terms"] = row["terms"] and html2plaintext(row["terms"])
            row.update(sums.get(invoice_id, {}))
            for kind, partner_id in (
                ("billing", row["partner_id"]),
                ("shipping", row["partner_shipping_id"]),
            ):
                for key, value in addresses.get(partner_id, {}).items():
                    row[f"{kind}_{key}"] = value
            row["include_shipping"] = bool(
                row["partner_shipping_id"]
                and row["partner_shipping_id"] != row["partner_id"]
            )
            if not row["include_shipping"]:
                for key in ("street", "city", "state", "zip", "country"):
                    row[f"shipping_{key}"] = None
            row["last_reminder"] = levels.get(row["last_reminder_level_id"])
            row["portal_url"] = portal_urls[invoice_id]
            row["hash"] = hashes[invoice_id]
            row["days_overdue"] = status_rules.days_overdue(
                row["crm_status"], row["invoice_date_due"], today
            )
            values.append(row)
        return values

    @api.model
    def _line_sums(self, ids):
        """``{invoice id: sums}``: Perfex's subtotal (quantity x rate before
        discount), discount, common discount percent and adjustment."""
        rows = queries.api_line_sums(self.env, ids)
        return {
            move_id: {
                "discount_percent": percent or 0,
                "items_subtotal": gross or 0,
                "discount_total": discounted or 0,
                "adjustment": adjustment or 0,
            }
            for move_id, percent, gross, discounted, adjustment in rows
        }

    @api.model
    def _addresses(self, partner_ids):
        """``{contact id: address}`` as the API gives it (country: its Perfex id,
        else its ISO code)."""
        partner_ids = tuple(partner_ids - {None})
        if not partner_ids:
            return {}
        rows = queries.api_addresses(self.env, partner_ids)
        return {
            partner_id: {
                "street": street,
                "city": city,
                "state": state,
                "zip": zip_code,
                "country": country,
                "country_id": country_id,
            }
            for partner_id, street, city, state, zip_code, country, country_id in rows
        }

    @api.model
    def _client_values(self, invoices):
        """``{customer id: its values}`` for the customers of ``invoices``."""
        customers = invoices.commercial_partner_id
        values = {}
        for customer in customers:
            country = customer.country_id
            values[customer.id] = {
                "perfex_clientid": customer.crm_perfex_id or customer.id,
                "name": customer.name,
                "vat": customer.vat,
                "phone": customer.phone,
                "country": country.crm_perfex_id or country.code,
                "city": customer.city,
                "zip": customer.zip,
                "state": customer.state_id.name,
                "street": customer.street,
                "website": customer.website,
                "create_date": customer.create_date,
                "create_uid": customer.create_uid.id,
                "active": customer.active,
                "lang": customer.lang,
            }
        return values

    @api.model
    def _item_values(self, invoice):
        lines = invoice.invoice_line_ids._crm_items()
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
                    "mode": entry.get("journal_name"),
                    "method": entry.get("payment_method_name"),
                    "date": entry.get("date"),
                    "reference": entry.get("ref") or entry.get("name"),
                }
            )
        return payments

    @api.model
    def _attachment_values(self, invoice):
        """The invoice's files, as Perfex lists its attachments."""
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "account.move"), ("res_id", "=", invoice.id)]
        )
        return [
            {
                "id": str(attachment.id),
                "rel_id": str(invoice.id),
                "rel_type": "invoice",
                "file_name": attachment.name,
                "filetype": attachment.mimetype or "",
                "visible_to_customer": "0",
                "attachment_key": "",
                "dateadded": api_serialize.datetime_text(attachment.create_date),
            }
            for attachment in attachments
        ]
