"""The invoices REST API, compatible with Perfex CRM's ``authtoken`` API.

Every answer is JSON.  A request that does not succeed writes nothing: the
transaction is rolled back before the error is returned.
"""

import functools
import logging

from psycopg2 import OperationalError
from werkzeug.urls import url_encode

from odoo import http
from odoo.http import request

from ..lib import api_errors, api_payload, api_serialize, perfex
from ..lib.api_errors import ApiError
from ..models.ir_http import json_answer

_logger = logging.getLogger(__name__)

#: Largest request body accepted (413 above).
MAX_BODY_BYTES = 1024 * 1024

ROUTE = {
    "type": "http",
    "auth": "crm_invoices_token",
    "csrf": False,
    "save_session": False,
    "readonly": False,
}


def _json(data, status=200, headers=None):
    return request.make_json_response(data, status=status, headers=headers)


def read_body():
    """The request body as a dict, from JSON or form data."""
    httprequest = request.httprequest
    length = httprequest.content_length
    if length is not None and length > MAX_BODY_BYTES:
        raise ApiError(
            request.env._("Request body too large"),
            {"body": f"at most {MAX_BODY_BYTES} bytes"},
            status=413,
        )
    mimetype = httprequest.mimetype or ""
    if mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        return api_payload.parse_form(httprequest.form.items(multi=True))
    raw = httprequest.get_data(cache=True)
    if len(raw) > MAX_BODY_BYTES:
        raise ApiError(
            request.env._("Request body too large"),
            {"body": f"at most {MAX_BODY_BYTES} bytes"},
            status=413,
        )
    if not raw.strip():
        return {}
    return api_payload.parse_json(raw)


def api_endpoint(func):
    """Answer what can go wrong with its documented JSON error (see
    :mod:`..lib.api_errors`), writing nothing."""

    @functools.wraps(func)
    def wrapper(self, *args, **kwargs):
        try:
            return func(self, *args, **kwargs)
        except OperationalError:
            raise  # concurrency: Odoo retries the whole request
        except Exception as exception:  # noqa: BLE001 - every error is an answer
            answer = api_errors.answer_for(exception)
            if answer is None:
                _logger.exception("Invoices API: unexpected error")
                answer = api_errors.internal_error()
            elif answer.code == 403:
                _logger.info("Invoices API: access denied", exc_info=True)
            request.env.cr.rollback()
            return json_answer(answer)

    return wrapper


class InvoicesApi(http.Controller):
    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------

    def _token(self):
        token_id = request.env.context.get("crm_invoices_token_id")
        return request.env["crm.invoices.api.token"].sudo().browse(token_id)

    def _require(self, scope):
        if scope not in request.env.context.get("crm_invoices_scopes", ()):
            raise ApiError(
                request.env._("This token may not %(scope)s invoices", scope=scope),
                {"scope": f"'{scope}' scope required"},
                status=403,
            )

    def _method_not_allowed(self, allowed):
        raise ApiError(
            request.env._(
                "Method %(method)s not allowed", method=request.httprequest.method
            ),
            {"method": "allowed: " + ", ".join(allowed)},
            {"Allow": ", ".join(allowed)},
            status=405,
        )

    def _body(self):
        return read_body()

    def _invoice(self, invoice_id, include_cancelled=False):
        """The invoice ``invoice_id`` when the token's user may see it.

        A missing invoice, one of another company and a cancelled one (unless
        asked for) answer the same 404: ids cannot be enumerated, and an
        invoice deleted through the API stays deleted for its clients.
        """
        invoice = None
        if 1 <= invoice_id <= api_payload.MAX_ID:
            invoice = request.env["crm.invoices.api"]._get(
                invoice_id, include_cancelled=include_cancelled
            )
        if not invoice:
            raise ApiError(
                api_errors.NOT_FOUND, {"id": f"no invoice {invoice_id}"}, status=404
            )
        return invoice

    def _one(self, invoice, fields=None):
        [row] = request.env["crm.invoices.api"]._serialize(invoice, detail=True)
        return perfex.only_fields(row, fields)

    def _date_format(self):
        return request.env.company.crm_api_date_format or "Y-m-d"

    def _writer(self):
        return request.env["crm.invoices.api.writer"]

    # ------------------------------------------------------------------
    # endpoints
    # ------------------------------------------------------------------

    @http.route(["/api/invoices", "/api/v1/invoices"], **ROUTE)
    @api_endpoint
    def invoices(self, **kwargs):
        method = request.httprequest.method
        if method == "GET":
            return self._list()
        if method == "POST":
            return self._create()
        return self._method_not_allowed(["GET", "POST"])

    def _list(self):
        """Perfex's list (an array, by id) without paging parameters; a typed
        page ``{data, meta}`` with them (meta also in v3's keys)."""
        self._require("read")
        args = request.httprequest.args
        query = api_payload.parse_list_query(args)
        api = request.env["crm.invoices.api"]
        invoices, has_more, total = api._list(query)
        if query["paged"]:
            rows = api._serialize(invoices, shape="typed")
            meta = api_payload.page_meta(
                query["page"], query["per_page"], has_more, total
            )
            rows = [perfex.only_fields(row, query["fields"]) for row in rows]
            return _json({"data": rows, "meta": meta})
        rows = [
            perfex.only_fields(row, query["fields"]) for row in api._serialize(invoices)
        ]
        if not rows:
            raise ApiError(api_errors.NOT_FOUND, status=404)
        headers = [("X-Total-Count", str(total))]
        if has_more:
            following = api_payload.next_page_args(
                args, query["legacy_limit"] or api._crm_legacy_limit
            )
            link = f"{request.httprequest.base_url}?{url_encode(following)}"
            headers.append(("Link", f'<{link}>; rel="next"'))
        return _json(rows, headers=headers)

    def _create(self):
        self._require("create")
        body = self._body()
        payload = api_payload.normalize_invoice(body, date_format=self._date_format())
        status, answer, replayed = (
            request.env["crm.invoices.api.idempotency"]
            .sudo()
            ._crm_answer_once(
                self._token(),
                request.httprequest.headers.get("Idempotency-Key"),
                body,
                lambda: self._created(payload),
            )
        )
        headers = [("Idempotent-Replayed", "true")] if replayed else None
        return _json(answer, status, headers)

    def _created(self, payload):
        invoice, warnings = self._writer()._create(payload)
        return api_serialize.success_json(
            "Invoice Added Successfully",
            record_id=invoice.id,
            id=invoice.id,
            invoice=self._one(invoice),
            **({"warnings": warnings} if warnings else {}),
        )

    @http.route(
        ["/api/invoices/<int:invoice_id>", "/api/v1/invoices/<int:invoice_id>"], **ROUTE
    )
    @api_endpoint
    def invoice(self, invoice_id, **kwargs):
        method = request.httprequest.method
        if method == "GET":
            self._require("read")
            args = request.httprequest.args
            include_cancelled = api_payload.parse_flag(args, "include_cancelled")
            invoice = self._invoice(invoice_id, include_cancelled=include_cancelled)
            return _json(self._one(invoice, api_payload.parse_fields(args)))
        if method == "PUT":
            return self._update(invoice_id)
        if method == "DELETE":
            return self._delete(invoice_id)
        return self._method_not_allowed(["GET", "PUT", "DELETE"])

    def _update(self, invoice_id):
        self._require("update")
        invoice = self._invoice(invoice_id)
        payload = api_payload.normalize_invoice(
            self._body(), update=True, date_format=self._date_format()
        )
        outcome, warnings = self._writer()._update(invoice, payload)
        return _json(
            api_serialize.success_json(
                "Invoice Updated Successfully",
                id=invoice.id,
                record_id=invoice.id,
                action=outcome,
                invoice=self._one(invoice),
                **({"warnings": warnings} if warnings else {}),
            )
        )

    @http.route(
        [
            "/api/delete/invoices/<int:invoice_id>",
            "/api/v1/delete/invoices/<int:invoice_id>",
        ],
        **ROUTE,
    )
    @api_endpoint
    def delete_invoice(self, invoice_id, **kwargs):
        if request.httprequest.method != "DELETE":
            return self._method_not_allowed(["DELETE"])
        return self._delete(invoice_id)

    def _delete(self, invoice_id):
        """Perfex's answer whether the invoice was deleted (a draft) or
        cancelled (posted: the books keep it); ``action`` says which."""
        self._require("delete")
        invoice = self._invoice(invoice_id)
        done = self._writer()._delete(invoice)
        return _json(
            api_serialize.success_json(
                "Invoice Deleted Successfully", id=invoice_id, action=done
            )
        )

    @http.route(
        [
            "/api/invoices/search",
            "/api/invoices/search/<path:keyword>",
            "/api/v1/invoices/search",
            "/api/v1/invoices/search/<path:keyword>",
        ],
        **ROUTE,
    )
    @api_endpoint
    def search(self, keyword=None, **kwargs):
        """``/search/<keyword>`` (v2) or ``/search?q=`` (v3)."""
        if request.httprequest.method != "GET":
            return self._method_not_allowed(["GET"])
        self._require("read")
        args = request.httprequest.args
        if keyword is None:
            keyword = args.get("q", "")
        keyword = api_payload.parse_search_keyword(keyword)
        api = request.env["crm.invoices.api"]
        invoices = api._search_keyword(keyword)
        if not invoices:
            raise ApiError(api_errors.NOT_FOUND, status=404)
        fields = api_payload.parse_fields(args)
        rows = api._serialize(invoices, shape="search")
        return _json([perfex.only_fields(row, fields) for row in rows])

    @http.route(
        "/api/openapi.json",
        type="http",
        auth="public",
        csrf=False,
        save_session=False,
        readonly=True,
    )
    @api_endpoint
    def openapi_document(self, **kwargs):
        if request.httprequest.method != "GET":
            return self._method_not_allowed(["GET"])
        return _json(request.env["crm.invoices.api"].sudo()._openapi_document())
