"""Responses of the invoices API: Perfex's field names and shapes.

The model gathers plain values (see ``account_move._api_invoice_values``);
this module shapes them, so the shape is tested without a database.  Money is
a decimal string with the currency's decimals (Perfex's own representation);
ids and codes are numbers; dates are ISO strings.
"""

from decimal import ROUND_HALF_UP, Decimal

from . import api_fields, invoice_status
from .api_errors import error_json  # noqa: F401 - the answers' error shape

_QUANTUMS = {digits: Decimal(1).scaleb(-digits) for digits in range(7)}


def money(value, digits=2):
    digits = int(digits)
    quantum = _QUANTUMS.get(digits) or Decimal(1).scaleb(-digits)
    return str(Decimal(str(value or 0)).quantize(quantum, rounding=ROUND_HALF_UP))


def date_text(value):
    return value.isoformat() if value else None


def datetime_text(value):
    return value.strftime("%Y-%m-%d %H:%M:%S") if value else None


_date, _datetime = date_text, datetime_text


def _perfex_id(value):
    """A Perfex id kept as text in the row (``"194"``) as a number; an ISO
    code (when nothing is mapped) as it is."""
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    return value


def invoice_json(values, items=None, payments=None):
    """One invoice as the API returns it.

    :param values: plain values of one invoice (see the model).
    :param items: plain values of its lines, or ``None`` (lists leave them out).
    :param payments: plain values of its payments, or ``None``.
    """
    digits = values.get("decimal_places", 2)
    status = values.get("crm_status") or invoice_status.DRAFT
    labels = dict(invoice_status.SELECTION)
    result = {
        "id": values["id"],
        "number": values.get("sequence_number") or None,
        "prefix": values.get("sequence_prefix") or "",
        "formatted_number": values.get("name") or None,
        "clientid": values.get("perfex_clientid") or values.get("clientid") or None,
        "client_number": values.get("client_number") or None,
        "date": _date(values.get("invoice_date")),
        "duedate": _date(values.get("invoice_date_due")),
        "currency": _perfex_id(values.get("perfex_currency"))
        or values.get("currency_id"),
        "currency_name": values.get("currency_name"),
        "subtotal": money(values.get("amount_untaxed"), digits),
        "total_tax": money(values.get("amount_tax"), digits),
        "total": money(values.get("amount_total"), digits),
        "total_left_to_pay": money(values.get("amount_residual"), digits),
        "discount_percent": money(values.get("discount_percent"), 2),
        "discount_type": values.get("discount_type")
        or ("before_tax" if values.get("discount_percent") else ""),
        "status": invoice_status.perfex_code(status),
        "status_name": labels.get(status, status),
        "sent": 1 if values.get("is_sent") else 0,
        "datesend": _datetime(values.get("date_sent")),
        **api_fields.plain_answers(values),
        "sale_agent": values.get("sale_agent") or 0,
        "billing_street": values.get("billing_street") or "",
        "billing_city": values.get("billing_city") or "",
        "billing_state": values.get("billing_state") or "",
        "billing_zip": values.get("billing_zip") or "",
        "billing_country": _perfex_id(values.get("billing_country")) or 0,
        "datecreated": _datetime(values.get("create_date")),
        "odoo_id": values["id"],
        "portal_url": values.get("portal_url"),
        "odoo": odoo_block(values),
    }
    if items is not None:
        result["items"] = [item_json(item, values["id"], digits) for item in items]
    if payments is not None:
        result["payments"] = [
            payment_json(payment, values["id"], digits) for payment in payments
        ]
    return result


def odoo_block(values):
    """What Odoo knows of an invoice beyond Perfex's keys: the ``odoo`` key of
    every answer shape."""
    return {
        "move_type": values.get("move_type"),
        "state": values.get("state"),
        "payment_state": values.get("payment_state"),
        "company_id": values.get("company_id"),
        "partner_id": values.get("partner_id"),
        "days_overdue": values.get("days_overdue") or 0,
        "amount_residual_company_currency": money(
            values.get("amount_residual_signed"), values.get("company_digits", 2)
        ),
        "last_reminder": values.get("last_reminder") or None,
    }


def item_json(item, invoice_id, digits=2):
    return {
        "id": item["id"],
        "rel_id": invoice_id,
        "rel_type": "invoice",
        "description": item.get("description") or "",
        "long_description": item.get("long_description") or "",
        "qty": str(Decimal(str(item.get("qty") or 0)).normalize()),
        "rate": money(item.get("rate"), max(digits, 2)),
        "unit": item.get("unit") or "",
        "item_order": item.get("order") or 0,
        "taxname": [f"{name}|{money(rate, 2)}" for name, rate in item.get("taxes", ())],
        "subtotal": money(item.get("subtotal"), digits),
    }


def payment_json(payment, invoice_id, digits=2):
    return {
        "id": payment["id"],
        "invoiceid": invoice_id,
        "amount": money(payment.get("amount"), digits),
        "paymentmode": payment.get("mode") or "",
        "date": _date(payment.get("date")),
        "transactionid": payment.get("reference") or "",
    }


def success_json(message, **extra):
    return {"status": True, "message": message, **extra}


def split_description(text):
    """Odoo keeps one label per line; Perfex has a title and a long text."""
    title, _sep, rest = (text or "").partition("\n")
    return title, rest
