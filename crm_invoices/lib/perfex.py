"""Perfex CRM's dialect of the invoices API: its answer shapes and its inputs.

Perfex clients (the vendor's examples, n8n nodes, the API module's own
documented requests) read answers whose values are strings, with Perfex's
keys, and send form fields, Perfex ids and dates in the instance's format.
This module knows those shapes, without a database; the model gathers the
values (see ``crm.invoices.api``).
"""

import hashlib
import hmac
import re
from datetime import datetime

from . import api_fields, api_serialize, invoice_status

#: Columns of Perfex's invoices table, in its order: an invoice of a list.
INVOICE_COLUMNS = (
    "id",
    "sent",
    "datesend",
    "clientid",
    "deleted_customer_name",
    "number",
    "prefix",
    "number_format",
    "datecreated",
    "date",
    "duedate",
    "currency",
    "subtotal",
    "total_tax",
    "total",
    "adjustment",
    "addedfrom",
    "hash",
    "status",
    "clientnote",
    "adminnote",
    "last_overdue_reminder",
    "cancel_overdue_reminders",
    "allowed_payment_modes",
    "token",
    "discount_percent",
    "discount_total",
    "discount_type",
    "recurring",
    "recurring_type",
    "custom_recurring",
    "cycles",
    "total_cycles",
    "is_recurring_from",
    "last_recurring_date",
    "terms",
    "sale_agent",
    "billing_street",
    "billing_city",
    "billing_state",
    "billing_zip",
    "billing_country",
    "shipping_street",
    "shipping_city",
    "shipping_state",
    "shipping_zip",
    "shipping_country",
    "include_shipping",
    "show_shipping_on_invoice",
    "show_quantity_as",
    "project_id",
    "subscription_id",
)
#: What one invoice's answer adds: its currency, what is left, its parts.
CURRENCY_COLUMNS = (
    "symbol",
    "name",
    "decimal_separator",
    "thousand_separator",
    "placement",
    "isdefault",
    "currencyid",
    "currency_name",
)
DETAIL_KEYS = (
    "total_left_to_pay",
    "items",
    "attachments",
    "visible_attachments_to_customer_found",
    "client",
    "payments",
    "scheduled_email",
)
ITEM_KEYS = (
    "id",
    "rel_id",
    "rel_type",
    "description",
    "long_description",
    "qty",
    "rate",
    "unit",
    "item_order",
)
CLIENT_KEYS = (
    "userid",
    "company",
    "vat",
    "phonenumber",
    "country",
    "city",
    "zip",
    "state",
    "address",
    "website",
    "datecreated",
    "active",
    "leadid",
    "billing_street",
    "billing_city",
    "billing_state",
    "billing_zip",
    "billing_country",
    "shipping_street",
    "shipping_city",
    "shipping_state",
    "shipping_zip",
    "shipping_country",
    "longitude",
    "latitude",
    "default_language",
    "default_currency",
    "show_primary_contact",
    "stripe_id",
    "registration_confirmed",
    "addedfrom",
)
#: A search answer joins the customer's columns to the invoice's.
SEARCH_CLIENT_KEYS = tuple(
    key
    for key in CLIENT_KEYS
    if key not in INVOICE_COLUMNS and key not in ("addedfrom", "datecreated")
)
PAYMENT_KEYS = (
    "id",
    "invoiceid",
    "amount",
    "paymentmode",
    "paymentmethod",
    "date",
    "daterecorded",
    "note",
    "transactionid",
)

#: Perfex's date formats (its "Date Format" setting), as strptime patterns.
DATE_FORMATS = {
    "Y-m-d": "%Y-%m-%d",
    "d-m-Y": "%d-%m-%Y",
    "d/m/Y": "%d/%m/%Y",
    "m-d-Y": "%m-%d-%Y",
    "m.d.Y": "%m.%d.%Y",
    "m/d/Y": "%m/%d/%Y",
    "d.m.Y": "%d.%m.%Y",
}
_DATE_SHAPE = re.compile(r"^\d{1,4}[-./]\d{1,2}[-./]\d{1,4}$")

#: Checkbox values of a Perfex form ("on" is what a browser sends).
TRUE_WORDS = ("1", "true", "on", "yes")
FALSE_WORDS = ("0", "false", "off", "no", "")


def invoice_hash(invoice_id, secret):
    """Perfex's invoice ``hash``: 32 hex characters, here an HMAC of the id."""
    message = f"crm_invoices.invoice:{invoice_id}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:32]


def same_hash(expected, given):
    return hmac.compare_digest(str(expected or ""), str(given or ""))


def parse_date(text, date_format="Y-m-d"):
    """A date sent in ISO form or in the configured Perfex format, else ``None``."""
    text = text.strip()
    if not _DATE_SHAPE.match(text):
        return None
    for pattern in ("%Y-%m-%d", DATE_FORMATS.get(date_format, "%Y-%m-%d")):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _s(value):
    """Perfex sends every column as a string, empty ones as ``None``."""
    if value is None or value is False:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def _flag(value):
    return "1" if value else "0"


def _text(value):
    return value or ""


def _money(value, digits):
    return api_serialize.money(value, digits)


def invoice_columns(values):
    """The invoice's row in Perfex's invoices table: strings, Perfex's keys.

    :param values: plain values of one invoice (see ``crm.invoices.api``).
    """
    digits = values.get("decimal_places", 2)
    status = values.get("crm_status") or invoice_status.DRAFT
    percent = values.get("discount_percent") or 0
    row = {
        **api_fields.plain_answers(values, strings=True),
        "id": _s(values["id"]),
        "sent": _flag(values.get("is_sent")),
        "datesend": api_serialize.datetime_text(values.get("date_sent")),
        "clientid": _s(values.get("perfex_clientid")),
        "deleted_customer_name": None,
        "number": _s(values.get("client_number") or values.get("sequence_number")),
        "prefix": _text(values.get("sequence_prefix")),
        "number_format": "1",
        "datecreated": api_serialize.datetime_text(values.get("create_date")),
        "date": api_serialize.date_text(values.get("invoice_date")),
        "duedate": api_serialize.date_text(values.get("invoice_date_due")),
        "currency": _s(values.get("perfex_currency")),
        "subtotal": _money(values.get("items_subtotal"), digits),
        "total_tax": _money(values.get("amount_tax"), digits),
        "total": _money(values.get("amount_total"), digits),
        "adjustment": _money(values.get("adjustment"), digits),
        "addedfrom": _s(values.get("create_uid") or 0),
        "hash": values.get("hash"),
        "status": _s(invoice_status.perfex_code(status)),
        "last_overdue_reminder": api_serialize.date_text(
            values.get("last_reminder_date")
        ),
        "allowed_payment_modes": None,
        "token": None,
        "discount_percent": _money(percent, 2),
        "discount_total": _money(values.get("discount_total"), digits),
        "discount_type": values.get("discount_type")
        or ("before_tax" if percent else ""),
        "recurring": "0",
        "recurring_type": None,
        "custom_recurring": "0",
        "cycles": "0",
        "total_cycles": "0",
        "is_recurring_from": None,
        "last_recurring_date": None,
        "sale_agent": _s(values.get("sale_agent") or 0),
        **_address(values, "billing"),
        **_address(values, "shipping"),
        "include_shipping": _flag(values.get("include_shipping")),
        "show_shipping_on_invoice": "1",
        "show_quantity_as": "1",
        "project_id": "0",
        "subscription_id": "0",
    }
    # Perfex's column order, then what Odoo adds
    return {
        **{key: row.pop(key) for key in INVOICE_COLUMNS},
        **row,
    }


def _address(values, kind):
    return {
        f"{kind}_street": _text(values.get(f"{kind}_street")),
        f"{kind}_city": _text(values.get(f"{kind}_city")),
        f"{kind}_state": _text(values.get(f"{kind}_state")),
        f"{kind}_zip": _text(values.get(f"{kind}_zip")),
        f"{kind}_country": _s(values.get(f"{kind}_country") or 0),
    }


def currency_columns(values):
    code = values.get("currency_name") or ""
    return {
        "symbol": values.get("currency_symbol") or code,
        "name": code,
        "decimal_separator": ".",
        "thousand_separator": ",",
        "placement": "after"
        if values.get("currency_position") == "after"
        else "before",
        "isdefault": _flag(values.get("is_company_currency")),
        "currencyid": _s(values.get("perfex_currency")),
        "currency_name": code,
    }


def client_columns(client):
    """A customer as Perfex's clients table row."""
    return {
        "userid": _s(client.get("perfex_clientid")),
        "company": _text(client.get("name")),
        "vat": _text(client.get("vat")),
        "phonenumber": _text(client.get("phone")),
        "country": _s(client.get("country") or 0),
        "city": _text(client.get("city")),
        "zip": _text(client.get("zip")),
        "state": _text(client.get("state")),
        "address": _text(client.get("street")),
        "website": _text(client.get("website")),
        "datecreated": api_serialize.datetime_text(client.get("create_date")),
        "active": _flag(client.get("active", True)),
        "leadid": None,
        "billing_street": _text(client.get("street")),
        "billing_city": _text(client.get("city")),
        "billing_state": _text(client.get("state")),
        "billing_zip": _text(client.get("zip")),
        "billing_country": _s(client.get("country") or 0),
        "shipping_street": "",
        "shipping_city": "",
        "shipping_state": "",
        "shipping_zip": "",
        "shipping_country": "0",
        "longitude": None,
        "latitude": None,
        "default_language": client.get("lang") or "",
        "default_currency": "0",
        "show_primary_contact": "0",
        "stripe_id": None,
        "registration_confirmed": "1",
        "addedfrom": _s(client.get("create_uid") or 0),
    }


def item_columns(item, invoice_id, digits=2):
    """One invoice line as Perfex's item row (and its taxes, which Perfex
    keeps in another table, as ``taxname``)."""
    return {
        "id": _s(item["id"]),
        "rel_id": _s(invoice_id),
        "rel_type": "invoice",
        "description": item.get("description") or "",
        "long_description": item.get("long_description") or "",
        "qty": _money(item.get("qty"), 2),
        "rate": _money(item.get("rate"), max(digits, 2)),
        "unit": item.get("unit") or "",
        "item_order": _s(item.get("order") or 0),
        "taxname": [
            f"{name}|{_money(rate, 2)}" for name, rate in item.get("taxes", ())
        ],
    }


def payment_columns(payment, invoice_id, digits=2):
    return {
        "id": _s(payment["id"]),
        "invoiceid": _s(invoice_id),
        "amount": _money(payment.get("amount"), digits),
        "paymentmode": payment.get("mode") or "",
        "paymentmethod": payment.get("method") or "",
        "date": api_serialize.date_text(payment.get("date")),
        "daterecorded": api_serialize.datetime_text(payment.get("recorded")),
        "note": payment.get("note") or "",
        "transactionid": payment.get("reference") or "",
    }


def odoo_extras(values):
    """What Odoo knows beyond Perfex's columns (kept under its own keys)."""
    return {
        "odoo_id": values["id"],
        "portal_url": values.get("portal_url"),
        "odoo": {
            "formatted_number": values.get("name") or None,
            "status_name": dict(invoice_status.SELECTION).get(
                values.get("crm_status") or invoice_status.DRAFT
            ),
            **api_serialize.odoo_block(values),
        },
    }


def list_row(values):
    """An invoice in an unpaged list, as Perfex's list gives it: the invoice's
    columns joined with its currency's, and what is left to pay."""
    return {
        **invoice_columns(values),
        **currency_columns(values),
        "total_left_to_pay": _money(
            values.get("amount_residual"), values.get("decimal_places", 2)
        ),
        **odoo_extras(values),
    }


def invoice(values, items, payments, client, attachments=()):
    """One invoice's answer (``GET /api/invoices/<id>``), as Perfex gives it."""
    digits = values.get("decimal_places", 2)
    return {
        **invoice_columns(values),
        **currency_columns(values),
        "total_left_to_pay": _money(values.get("amount_residual"), digits),
        "items": [item_columns(item, values["id"], digits) for item in items],
        "attachments": list(attachments),
        "visible_attachments_to_customer_found": False,
        "client": client_columns(client),
        "payments": [
            payment_columns(payment, values["id"], digits) for payment in payments
        ],
        "scheduled_email": None,
        **odoo_extras(values),
    }


def search_row(values, client):
    """A search hit: the invoice's columns joined with its customer's."""
    joined = client_columns(client)
    return {
        **invoice_columns(values),
        **{key: joined[key] for key in SEARCH_CLIENT_KEYS},
        "invoiceid": _s(values["id"]),
        **odoo_extras(values),
    }


def only_fields(row, fields):
    """``fields=`` (v3): keep only the named keys of an answer row."""
    if not fields:
        return row
    return {key: value for key, value in row.items() if key in fields}
