from werkzeug.exceptions import HTTPException

from odoo import models
from odoo.http import request

from ..lib import api_serialize, api_token


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _auth_method_crm_invoices_token(cls):
        """``auth="crm_invoices_token"``: the API token of the request.

        The token is checked before anything else; the request then runs as
        the token's user (its rights, record rules and companies), never as
        superuser.  Failures answer in JSON: 401 for the token, 429 for the
        rate limit.
        """
        value = api_token.extract_token(request.httprequest.headers.get)
        tokens = request.env["crm.invoices.api.token"].sudo()
        if not value:
            raise ApiResponse(
                401,
                request.env._(
                    "Authentication required: send the header 'authtoken: <token>'"
                ),
                {"authtoken": "missing"},
                headers={"WWW-Authenticate": 'Bearer realm="crm-invoices"'},
            )
        token, reason = tokens._crm_authenticate(value)
        if not token:
            raise ApiResponse(
                401,
                reason,
                {"authtoken": reason},
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
        allowed, retry_after = token._crm_count_request()
        if not allowed:
            raise ApiResponse(
                429,
                request.env._(
                    "Too many requests: retry in %(seconds)s seconds",
                    seconds=retry_after,
                ),
                {"rate_limit": f"{token.rate_limit} requests per minute"},
                headers={"Retry-After": str(retry_after)},
            )
        user = token.user_id
        request.update_env(
            user=user.id,
            context=dict(
                request.env.context,
                allowed_company_ids=user.company_ids.ids,
                crm_invoices_token_id=token.id,
                # machine clients compare messages: the API speaks English
                lang="en_US",
            ),
        )

    @classmethod
    def _handle_error(cls, exception):
        """Under /api/, every error is JSON: no route (404), wrong method
        (405), or anything that escaped the endpoints."""
        if not request.httprequest.path.startswith("/api/"):
            return super()._handle_error(exception)
        if isinstance(exception, ApiResponse):
            return exception.get_response()
        status = getattr(exception, "code", None)
        if not isinstance(status, int) or not 400 <= status < 600:
            status = 500
        headers = {}
        if status == 405 and getattr(exception, "valid_methods", None):
            headers["Allow"] = ", ".join(exception.valid_methods)
        messages = {404: "No data were found", 405: "Method not allowed"}
        message = messages.get(status, "Internal error")
        return ApiResponse(
            status, message, {"request": message}, headers
        ).get_response()


class ApiResponse(HTTPException):
    """An API answer other than success, always JSON.

    A werkzeug HTTP exception: raised during authentication, Odoo answers with
    :meth:`get_response`; raised in an endpoint, the controller does.
    """

    def __init__(self, status, message, errors=None, headers=None):
        super().__init__(message)
        self.code = status
        self.message = message
        self.errors = errors or {}
        self.headers = headers or {}

    def get_response(self, environ=None, scope=None):
        response = request.make_json_response(
            api_serialize.error_json(self.message, self.errors),
            headers=list(self.headers.items()),
            status=self.code,
        )
        return response
