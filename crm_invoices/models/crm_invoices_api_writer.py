from psycopg2 import IntegrityError

from odoo import Command, api, models
from odoo.tools import float_compare, float_is_zero, html2plaintext

from ..lib.api_errors import ApiConflict, ValidationFailed
from ..lib.api_fields import BILLING, ODOO_FIELDS, SHIPPING

#: Invoice fields a posted invoice can change without being reset to draft.
NO_RESET_FIELDS = {
    "crm_client_note",
    "crm_admin_note",
    "narration",
    "invoice_user_id",
    "crm_no_reminders",
    "crm_discount_type",
    "crm_client_number",
}
NUMBER_IN_USE = "The Invoice number is already in use"


class CrmInvoicesApiWriter(models.AbstractModel):
    """What the REST API writes: create, update and delete invoices.

    The canonical payloads of :mod:`..lib.api_payload` are resolved into Odoo
    values here (customers and countries by Perfex id, taxes by rate, the
    client's invoice number), in the token user's environment: the user's
    rights and record rules apply.  The books stay sound: a posted invoice is
    changed only by resetting it to draft and posting it again under the same
    number, and only when Odoo would let a user do so.
    """

    _name = "crm.invoices.api.writer"
    _description = "Invoices REST API: writing"

    # ------------------------------------------------------------------
    # Create, update, delete
    # ------------------------------------------------------------------

    @api.model
    def _create(self, payload):
        values = self._header_values(payload, invoice=None)
        values["move_type"] = "out_invoice"
        # the token's company (first of the request's companies), not the
        # user's default one
        values["company_id"] = self.env.company.id
        taxes = self._tax_matcher()
        values["invoice_line_ids"] = [
            Command.create(
                self._line_values(item, payload, f"newitems[{index}]", taxes)
            )
            for index, item in enumerate(payload["newitems"])
        ] + self._adjustment_commands(payload, None)
        sent = values.pop("is_move_sent", False)
        if sent and payload.get("save_as_draft"):
            raise ValidationFailed({"sent": "a draft cannot be marked as sent"})
        invoice = self._write_numbered(
            lambda: self.env["crm.invoices.api"]._invoices().create(values)
        )
        warnings = self._check_totals(invoice, payload)
        if not payload.get("save_as_draft"):
            invoice.action_post()
        if sent:
            invoice.action_crm_mark_sent()
        if "recurrence" in payload:
            invoice._crm_api_set_recurrence(payload["recurrence"])
        return invoice, warnings

    @api.model
    def _update(self, invoice, payload):
        """Apply a PUT; a PUT that changes nothing is a success.

        A real change to a posted invoice is applied by resetting it to draft,
        writing and posting it again (same number, a note in the chatter), if
        :meth:`account.move._crm_api_repost_refusal` allows it; else 409.
        :return: ``(outcome, warnings)``: ``"unchanged"``, ``"updated"`` or
            ``"reposted"``, and what differs from the client's totals
        """
        self._check_read_only(invoice, payload.pop("read_only", {}))
        values = self._header_values(payload, invoice=invoice)
        commands = self._line_commands(invoice, payload)
        sent = values.pop("is_move_sent", None)
        values = self._changed_values(invoice, values)
        commands = self._changed_lines(invoice, commands)
        if commands:
            values["invoice_line_ids"] = commands
        needs_reset = bool(set(values) - NO_RESET_FIELDS)
        outcome = "updated" if values else "unchanged"
        if needs_reset and invoice.state == "posted":
            refusal = invoice._crm_api_repost_refusal()
            if refusal:
                raise ApiConflict(
                    self.env._(
                        "Invoice %(name)s is posted and cannot change: %(reason)s.",
                        name=invoice.name,
                        reason=refusal,
                    )
                )
            invoice.button_draft()
            self._write_numbered(lambda: invoice.write(values))
            invoice.action_post()
            invoice.message_post(
                body=self.env._(
                    "Changed through the REST API (token %(token)s): reset to draft, "
                    "changed (%(fields)s) and posted again.",
                    token=self._token_name(),
                    fields=", ".join(sorted(invoice._fields[f].string for f in values)),
                )
            )
            outcome = "reposted"
        elif values:
            self._write_numbered(lambda: invoice.write(values))
        if sent and not invoice.is_move_sent:
            invoice.action_crm_mark_sent()
            outcome = "updated" if outcome == "unchanged" else outcome
        if commands:
            remaining = invoice.invoice_line_ids._crm_items()
            if not remaining:
                raise ValidationFailed(
                    {"removed_items": "an invoice keeps at least one item"}
                )
        if "recurrence" in payload and invoice._crm_api_set_recurrence(
            payload["recurrence"]
        ):
            outcome = "updated" if outcome == "unchanged" else outcome
        return outcome, self._check_totals(invoice, payload)

    @api.model
    def _delete(self, invoice):
        """Delete a draft that never had a number; cancel anything else (a
        cancelled invoice then answers like a deleted one).

        :return: ``"deleted"`` or ``"cancelled"``
        """
        if invoice._crm_has_payments():
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
        if invoice.crm_client_number:
            # deleted for the client: its number may be given again (as in
            # Perfex); the chatter keeps it
            invoice.message_post(
                body=self.env._(
                    "Cancelled through the REST API (token %(token)s); the client "
                    "number %(number)s is free again.",
                    token=self._token_name(),
                    number=invoice.crm_client_number,
                )
            )
            invoice.crm_client_number = False
        return "cancelled"

    def _token_name(self):
        token_id = self.env.context.get("crm_invoices_token_id")
        token = self.env["crm.invoices.api.token"].sudo().browse(token_id)
        return token.name if token.exists() else "?"

    @api.model
    def _write_numbered(self, write):
        """Run ``write``; a client number used twice is Perfex's 409."""
        try:
            with self.env.cr.savepoint():
                result = write()
                self.env.flush_all()
        except IntegrityError as error:
            if "crm_client_number_uniq" not in str(error):
                raise
            raise ApiConflict(NUMBER_IN_USE, {"number": NUMBER_IN_USE}) from error
        return result

    # ------------------------------------------------------------------
    # Comparing a PUT with the invoice
    # ------------------------------------------------------------------

    @api.model
    def _check_read_only(self, invoice, sent):
        """Read-only keys may come back only with the value they have."""
        if not sent:
            return
        [current] = self.env["crm.invoices.api"]._serialize(invoice, detail=True)
        errors = {
            key: "is read-only"
            for key, value in sent.items()
            if not _same_answer(current.get(key), value)
        }
        if errors:
            raise ValidationFailed(errors)

    @api.model
    def _changed_values(self, record, values):
        """The part of ``values`` that differs from what ``record`` has."""
        return {
            name: value
            for name, value in values.items()
            if not self._same_value(record, name, value)
        }

    @api.model
    def _same_value(self, record, name, value):
        field = record._fields[name]
        current = record[name]
        if field.type == "many2one":
            return current.id == (value or False)
        if field.type == "many2many":
            ids = set()
            for command in value:
                if command[0] == Command.SET:
                    ids = set(command[2])
                elif command[0] == Command.CLEAR:
                    ids = set()
                else:
                    return False
            return set(current.ids) == ids
        if field.type in ("float", "monetary"):
            return not float_compare(current or 0.0, float(value or 0.0), 6)
        if field.type == "html":
            return (html2plaintext(current or "") or "").strip() == (
                value or ""
            ).strip()
        if field.type in ("char", "text"):
            return (current or "") == (value or "")
        return (current or False) == (value or False)

    @api.model
    def _changed_lines(self, invoice, commands):
        """Line commands that change something (an update to the same values
        is dropped)."""
        changed = []
        for command in commands:
            if command[0] != Command.UPDATE:
                changed.append(command)
                continue
            line = invoice.invoice_line_ids.browse(command[1])
            values = self._changed_values(line, command[2])
            if values:
                changed.append(Command.update(line.id, values))
        return changed

    # ------------------------------------------------------------------
    # Resolution of the payload into Odoo values
    # ------------------------------------------------------------------

    @api.model
    def _header_values(self, payload, invoice):
        """Odoo values of the invoice header; every bad field in one error."""
        errors = {}
        values = self._customer_values(payload, invoice, errors)
        number = payload.get("number")
        if invoice is not None and not invoice.crm_client_number:
            # the answer shows Odoo's number when the client gave none: sent
            # back, it is not a client number
            if number == str(invoice.sequence_number):
                number = None
        if number is not None:
            values["crm_client_number"] = number
            duplicate = (
                self.env["account.move"]
                .sudo()
                .search_count(
                    [
                        (
                            "company_id",
                            "=",
                            (invoice.company_id if invoice else self.env.company).id,
                        ),
                        ("crm_client_number", "=", number),
                        ("id", "!=", invoice.id if invoice else 0),
                    ],
                    limit=1,
                )
            )
            if duplicate:
                raise ApiConflict(NUMBER_IN_USE, {"number": NUMBER_IN_USE})
        if "date" in payload:
            values["invoice_date"] = payload["date"]
        if "duedate" in payload and (
            invoice is None or payload["duedate"] != invoice.invoice_date_due
        ):
            values["invoice_date_due"] = payload["duedate"]
            values["invoice_payment_term_id"] = False
        if "currency" in payload:
            currency = self._currency(payload["currency"], errors)
            if currency:
                values["currency_id"] = currency.id
        if "sale_agent" in payload:
            values["invoice_user_id"] = self._sale_agent(payload["sale_agent"], errors)
        for key, field in ODOO_FIELDS.items():
            if key in payload:  # plain fields: kept as sent
                values[field] = payload[key] or False
        values.update(self._sent_values(payload, invoice))
        if errors:
            raise ValidationFailed(errors)
        return values

    @api.model
    def _customer_values(self, payload, invoice, errors):
        values = {}
        customer = invoice.partner_id if invoice else self.env["res.partner"]
        if "clientid" in payload:
            customer = self.env["res.partner"]._crm_of_api_clientid(payload["clientid"])
            is_company = customer and self.env["res.company"].sudo().search_count(
                [("partner_id", "=", customer.commercial_partner_id.id)], limit=1
            )
            if not customer:
                errors["clientid"] = f"unknown customer {payload['clientid']}"
            elif is_company:
                errors["clientid"] = (
                    f"{payload['clientid']} is a company of this database, not a "
                    "customer"
                )
                customer = customer.browse()
            elif (
                invoice
                and customer.commercial_partner_id == invoice.commercial_partner_id
            ):
                customer = invoice.partner_id  # the same customer: keep its address
            else:
                values["partner_id"] = customer.id
        if not customer:
            return values
        if any(key in payload for key in (*BILLING, "billing_country")):
            address = self._address_contact(
                customer, payload, "billing", "invoice", errors
            )
            if address:
                values["partner_id"] = address.id
        shipping = payload.get("include_shipping")
        if shipping is False:
            values["partner_shipping_id"] = values.get("partner_id", customer.id)
        elif shipping or any(key in payload for key in SHIPPING):
            address = self._address_contact(
                customer, payload, "shipping", "delivery", errors
            )
            if address:
                values["partner_shipping_id"] = address.id
        return values

    @api.model
    def _address_contact(self, customer, payload, kind, contact_type, errors):
        """The customer's contact with the address of ``payload``'s ``kind``
        fields: the customer itself when they match, else a child contact."""
        commercial = customer.commercial_partner_id
        country = commercial.country_id
        if f"{kind}_country" in payload:
            country = self._country(payload[f"{kind}_country"], errors, kind)
            if country is None:
                return None
        state = self.env["res.country.state"]
        state_name = payload.get(f"{kind}_state")
        if state_name:
            state = state.search(
                [
                    ("country_id", "=", country.id),
                    "|",
                    ("code", "=ilike", state_name),
                    ("name", "=ilike", state_name),
                ],
                limit=1,
            )
        base = customer if customer.type in ("invoice", "delivery") else commercial
        address = {
            "street": payload.get(f"{kind}_street", base.street) or False,
            "city": payload.get(f"{kind}_city", base.city) or False,
            "zip": payload.get(f"{kind}_zip", base.zip) or False,
            "country_id": country.id or False,
            "state_id": state.id or (base.state_id.id if not state_name else False),
        }
        candidates = commercial | commercial.child_ids.filtered(
            lambda c: c.type == contact_type
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
                "type": contact_type,
                "name": commercial.name,
            }
        )

    @api.model
    def _country(self, value, errors, kind="billing"):
        """A Perfex country id or an ISO code; 0 means no country."""
        countries = self.env["res.country"]
        if value == 0:
            return countries
        domain = (
            [("code", "=", value)]
            if isinstance(value, str)
            else [("crm_perfex_id", "=", value)]
        )
        country = countries.search(domain, limit=1)
        if not country:
            errors[f"{kind}_country"] = (
                f"unknown country {value}: a Perfex country id or an ISO code"
            )
            return None
        return country

    @api.model
    def _sale_agent(self, agent_id, errors):
        if not agent_id:
            return False
        users = self.env["res.users"]
        agent = users.search(
            [("crm_perfex_id", "=", agent_id), ("share", "=", False)], limit=1
        ) or users.search([("id", "=", agent_id), ("share", "=", False)], limit=1)
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
        """An ISO code, or a Perfex currency id (1 USD and 2 EUR by default)."""
        currencies = self.env["res.currency"].with_context(active_test=False)
        domain = (
            [("name", "=", value)]
            if isinstance(value, str)
            else [("crm_perfex_id", "=", value)]
        )
        currency = currencies.search(domain, limit=1)
        if not currency:
            errors["currency"] = (
                f"unknown currency {value}: an ISO code, or a Perfex currency id "
                "mapped on the currency"
            )
        elif not currency.active:
            errors["currency"] = (
                f"currency mismatch: {currency.name} is not enabled in "
                f"{self.env.company.name}"
            )
            currency = currency.browse()
        return currency

    # ------------------------------------------------------------------
    # Lines
    # ------------------------------------------------------------------

    @api.model
    def _line_commands(self, invoice, payload):
        """The line commands of a PUT: changed, removed and new items, the
        discount on the others, the adjustment."""
        lines = invoice.invoice_line_ids._crm_items()
        taxes = self._tax_matcher()
        commands, errors = [], {}
        for line_id, changes in (payload.get("items") or {}).items():
            if line_id not in lines.ids:
                errors[f"items[{line_id}]"] = "no such item on this invoice"
                continue
            commands.append(
                Command.update(
                    line_id,
                    self._line_values(changes, payload, f"items[{line_id}]", taxes),
                )
            )
        for line_id in payload.get("removed_items") or []:
            if line_id in lines.ids:
                commands.append(Command.delete(line_id))
            # an item that is not there is removed already (a retried PUT)
        for index, item in enumerate(payload.get("newitems") or []):
            commands.append(
                Command.create(
                    self._line_values(item, payload, f"newitems[{index}]", taxes)
                )
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
        return commands + self._adjustment_commands(payload, invoice)

    @api.model
    def _adjustment_commands(self, payload, invoice):
        """Perfex's adjustment (a signed amount added to the total) is a line
        of its own, without tax."""
        if "adjustment" not in payload:
            return []
        amount = float(payload["adjustment"])
        line = (
            invoice.invoice_line_ids.filtered("crm_is_adjustment")[:1]
            if invoice
            else None
        )
        if float_is_zero(amount, precision_digits=6):
            return [Command.delete(line.id)] if line else []
        if line:
            return [Command.update(line.id, {"price_unit": amount})]
        return [
            Command.create(
                {
                    "name": self.env._("Adjustment"),
                    "quantity": 1,
                    "price_unit": amount,
                    "tax_ids": [Command.clear()],
                    "crm_is_adjustment": True,
                    "sequence": 10000,
                }
            )
        ]

    @api.model
    def _line_values(self, item, payload, key, taxes):
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
            values["tax_ids"] = [Command.set(taxes(item["taxes"], f"{key}[taxname]"))]
        elif "description" in item and "qty" in item:  # a new line: no default taxes
            values["tax_ids"] = [Command.clear()]
        if "discount_percent" in payload:
            values["discount"] = float(payload["discount_percent"])
        return values

    @api.model
    def _tax_matcher(self):
        """A function ``(pairs, key) -> tax ids`` for this request's company.

        ``NAME|RATE`` means the company's sale tax of that rate (taxes added
        to the price, as Perfex's are); when several share the rate, the one
        whose name or label is NAME, else the one the Perfex tax names map
        to, else the first; when none has that rate, the mapped one.  An
        unknown rate, or two names that end on one tax, is a 422 naming it.
        """
        company = self.env.company
        taxes = self.env["account.tax"]
        sale = taxes.search(
            [
                *taxes._check_company_domain(company),
                ("type_tax_use", "=", "sale"),
                ("amount_type", "=", "percent"),
            ]
        ).filtered(lambda tax: not tax.price_include)
        names = {
            entry.name.strip().lower(): entry.tax_id
            for entry in self.env["crm.invoices.api.tax.map"].search(
                [("company_id", "=", company.id)]
            )
        }

        def match(name, rate):
            label = name.strip().lower()
            same_rate = sale.filtered(
                lambda tax: not float_compare(tax.amount, float(rate), 4)
            )
            if len(same_rate) == 1:
                return same_rate
            named = same_rate.filtered(
                lambda tax: (
                    label
                    in {
                        (tax.name or "").strip().lower(),
                        (tax.invoice_label or "").strip().lower(),
                        (tax.description or "").strip().lower(),
                    }
                )
            )
            mapped = names.get(label, taxes)
            if same_rate:
                return named[:1] or (mapped & same_rate) or same_rate[:1]
            return mapped

        def resolve(pairs, key):
            ids = []
            for name, rate in pairs:
                tax = match(name, rate)
                if not tax:
                    raise ValidationFailed(
                        {
                            key: f"no sale tax of {rate}% for {name}|{rate}: create "
                            "it, or map the name to a tax in Invoices > "
                            "Configuration > Perfex Taxes"
                        }
                    )
                if tax.id in ids:
                    raise ValidationFailed(
                        {
                            key: f"{name}|{rate} and another tax of this item are "
                            f"both {tax.name}: map them to distinct taxes"
                        }
                    )
                ids.append(tax.id)
            return ids

        return resolve

    # ------------------------------------------------------------------
    # Totals
    # ------------------------------------------------------------------

    @api.model
    def _check_totals(self, invoice, payload):
        """The client's subtotal (Perfex's: quantity x rate of the items, before
        discount) and total against Odoo's, to the rounding.

        Odoo's totals are the invoice's whatever the client says; a difference
        refuses the request (company setting) or is reported.
        :return: ``{field: what differs}`` (the answer's ``warnings``)
        """
        currency = invoice.currency_id
        items = invoice.invoice_line_ids._crm_items()
        gross = sum(line.quantity * line.price_unit for line in items)
        errors = {}
        for key, computed in (("subtotal", gross), ("total", invoice.amount_total)):
            if key in payload and float_compare(
                float(payload[key]), computed, precision_rounding=currency.rounding
            ):
                errors[key] = (
                    f"{key} sent is {payload[key]} but Odoo computes "
                    f"{currency.round(computed):.{currency.decimal_places}f}"
                )
        if errors and invoice.company_id.crm_api_totals == "refuse":
            raise ValidationFailed(errors, message="Totals do not match")
        return errors


def _same_answer(current, sent):
    """Whether a value sent back equals the answer's (Perfex sends strings)."""
    if isinstance(current, dict | list) or isinstance(sent, dict | list):
        return current == sent
    if current in (None, "") and sent in (None, ""):
        return True
    try:
        return float(current) == float(sent)
    except (TypeError, ValueError):
        return str(current) == str(sent)
