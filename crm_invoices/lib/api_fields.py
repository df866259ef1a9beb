"""The invoices API's fields, declared once.

Each entry says, for one key of a request or an answer: what a request may do
with it (write it, send back what it read, send it without effect), how its
value is checked (its kind and limits), which ``account.move`` field keeps it
when it is kept as it is, how a list sorts by it, and what the documentation
says of it.  Derived from this table: the validator's checks
(:mod:`.api_payload`), the keys a PUT may send, the sortable keys, the
writer's map of plain fields (``crm.invoices.api.writer``), the columns the
reader selects for them (``crm.invoices.api``) and the request schemas of the
OpenAPI document (:mod:`.openapi`).  A unit test holds the document to the
validator's limits.

Adding a plain field to the API is one entry here (with ``odoo``) and its
field on ``account.move``; a field that needs a lookup (a customer, a
currency) also gets its resolution in the writer.
"""

from dataclasses import dataclass

from . import perfex_recurrence

#: What a request may do with a key.
UPDATABLE = "updatable"  # written by a POST and a PUT
READ_ONLY = "read_only"  # in answers: a PUT may send it back unchanged
IGNORED = "ignored"  # Perfex forms send it; accepted, without effect
#: Perfex's recurring fields (:mod:`.perfex_recurrence` reads them): they take
#: effect where an addon makes invoices repeat (crm_invoices_recurring)
RECURRENCE = "recurrence"

MAX_ITEMS = 500
#: Largest record id PostgreSQL's ``integer`` column holds.
MAX_ID = 2**31 - 1
MAX_TEXT = 10_000
MAX_SHORT = 255
MAX_NUMBER = 64

DISCOUNT_TYPES = ("", "before_tax", "after_tax")

#: JSON schema of a value of each kind, as requests may send it.
_KIND_SCHEMAS = {
    "id": {"type": ["integer", "string"]},
    "integer": {"type": ["integer", "string"]},
    "number": {"type": ["string", "integer"]},
    "text": {"type": "string"},
    "date": {"type": "string"},
    "decimal": {"type": ["number", "string"]},
    "flag": {"type": ["integer", "boolean", "string"]},
    "currency": {"type": ["integer", "string"]},
    "country": {"type": ["integer", "string"]},
    "choice": {},
    "items": {},
    "ids": {},
    "taxes": {},
    "taxes_v3": {},
    "any": {},
}


@dataclass(frozen=True)
class ApiField:
    """One key of the API's invoices (or of their items).

    :param key: the key, as Perfex names it.
    :param kind: how a sent value is read: ``id`` (a record id, at least 1),
        ``integer``, ``number`` (the client's invoice number), ``text``,
        ``date``, ``decimal``, ``flag`` (0/1, true/false...), ``currency``
        (id or ISO code), ``country`` (id, ISO code or 0), ``choice``,
        ``items``, ``ids``, ``taxes``, ``any`` (not read).
    :param access: :data:`UPDATABLE`, :data:`READ_ONLY` or :data:`IGNORED`.
    :param required: a POST must send it.
    :param clearable: on a PUT, an empty value clears the field (text).
    :param max_length: most characters of a ``text`` or ``number``.
    :param minimum: smallest value of a number.
    :param maximum: largest value of a number.
    :param choices: the values of a ``choice``.
    :param aliases: other keys the value may come under (first key wins).
    :param odoo: the ``account.move`` field that keeps the value as it is
        (plain fields: the writer writes it, the reader selects it, and both
        answer shapes show it, unless ``answered`` is false).
    :param answered: the answer shapes show a plain field as its kind says
        (text: ``""`` when empty; flag: 0/1, ``"0"``/``"1"`` in Perfex's);
        false when they compute it themselves.
    :param sort: the Odoo field a list sorts by for ``sort=<key>``.
    :param put_only: only a PUT may send it.
    :param examples: example values for the documentation.
    :param doc: the OpenAPI description.
    """

    key: str
    kind: str
    access: str = UPDATABLE
    required: bool = False
    clearable: bool = False
    max_length: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple = ()
    aliases: tuple = ()
    odoo: str | None = None
    answered: bool = True
    sort: str | None = None
    put_only: bool = False
    examples: tuple = ()
    doc: str = ""

    def schema(self, items_schema=None):
        """The field's JSON schema in a request (OpenAPI 3.1)."""
        schema = dict(_KIND_SCHEMAS[self.kind])
        if self.kind == "choice":
            schema["enum"] = list(self.choices)
        elif self.kind == "items":
            schema["oneOf"] = [
                {"type": "array", "items": items_schema, "maxItems": MAX_ITEMS},
                {
                    "type": "object",
                    "additionalProperties": items_schema,
                    "maxProperties": MAX_ITEMS,
                },
            ]
        elif self.kind == "ids":
            schema["oneOf"] = [
                {"type": "array", "items": {"type": ["integer", "string"]}},
                {"type": ["integer", "string"]},
            ]
        elif self.kind in ("taxes", "taxes_v3"):
            schema.update(_TAX_SCHEMAS[self.kind])
        if self.max_length is not None:
            schema["maxLength"] = self.max_length
        if self.minimum is not None:
            schema["minimum"] = self.minimum
        if self.maximum is not None:
            schema["maximum"] = self.maximum
        if self.examples:
            schema["examples"] = list(self.examples)
        if self.access == IGNORED:
            schema["description"] = (
                "Sent by Perfex clients; accepted, without effect in Odoo."
            )
        elif self.access == RECURRENCE:
            schema["description"] = (
                "Perfex's recurring invoice field: the invoice repeats itself "
                "(with the Recurring Invoices addon installed). " + self.doc
            ).strip()
        elif self.doc:
            schema["description"] = self.doc
        return schema


_TAX_SCHEMAS = {
    "taxes": {
        "oneOf": [
            {"type": "array", "items": {"type": "string"}},
            {"type": "string"},
        ]
    },
    "taxes_v3": {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                "rate": {"type": ["number", "string"]},
            },
        },
    },
}


def _text(key, max_length=MAX_TEXT, **options):
    return ApiField(key, "text", max_length=max_length, **options)


def _flag(key, **options):
    return ApiField(key, "flag", **options)


def _money(key, doc=""):
    return ApiField(key, "decimal", doc=doc)


def _address(kind):
    return (
        *(_text(f"{kind}_{part}", MAX_SHORT) for part in ADDRESS_PARTS),
        ApiField(
            f"{kind}_country",
            "country",
            minimum=0,
            maximum=MAX_ID,
            doc="Perfex country id (194 is Saudi Arabia), ISO 3166 code, or 0 for none."
            if kind == "billing"
            else "As billing_country.",
        ),
    )


def _read_only(key, sort):
    """A key of the answers a list sorts by (the answers' other keys are read
    only too: see ``api_payload.READ_ONLY_KEYS``)."""
    return ApiField(key, "any", READ_ONLY, sort=sort)


def _recurrence(key, kind, doc, **options):
    return ApiField(key, kind, RECURRENCE, doc=doc, **options)


def _ignored(*keys):
    return tuple(ApiField(key, "any", IGNORED) for key in keys)


ADDRESS_PARTS = ("street", "city", "state", "zip")
BILLING = tuple(f"billing_{part}" for part in ADDRESS_PARTS)
SHIPPING = tuple(f"shipping_{part}" for part in ADDRESS_PARTS)

#: An item (an invoice line), as a request sends it.
ITEM_FIELDS = (
    _text("description", MAX_SHORT, required=True),
    _text("long_description"),
    ApiField("qty", "decimal", required=True, minimum=0, examples=(2,)),
    ApiField("rate", "decimal", required=True, examples=("50.00",)),
    _text("unit", MAX_SHORT, doc="Unit of measure name, if Odoo has it."),
    ApiField("order", "integer", aliases=("item_order",), maximum=MAX_ID),
    ApiField(
        "taxname",
        "taxes",
        doc='Taxes as "NAME|RATE", e.g. "TVA|19.00": the company\'s sale tax of '
        "that rate (NAME tells apart taxes of one rate; Perfex Taxes maps other "
        "names). An empty value: no tax.",
    ),
    ApiField(
        "taxes", "taxes_v3", doc="Perfex v3: taxes as objects, instead of taxname."
    ),
    ApiField(
        "itemid",
        "id",
        minimum=1,
        maximum=MAX_ID,
        doc="In a PUT's items: the item (line) to change.",
    ),
)

#: The invoice, in the order the validator checks (and names errors).
INVOICE_FIELDS = (
    ApiField(
        "clientid",
        "id",
        required=True,
        minimum=1,
        maximum=MAX_ID,
        sort="commercial_partner_id",
        doc="The customer: its Perfex client id, else its Odoo id (never a "
        "company of the database).",
    ),
    ApiField(
        "number",
        "number",
        max_length=MAX_NUMBER,
        sort="name",
        doc="The client's invoice number, unique in the company (409 'The "
        "Invoice number is already in use'); leading zeros do not count. Odoo's "
        "legal sequence still numbers the invoice.",
    ),
    ApiField(
        "date",
        "date",
        required=True,
        sort="invoice_date",
        doc="YYYY-MM-DD, or the Perfex date format of the company's settings "
        "(e.g. d/m/Y).",
    ),
    ApiField("duedate", "date", sort="invoice_date_due", doc="As date."),
    ApiField(
        "currency",
        "currency",
        minimum=1,
        maximum=MAX_ID,
        doc="ISO 4217 code, or a Perfex currency id (1 USD, 2 EUR, or as mapped "
        "on the currency).",
    ),
    _text("clientnote", clearable=True, odoo="crm_client_note"),
    _text("adminnote", clearable=True, odoo="crm_admin_note"),
    _text("terms", clearable=True, odoo="narration"),
    *_address("billing"),
    *_address("shipping"),
    _flag("include_shipping"),
    ApiField("sale_agent", "integer", minimum=0, maximum=MAX_ID, doc="Staff user id."),
    # answered as Perfex does: "before_tax" when a discount has no type
    ApiField(
        "discount_type",
        "choice",
        choices=DISCOUNT_TYPES,
        odoo="crm_discount_type",
        answered=False,
    ),
    ApiField("discount_percent", "decimal", minimum=0, maximum=100),
    _flag("cancel_overdue_reminders", odoo="crm_no_reminders"),
    _flag("save_as_draft"),
    _flag("sent"),
    _money(
        "subtotal",
        "Quantity x rate of the items, before discount: checked against Odoo's "
        "(422 when they differ).",
    ),
    ApiField(
        "total",
        "decimal",
        sort="amount_total",
        doc="Checked against Odoo's total (422 when they differ).",
    ),
    _money(
        "adjustment",
        "Perfex's adjustment: an amount without tax added to the total (a line "
        "of its own in Odoo).",
    ),
    _money("discount_total", "Accepted; Odoo computes it from discount_percent."),
    ApiField("newitems", "items"),
    ApiField(
        "items",
        "items",
        doc="Perfex v3: the items of a new invoice (when newitems is not sent).",
    ),
    ApiField("removed_items", "ids", put_only=True),
    *_ignored(
        "allowed_payment_modes",
        "tags",
        "show_quantity_as",
        "show_shipping_on_invoice",
        "project_id",
        "custom_fields",
        "isedit",
        "task_id",
        "expenseid",
        "billed_tasks",
        "billed_expenses",
    ),
    _recurrence(
        "recurring",
        "any",
        "0: not recurring; 1 to 12: every so many months; custom: every "
        "repeat_every_custom repeat_type_custom (or a count with recurring_type).",
    ),
    _recurrence("repeat_every_custom", "integer", "With recurring=custom: how many."),
    _recurrence(
        "repeat_type_custom", "any", "With recurring=custom: day, week, month or year."
    ),
    _recurrence("recurring_type", "any", "day, week, month or year (as answered)."),
    _recurrence("custom_recurring", "flag", "1: a custom recurrence (as answered)."),
    _recurrence(
        "cycles",
        "integer",
        "How many invoices it makes; 0: without end.",
        minimum=0,
        maximum=perfex_recurrence.MAX_CYCLES,
    ),
    _read_only("id", sort="id"),
    _read_only("datecreated", sort="create_date"),
    _read_only("status", sort="crm_status"),
)


def keys(access):
    """The invoice keys a request may send with that access."""
    return frozenset(field.key for field in INVOICE_FIELDS if field.access == access)


#: What a POST must send.
REQUIRED = tuple(field.key for field in INVOICE_FIELDS if field.required)
#: ``sort=`` key → the Odoo field a list sorts by.
SORTABLE = {field.key: field.sort for field in INVOICE_FIELDS if field.sort}

#: Plain fields: request key → the ``account.move`` field that keeps it.
ODOO_FIELDS = {field.key: field.odoo for field in INVOICE_FIELDS if field.odoo}


def plain_answers(values, strings=False):
    """The plain fields of an invoice's answer, by key, from the values the
    reader selected (under the same keys).

    :param strings: Perfex's shape (every value a string).
    """
    answers = {}
    for field in INVOICE_FIELDS:
        if not (field.odoo and field.answered):
            continue
        value = values.get(field.key)
        if field.kind == "flag":
            answers[field.key] = (
                ("1" if value else "0") if strings else int(bool(value))
            )
        else:
            answers[field.key] = value or ""
    return answers


def request_properties(update=False, items_schema=None):
    """JSON schemas of what a POST (or a PUT) may send, by key."""
    return {
        field.key: field.schema(items_schema)
        for field in INVOICE_FIELDS
        if field.access != READ_ONLY and (update or not field.put_only)
    }


def item_properties():
    """JSON schemas of an item's keys."""
    return {field.key: field.schema() for field in ITEM_FIELDS}
