"""Requests of the invoices API: from JSON or form data to one canonical dict.

Perfex-style clients post PHP form fields (``newitems[0][taxname][]``); newer
clients post JSON.  Both end up as the same canonical payload, validated here,
without a database: a bad request raises :class:`ValidationFailed` naming each
field, and nothing else is ever raised for any input.
"""

import json
import re
from datetime import date
from decimal import Decimal, InvalidOperation

from . import api_serialize, invoice_status, perfex, perfex_recurrence
from .api_errors import ValidationFailed
from .api_fields import (
    IGNORED,
    INVOICE_FIELDS,
    ITEM_FIELDS,
    MAX_ID,
    MAX_ITEMS,
    MAX_SHORT,
    MAX_TEXT,
    RECURRENCE,
    SORTABLE,
    UPDATABLE,
    keys,
)

#: Deepest nesting of a JSON body (objects and arrays) and of form keys
#: (``newitems[0][taxname][]`` is 4 levels).
MAX_DEPTH = 8
#: Dates the API accepts: anything else is a typo or an attack.
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2999, 12, 31)

_KEY_PART = re.compile(r"\[([^\[\]]*)\]")
_TAX = re.compile(r"^\s*(?P<name>[^|]+?)\s*\|\s*(?P<rate>-?\d+(?:\.\d+)?)\s*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_CURRENCY = re.compile(r"^[A-Za-z]{3}$")
_DIGITS = re.compile(r"[0-9]{1,18}")
_CODE = re.compile(r"\s*([0-9]{1,2})\s*")


# ---------------------------------------------------------------- form data


def parse_form(pairs):
    """PHP-style form fields to nested dicts and lists.

    ``[("newitems[0][qty]", "2"), ("newitems[0][taxname][]", "TVA|19")]`` gives
    ``{"newitems": {"0": {"qty": "2", "taxname": ["TVA|19"]}}}``.  A key that
    is both a value and a container keeps the first meaning it got.
    :raises ValidationFailed: for a name nested deeper than :data:`MAX_DEPTH`.
    """
    result = {}
    for raw_key, value in pairs:
        key = str(raw_key)
        head, _sep, rest = key.partition("[")
        parts = [head] + (_KEY_PART.findall("[" + rest) if rest else [])
        if "\x00" in key:
            raise ValidationFailed(
                {"body": "a form field name contains a NUL character"}
            )
        if len(parts) > MAX_DEPTH:
            raise ValidationFailed(
                {key[:60]: f"form field names are nested at most {MAX_DEPTH} levels"}
            )
        if not head:
            continue
        node = result
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            following = None if last else parts[index + 1]
            if last:
                if isinstance(node, list):
                    if part == "":
                        node.append(value)
                elif part != "" and part not in node:
                    node[part] = value
                break
            if part == "":  # "x[]" followed by more: append a new container
                if not isinstance(node, list):
                    break
                child = [] if following == "" else {}
                node.append(child)
                node = child
                continue
            if not isinstance(node, dict):
                break
            existing = node.get(part)
            if existing is None:
                existing = [] if following == "" else {}
                node[part] = existing
            if not isinstance(existing, dict | list):
                break
            node = existing
    return result


def parse_json(raw):
    """A JSON request body (bytes) to Python values.

    :raises ValidationFailed: for invalid JSON or nesting deeper than
        :data:`MAX_DEPTH` (checked without recursion, so no input can
        exhaust the stack).
    """
    try:
        data = json.loads(raw)
    except RecursionError as error:
        raise ValidationFailed(
            {"body": f"JSON is nested deeper than {MAX_DEPTH} levels"}
        ) from error
    except (ValueError, UnicodeDecodeError) as error:
        raise ValidationFailed({"body": f"invalid JSON: {error}"[:200]}) from error
    if depth(data) > MAX_DEPTH:
        raise ValidationFailed(
            {"body": f"JSON is nested deeper than {MAX_DEPTH} levels"}
        )
    return data


def depth(value):
    """Nesting depth of JSON values (a scalar is 0), without recursion."""
    deepest = 0
    stack = [(value, 0)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict):
            node = node.values()
        elif not isinstance(node, list):
            continue
        level += 1
        deepest = max(deepest, level)
        if deepest > MAX_DEPTH:
            return deepest
        stack.extend((child, level) for child in node)
    return deepest


# ---------------------------------------------------------------- scalars


def _absent(value, field, errors, required):
    """Whether no value was sent (``None`` or ``""``); an error if one is due."""
    if value is not None and value != "":
        return False
    if required:
        errors[field] = "is required"
    return True


def _text(value, field, errors, limit=MAX_TEXT, required=False):
    if _absent(value, field, errors, required):
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        errors[field] = "must be text"
        return None
    text = str(value)
    if len(text) > limit:
        errors[field] = f"is longer than {limit} characters"
        return None
    if "\x00" in text:
        errors[field] = "must not contain NUL characters"
        return None
    return text


def _int(value, field, errors, minimum=None, required=False, maximum=MAX_ID):
    if _absent(value, field, errors, required):
        return None
    if isinstance(value, bool):
        errors[field] = "must be a whole number"
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*-?[0-9]{1,18}\s*", value):
        value = int(value)
    if not isinstance(value, int) or abs(value) > 2**62:
        errors[field] = "must be a whole number"
        return None
    if minimum is not None and value < minimum:
        errors[field] = f"must be at least {minimum}"
        return None
    if maximum is not None and value > maximum:
        errors[field] = f"must be at most {maximum}"
        return None
    return value


def _decimal(value, field, errors, minimum=None, maximum=None, required=False):
    if _absent(value, field, errors, required):
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        errors[field] = "must be a number"
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        errors[field] = "must be a number"
        return None
    if not number.is_finite() or abs(number) > Decimal("1e15"):
        errors[field] = "must be a finite number"
        return None
    if minimum is not None and number < minimum:
        errors[field] = (
            "must not be negative" if minimum == 0 else f"must not be below {minimum}"
        )
        return None
    if maximum is not None and number > maximum:
        errors[field] = f"must not be above {maximum}"
        return None
    return number


def _date(value, field, errors, required=False, date_format="Y-m-d"):
    """A date in ISO form (``YYYY-MM-DD``) or in the configured Perfex format."""
    if _absent(value, field, errors, required):
        return None
    if not isinstance(value, str):
        errors[field] = "must be a date YYYY-MM-DD"
        return None
    if _DATE.match(value.strip()):
        try:
            parsed = date.fromisoformat(value.strip())
        except ValueError:
            errors[field] = "is not a valid date"
            return None
    else:
        parsed = perfex.parse_date(value, date_format)
        if parsed is None:
            shown = (
                "YYYY-MM-DD"
                if date_format == "Y-m-d"
                else f"YYYY-MM-DD or {date_format}"
            )
            errors[field] = f"must be a date {shown}"
            return None
    if not MIN_DATE <= parsed <= MAX_DATE:
        errors[field] = f"must be between {MIN_DATE} and {MAX_DATE}"
        return None
    return parsed


def _bool(value, field, errors):
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in perfex.TRUE_WORDS or word in perfex.FALSE_WORDS:
            return word in perfex.TRUE_WORDS
    errors[field] = "must be 0 or 1"
    return None


def _currency(value, field, errors, minimum=1):
    """A currency id (int) or an ISO 4217 code (upper case str)."""
    if value is None or value == "":
        return None
    if isinstance(value, str) and _ISO_CURRENCY.match(value.strip()):
        return value.strip().upper()
    return _int(value, field, errors, minimum=minimum)


def parse_tax(value):
    """``"TVA|19.00"`` → ``("TVA", Decimal("19.00"))``; ``None`` when malformed."""
    if not isinstance(value, str):
        return None
    match = _TAX.match(value)
    if not match:
        return None
    try:
        return match["name"], Decimal(match["rate"])
    except InvalidOperation:  # pragma: no cover - the pattern only lets digits in
        return None


# ---------------------------------------------------------------- items


def _as_list(value):
    """Form data gives ``{"0": {...}}``, JSON gives ``[{...}]``: both to a list
    of (key, item) in key order."""
    if isinstance(value, list):
        return [(str(index), item) for index, item in enumerate(value)]
    if isinstance(value, dict):

        def order(key):
            text = str(key)
            return (0, int(text)) if _DIGITS.fullmatch(text) else (1, text)

        return [(str(key), value[key]) for key in sorted(value, key=order)]
    return None


def _item(raw, prefix, errors, partial=False):
    if not isinstance(raw, dict):
        errors[prefix] = "must be an object"
        return None
    item = {}
    for field in ITEM_FIELDS:
        if field.kind in ("taxes", "taxes_v3") or field.key == "itemid":
            continue
        value = _sent(raw, field)
        value = _read(
            field,
            value,
            f"{prefix}[{field.key}]",
            errors,
            required=field.required and not partial,
        )
        if value is not None:
            item[field.key] = value
    taxes = _item_taxes(raw, prefix, errors)
    if taxes is not None:
        item["taxes"] = taxes
    return item


def _sent(data, field):
    """What a request sent for ``field``: under its key, else an alias."""
    if field.key in data:
        return data[field.key]
    return next((data[alias] for alias in field.aliases if alias in data), None)


def _read(field, value, name, errors, required=False, date_format="Y-m-d"):
    """A sent value checked as its declaration says; ``None`` when absent or
    wrong (then ``errors[name]`` says why)."""
    kind = field.kind
    if kind in ("text", "number"):
        text = _text(value, name, errors, field.max_length, required=required)
        if kind == "number" and text is not None:
            return normalize_number(text)
        return text
    if kind in ("id", "integer"):
        maximum = MAX_ID if field.maximum is None else field.maximum
        return _int(value, name, errors, field.minimum, required, maximum)
    if kind == "date":
        return _date(value, name, errors, required, date_format)
    if kind == "decimal":
        return _decimal(value, name, errors, field.minimum, field.maximum, required)
    if kind == "flag":
        return _bool(value, name, errors)
    if kind == "currency":
        return _currency(value, name, errors, field.minimum)
    if kind == "country":
        return _country(value, name, errors, field.minimum)
    if kind == "choice":
        if value is None:
            return None
        if isinstance(value, dict | list) or value not in field.choices:
            errors[name] = "must be " + " or ".join(filter(None, field.choices))
            return None
        return value
    raise ValueError(f"{field.key}: no reader for kind {kind!r}")  # pragma: no cover


def _item_taxes(raw, prefix, errors):
    """An item's taxes: ``taxname`` strings ``"NAME|RATE"`` (empty: no tax), or
    v3's ``taxes`` objects ``{"name", "rate"}``; ``None`` when not sent."""
    field = f"{prefix}[taxname]"
    if "taxname" in raw:
        taxes = raw["taxname"]
    elif "taxes" in raw:
        field = f"{prefix}[taxes]"
        taxes = raw["taxes"]
    else:
        return None
    if taxes in (None, ""):
        taxes = []
    if isinstance(taxes, str):
        taxes = [taxes]
    if isinstance(taxes, dict):
        taxes = [taxes[key] for key in sorted(taxes, key=str)]
    if not isinstance(taxes, list):
        errors[field] = 'must be a list of "NAME|RATE"'
        return None
    # v3's objects {"name", "rate"}
    taxes = [
        f"{tax.get('name')}|{tax.get('rate')}" if isinstance(tax, dict) else tax
        for tax in taxes
    ]
    parsed = []
    for tax in taxes:
        if tax in (None, ""):
            continue  # an empty taxname[]: no tax
        pair = parse_tax(tax)
        if pair is None:
            errors[field] = (
                f'{str(tax)[:50]!r} is not a tax "NAME|RATE", e.g. "TVA|19.00"'
            )
            return None
        parsed.append(pair)
    return parsed


# ---------------------------------------------------------------- invoice

#: What a PUT may send and Odoo keeps.
UPDATABLE_KEYS = keys(UPDATABLE)
#: Fields Perfex's forms send that have no meaning in Odoo: accepted so that
#: Perfex clients work unchanged, and documented as without effect.
PERFEX_IGNORED = keys(IGNORED)
#: Perfex's recurring fields (:mod:`.perfex_recurrence`).
RECURRENCE_KEYS = keys(RECURRENCE)
#: Keys of an invoice's answers (both shapes) that no request changes: a PUT
#: may send them back (a client that edits what it read) only with the value
#: they have.
READ_ONLY_KEYS = (
    (
        frozenset(perfex.invoice({"id": 0}, (), (), {}))
        | frozenset(api_serialize.invoice_json({"id": 0}))
    )
    - UPDATABLE_KEYS
    - PERFEX_IGNORED
    - RECURRENCE_KEYS
)
#: The invoice's scalar fields a request writes, in the order they are checked.
_SCALARS = tuple(
    field
    for field in INVOICE_FIELDS
    if field.access == UPDATABLE and field.kind not in ("items", "ids")
)


def normalize_invoice(data, update=False, date_format="Y-m-d"):
    """Validate a request body; return the canonical payload.

    Both dialects are understood: Perfex v2 (``newitems``, ``items`` with
    ``itemid`` on a PUT) and v3 (``items[]`` on a POST; GET-shaped ``items``
    with their ``id``).

    :param data: the body, from JSON or :func:`parse_form`.
    :param update: a PUT: nothing is required, ``items`` and
        ``removed_items`` are allowed, read-only keys are returned under
        ``read_only`` (the model compares them with the invoice).
    :param date_format: the Perfex date format dates may also come in.
    :raises ValidationFailed: with every field in error.
    """
    if not isinstance(data, dict):
        raise ValidationFailed({"body": "must be a JSON object or form fields"})
    errors = {}
    payload = {}
    if update:
        read_only = _check_update_keys(data, errors)
        if read_only:
            payload["read_only"] = read_only
    _scalars(data, update, payload, errors, date_format)
    recurrence = parse_recurrence(data, errors)
    if recurrence is not None:
        payload["recurrence"] = recurrence
    new_raw, items_raw = data.get("newitems"), data.get("items")
    if not update and new_raw in (None, "", [], {}):
        new_raw, items_raw = items_raw, None  # v3: items[] on a POST
    new_items = _new_items(new_raw, errors)
    if update:
        changed, added = _changed_items(items_raw, errors)
        new_items += added
        if changed:
            payload["items"] = changed
        removed = _removed_items(data.get("removed_items"), errors)
        if removed:
            payload["removed_items"] = removed
    if new_items:
        payload["newitems"] = new_items
    elif not update:
        errors.setdefault("newitems", "at least one item is required")
    if errors:
        raise ValidationFailed(errors)
    return payload


def parse_recurrence(data, errors):
    """The recurrence a request asks for in Perfex's fields
    (:mod:`.perfex_recurrence`), or ``None`` if it names none."""
    if not any(data.get(key) not in (None, "") for key in RECURRENCE_KEYS):
        return None
    raw = data.get("recurring")
    cycles = _int(
        data.get("cycles"), "cycles", errors, 0, maximum=perfex_recurrence.MAX_CYCLES
    )
    if raw in (None, ""):
        errors["recurring"] = "is required with the other recurring fields"
        return None
    if isinstance(raw, str) and raw.strip().lower() == "custom":
        interval = _int(
            data.get("repeat_every_custom"),
            "repeat_every_custom",
            errors,
            1,
            required=True,
            maximum=perfex_recurrence.MAX_INTERVAL,
        )
        unit = _recurrence_unit(
            data.get("repeat_type_custom"), "repeat_type_custom", errors
        )
        custom = True
    else:
        interval = _int(
            raw, "recurring", errors, 0, maximum=perfex_recurrence.MAX_INTERVAL
        )
        custom = bool(_bool(data.get("custom_recurring"), "custom_recurring", errors))
        unit = "month"
        if data.get("recurring_type") not in (None, ""):
            unit = _recurrence_unit(data["recurring_type"], "recurring_type", errors)
            custom = custom or unit != "month"
        if interval is not None and interval > 12 and not custom:
            errors["recurring"] = (
                "must be 0 to 12 (months), or custom with repeat_every_custom"
            )
            return None
    if errors or interval is None or unit is None:
        return None
    if interval == 0:
        return perfex_recurrence.Recurrence(0)
    return perfex_recurrence.Recurrence(interval, unit, cycles or 0, custom)


def _recurrence_unit(value, field, errors):
    unit = value.strip().lower() if isinstance(value, str) else None
    if unit not in perfex_recurrence.UNITS:
        errors[field] = f"must be one of {', '.join(perfex_recurrence.UNITS)}"
        return None
    return unit


def _check_update_keys(data, errors):
    """A PUT naming a field it cannot change is refused, not half applied.

    :return: the read-only keys sent, with their values, to be compared with
        the invoice's.
    """
    read_only = {}
    for key in data:
        if key in UPDATABLE_KEYS or key in PERFEX_IGNORED or key in RECURRENCE_KEYS:
            continue
        if key in READ_ONLY_KEYS:
            read_only[key] = data[key]
            continue
        errors[str(key)[:60]] = "unknown field"
    return read_only


def _scalars(data, update, payload, errors, date_format):
    """Customer, number, dates, currency, notes, addresses and options, as
    declared; then the rules between them."""
    for field in _SCALARS:
        value = _read(
            field,
            data.get(field.key),
            field.key,
            errors,
            required=field.required and not update,
            date_format=date_format,
        )
        if value is not None:
            payload[field.key] = value
        elif field.clearable and update and field.key in data:
            payload[field.key] = ""  # a PUT's empty note clears it
    invoice_date, due_date = payload.get("date"), payload.get("duedate")
    if invoice_date and due_date and due_date < invoice_date:
        errors["duedate"] = "must not be before the invoice date"


def normalize_number(number):
    """A client's invoice number as Perfex compares them: no spaces around,
    no leading zeros (``"00012"`` is ``"12"``)."""
    text = str(number).strip()
    stripped = text.lstrip("0")
    return stripped or text[:1]


def _country(value, field, errors, minimum=0):
    """A Perfex country id (int), an ISO code (str), or 0 for none."""
    if value is None or value == "":
        return None
    if isinstance(value, str) and re.fullmatch(r"\s*[A-Za-z]{2}\s*", value):
        return value.strip().upper()
    return _int(value, field, errors, minimum=minimum)


def _new_items(raw, errors, field="newitems"):
    if raw in (None, "", [], {}):
        return []
    listed = _as_list(raw)
    if listed is None:
        errors[field] = "must be a list of items"
        return []
    if len(listed) > MAX_ITEMS:
        errors[field] = f"has more than {MAX_ITEMS} items"
        return []
    items = []
    for key, item_raw in listed:
        item = _item(item_raw, f"{field}[{key}]", errors)
        if item is not None:
            items.append(item)
    return items


def _changed_items(raw, errors):
    """Existing items to change, and items to add, from a PUT's ``items``.

    An entry names its line by ``itemid`` (Perfex v2), ``id`` (an item as
    read, v3) or, as a last resort, by its key; one without any is new.
    :return: ``({item id: changes}, [new items])``
    """
    if raw in (None, "", [], {}):
        return {}, []
    listed = _as_list(raw)
    if listed is None:
        errors["items"] = "must be a list of items"
        return {}, []
    if len(listed) > MAX_ITEMS:
        errors["items"] = f"has more than {MAX_ITEMS} items"
        return {}, []
    changed, added = {}, []
    keyed = isinstance(raw, dict)
    for key, entry in listed:
        field = f"items[{key}]"
        if not isinstance(entry, dict):
            errors[field] = "must be an object"
            continue
        line = entry.get("itemid", entry.get("id"))
        if line in (None, "") and keyed:
            line = key
        if line in (None, ""):
            item = _item(entry, field, errors)
            if item is not None:
                added.append(item)
            continue
        item_id = _int(line, f"{field}[itemid]", errors, minimum=1)
        if item_id is None:
            continue
        item = _item(entry, field, errors, partial=True)
        if item is not None:
            changed[item_id] = item
    return changed, added


def _removed_items(raw, errors):
    if raw in (None, "", [], {}):
        return []
    listed = [("0", raw)] if isinstance(raw, str | int) else _as_list(raw)
    if listed is None:
        errors["removed_items"] = "must be a list of item ids"
        return []
    ids = []
    for key, value in listed:
        item_id = _int(value, f"removed_items[{key}]", errors, minimum=1)
        if item_id is not None:
            ids.append(item_id)
    return ids


# ---------------------------------------------------------------- listing


#: Perfex lists invoices by id.
DEFAULT_ORDER = "id asc"
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 25
#: Most invoices of an unpaged (legacy) list; the rest are paged.
LEGACY_LIMIT = 1000


def parse_page(args):
    """``(page, per_page)`` of a list other than the invoices' (webhooks,
    delivery logs): ``page`` from 1, ``per_page`` 1 to :data:`MAX_PER_PAGE`.

    :raises ValidationFailed: naming each bad parameter.
    """
    errors = {}
    page = _int(args.get("page"), "page", errors, minimum=1) or 1
    per_page = _int(args.get("per_page"), "per_page", errors, minimum=1)
    if per_page is not None and per_page > MAX_PER_PAGE:
        errors["per_page"] = f"must be between 1 and {MAX_PER_PAGE}"
    if errors:
        raise ValidationFailed(errors)
    return page, per_page or DEFAULT_PER_PAGE


#: The last second a Unix time may name (9999-12-31 23:59:59 UTC).
MAX_UNIX_TIME = 253402300799


def parse_poll(args, now, window, max_limit, default_limit=50):
    """``(since, limit)`` of a polling trigger: ``since`` a Unix time (``now
    - window`` when absent), ``limit`` a whole number brought within 1 to
    ``max_limit`` (as Zapier and Make send whatever they were told).

    :raises ValidationFailed: naming each bad parameter.
    """
    errors = {}
    since = _int(args.get("since"), "since", errors, minimum=0, maximum=MAX_UNIX_TIME)
    limit = _int(args.get("limit"), "limit", errors, maximum=None)
    if errors:
        raise ValidationFailed(errors)
    since = now - window if since is None else since
    limit = default_limit if limit is None else min(max(limit, 1), max_limit)
    return since, limit


def parse_list_query(args):
    """Query string of ``GET /api/invoices`` to paging, order and filters.

    :return: dict with ``paged`` (bool), ``page``, ``per_page``, ``order``
        (an Odoo order string) and ``filters`` (canonical values).
    :raises ValidationFailed: naming each bad parameter.
    """
    errors = {}
    page_raw = args.get("nr_page", args.get("page"))
    per_page_raw = args.get("per_page")
    limit_raw = args.get("limit")
    page_sent = page_raw not in (None, "")
    per_page_field = "per_page"
    if page_sent and per_page_raw in (None, "") and limit_raw not in (None, ""):
        # Perfex v3: with a page, `limit` is an alias of `per_page`
        per_page_raw, per_page_field = limit_raw, "limit"
        limit_raw = None
    paged = page_sent or per_page_raw not in (None, "")
    page = _int(page_raw, "page", errors, minimum=1) or 1
    per_page = DEFAULT_PER_PAGE
    if per_page_raw not in (None, ""):
        value = _int(per_page_raw, per_page_field, errors)
        if value is not None and not 1 <= value <= MAX_PER_PAGE:
            errors[per_page_field] = f"must be between 1 and {MAX_PER_PAGE}"
        elif value is not None:
            per_page = value
    # a bare `limit` keeps its legacy meaning: at most that many rows of the
    # unpaged list (itself capped at LEGACY_LIMIT)
    legacy_limit = None
    if not paged and limit_raw not in (None, ""):
        value = _int(limit_raw, "limit", errors)
        if value is not None and not 1 <= value <= LEGACY_LIMIT:
            errors["limit"] = f"must be between 1 and {LEGACY_LIMIT}"
        elif value is not None:
            legacy_limit = value
    order = _order(args.get("sort"), errors)
    filters = _list_filters(args, errors)
    count = _bool(args.get("count"), "count", errors)
    if errors:
        raise ValidationFailed(errors)
    return {
        "paged": paged,
        "page": page,
        "per_page": per_page,
        "legacy_limit": legacy_limit,
        "order": order,
        "filters": filters,
        "count": bool(count),
        "fields": parse_fields(args),
    }


def _order(sort, errors):
    """``sort=-date,total`` to an Odoo order (Perfex lists by id)."""
    if sort in (None, ""):
        return DEFAULT_ORDER
    terms = []
    for term in str(sort).split(","):
        term = term.strip()
        descending = term.startswith("-")
        name = term.lstrip("-+")
        if name not in SORTABLE:
            errors["sort"] = f"unknown sort field {name[:30]!r}: one of " + ", ".join(
                SORTABLE
            )
            return DEFAULT_ORDER
        terms.append(f"{SORTABLE[name]} {'desc' if descending else 'asc'}")
    return ", ".join(terms + ["id asc"])


def _list_filters(args, errors):
    filters = {}
    status = args.get("status")
    if status not in (None, ""):
        statuses = parse_status(status, errors)
        if statuses:
            filters["status"] = statuses
    clientid = _int(args.get("clientid"), "clientid", errors, minimum=1)
    if clientid:
        filters["clientid"] = clientid
    for key in ("date_from", "date_to", "created_after", "created_before"):
        day = _date(args.get(key), key, errors)
        if day:
            filters[key] = day
    if (
        filters.get("date_to")
        and filters.get("date_from", filters["date_to"]) > (filters["date_to"])
    ):
        errors["date_to"] = "must not be before date_from"
    if _bool(args.get("include_cancelled"), "include_cancelled", errors):
        filters["include_cancelled"] = True
    return filters


def parse_fields(args):
    """``fields=id,number,total`` (v3): the keys an answer keeps; ``None``: all."""
    raw = args.get("fields")
    if not isinstance(raw, str) or not raw.strip():
        return None
    names = {name.strip() for name in raw.split(",") if name.strip()}
    return names or None


def parse_flag(args, name):
    """A yes/no query parameter (``1``, ``true``, ``on``...)."""
    errors = {}
    value = _bool(args.get(name), name, errors)
    if errors:
        raise ValidationFailed(errors)
    return bool(value)


def parse_status(value, errors):
    """A status filter: a Perfex code (1-6) or a status name → statuses."""
    text = str(value).strip().lower()
    code = _CODE.fullmatch(text)
    if code:
        statuses = invoice_status.statuses_for_perfex_code(int(code[1]))
    else:
        statuses = (text,) if text in dict(invoice_status.INVOICE_SELECTION) else ()
    if not statuses:
        errors["status"] = "unknown status: a code 1-6 or one of " + ", ".join(
            dict(invoice_status.INVOICE_SELECTION)
        )
    return statuses


def parse_search_keyword(keyword):
    """The keyword of ``/api/invoices/search/<keyword>``, stripped.

    :raises ValidationFailed: when empty, too long or holding a NUL.
    """
    errors = {}
    text = _text(keyword, "keyword", errors, MAX_SHORT, required=True)
    if text is not None and not text.strip():
        errors["keyword"] = "is required"
    if errors:
        raise ValidationFailed(errors)
    return text.strip()


#: The keys of a page's meta, as Perfex v3 documents its envelope.
PAGE_META_KEYS = (
    "page",
    "per_page",
    "total",
    "total_pages",
    "has_more",
    "current_page",
    "last_page",
)


def page_meta(page, per_page, has_more, total):
    """A page's meta, as Perfex v3 documents it: all seven keys, always
    (``current_page`` and ``last_page`` are v3's names; ``last_page`` is 1
    for an empty list)."""
    total_pages = (total + per_page - 1) // per_page if total else 0
    return {
        "page": page,
        "per_page": per_page,
        "total": total,
        "total_pages": total_pages,
        "has_more": has_more,
        "current_page": page,
        "last_page": max(total_pages, 1),
    }


def next_page_args(args, limit=LEGACY_LIMIT):
    """Query arguments of the page that follows the first ``limit`` rows of an
    unpaged list (same filters and order, in the paged form)."""
    # the largest page size that lands exactly after the first ``limit`` rows
    per_page = next(
        size for size in range(min(limit, MAX_PER_PAGE), 0, -1) if limit % size == 0
    )
    kept = {
        key: value
        for key, value in args.items()
        if key not in ("page", "nr_page", "per_page", "limit", "count")
    }
    return {**kept, "page": limit // per_page + 1, "per_page": per_page}


def parse_number_keyword(keyword):
    """What an invoice number search means: ``(prefix, number)``.

    ``"INV/2026/00012"`` → ``("INV/2026/", 12)``; ``"12"`` and ``"0012"`` →
    ``(None, 12)``; ``"INV-000012"`` → ``("INV-", 12)``; text → ``(None, None)``.
    """
    text = (keyword or "").strip()
    match = re.fullmatch(r"(?P<prefix>.*?[^0-9]?)(?P<digits>[0-9]{1,12})", text)
    if not match:
        return None, None
    prefix = match["prefix"] or None
    return prefix, int(match["digits"])
