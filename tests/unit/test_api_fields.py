"""The OpenAPI document and the validator agree on every limit.

The request schemas are read from the served document (not from the field
table they are derived from), and each limit they state is tried on the
validator: the limit itself passes, one past it fails on that key.  A key the
document leaves unlimited must not be refused for its length or size.
"""

import pytest

from odoo.addons.crm_invoices.lib import api_fields, openapi
from odoo.addons.crm_invoices.lib.api_payload import ValidationFailed, normalize_invoice

DOCUMENT = openapi.document("http://localhost")
SCHEMAS = DOCUMENT["components"]["schemas"]
ITEM = {"description": "Hosting", "qty": "1", "rate": "10"}


def _errors(update=False, item=None, **values):
    body = {"clientid": 7, "date": "2026-03-01", "newitems": [dict(ITEM)]}
    if update:
        body = {}
    body.update(values)
    if item is not None:
        body["newitems"] = [{**ITEM, **item}]
    try:
        normalize_invoice(body, update=update)
    except ValidationFailed as failed:
        return failed.errors
    return {}


def _cases(keep=lambda schema: True):
    """(update, key, property schema, where) of every request property the
    test is about."""
    cases = []
    for name, update in (("InvoiceInput", False), ("InvoiceUpdate", True)):
        for key, schema in SCHEMAS[name]["properties"].items():
            if keep(schema):
                cases.append(
                    pytest.param(update, key, schema, None, id=f"{name}.{key}")
                )
        item = SCHEMAS[name]["properties"]["newitems"]["oneOf"][0]["items"]
        for key, schema in item["properties"].items():
            # itemid names a line of a PUT's items, not a value of a new one
            if key != "itemid" and keep(schema):
                cases.append(
                    pytest.param(update, key, schema, "item", id=f"{name}.item.{key}")
                )
    return cases


def _numeric(schema):
    return {"number", "integer"} & set(str(schema.get("type")).split("'"))


def _try(update, key, where, value):
    if where == "item":
        errors = _errors(update, item={key: value})
        return errors.get(f"newitems[0][{key}]")
    return _errors(update, **{key: value}).get(key)


@pytest.mark.parametrize("update,key,schema,where", _cases())
def test_a_documented_length_is_the_validators(update, key, schema, where):
    limit = schema.get("maxLength")
    too_long = _try(update, key, where, "7" * ((limit or 20_000) + 1))
    if limit is None:
        assert not (too_long or "").startswith("is longer than"), too_long
        return
    assert too_long == f"is longer than {limit} characters"
    assert _try(update, key, where, "7" * limit) is None


@pytest.mark.parametrize("update,key,schema,where", _cases(_numeric))
def test_documented_bounds_are_the_validators(update, key, schema, where):
    bound_words = ("must be at least", "must be at most", "must not be")
    for bound, step in (("minimum", -1), ("maximum", 1)):
        limit = schema.get(bound)
        if limit is None:
            refused = _try(update, key, where, step * 10**12) or ""
            assert not refused.startswith(bound_words), (bound, refused)
            continue
        assert _try(update, key, where, limit) is None, (bound, limit)
        assert _try(update, key, where, limit + step), (bound, limit + step)


@pytest.mark.parametrize(
    "update,key,schema,where", _cases(lambda schema: "enum" in schema)
)
def test_a_documented_choice_is_the_validators(update, key, schema, where):
    for value in schema["enum"]:
        assert _try(update, key, where, value) is None, value
    assert _try(update, key, where, "none of them")


@pytest.mark.parametrize("update", [False, True])
def test_the_documented_item_count_is_the_validators(update):
    name = "InvoiceUpdate" if update else "InvoiceInput"
    shapes = SCHEMAS[name]["properties"]["newitems"]["oneOf"]
    limits = {shape.get("maxItems") or shape.get("maxProperties") for shape in shapes}
    assert limits == {api_fields.MAX_ITEMS}
    (limit,) = limits
    assert "newitems" not in _errors(update, newitems=[dict(ITEM)] * limit)
    refused = _errors(update, newitems=[dict(ITEM)] * (limit + 1))
    assert refused["newitems"] == f"has more than {limit} items"


def test_the_documented_required_keys_are_the_validators():
    required = set(SCHEMAS["InvoiceInput"]["required"])
    assert required == {"clientid", "date"}
    for key in required:
        assert _errors(**{key: None}).get(key) == "is required"
    assert "required" not in SCHEMAS["InvoiceUpdate"]
    assert _errors(update=True) == {}


def test_every_documented_key_is_accepted_and_every_accepted_key_documented():
    for name, update in (("InvoiceInput", False), ("InvoiceUpdate", True)):
        documented = set(SCHEMAS[name]["properties"])
        for key in documented:
            assert _errors(update, **{key: None}).get(key) != "unknown field", key
        accepted = (
            api_fields.keys(api_fields.UPDATABLE)
            | api_fields.keys(api_fields.IGNORED)
            | api_fields.keys(api_fields.RECURRENCE)
        )
        if not update:
            accepted -= {"removed_items"}
        assert documented == accepted
    assert _errors(update=True, bogus=1) == {"bogus": "unknown field"}


def test_the_sort_keys_documented_are_the_ones_a_list_takes():
    (sort,) = [
        parameter
        for parameter in DOCUMENT["paths"]["/api/invoices"]["get"]["parameters"]
        if parameter["name"] == "sort"
    ]
    listed = sort["description"].rpartition(": ")[2].split(", ")
    assert set(listed) == set(api_fields.SORTABLE)
    assert api_fields.SORTABLE["date"] == "invoice_date"


def test_plain_fields_name_the_odoo_field_they_are_kept_in():
    assert api_fields.ODOO_FIELDS == {
        "clientnote": "crm_client_note",
        "adminnote": "crm_admin_note",
        "terms": "narration",
        "discount_type": "crm_discount_type",
        "cancel_overdue_reminders": "crm_no_reminders",
    }


def test_every_key_of_an_answer_may_come_back_in_a_put():
    """A client that edits what it read sends the answer back: its keys are
    read-only (compared with the invoice), never unknown."""
    from odoo.addons.crm_invoices.lib import api_serialize, perfex
    from odoo.addons.crm_invoices.lib.api_payload import READ_ONLY_KEYS

    answers = set(perfex.invoice({"id": 1}, (), (), {})) | set(
        api_serialize.invoice_json({"id": 1})
    )
    written = (
        api_fields.keys(api_fields.UPDATABLE)
        | api_fields.keys(api_fields.IGNORED)
        | api_fields.keys(api_fields.RECURRENCE)
    )
    for key in answers - written:
        sent = normalize_invoice({key: "sent back"}, update=True)
        assert sent["read_only"] == {key: "sent back"}, key
    assert {"client_number", "formatted_number", "odoo", "hash"} <= READ_ONLY_KEYS
    assert not READ_ONLY_KEYS & api_fields.keys(api_fields.UPDATABLE)
