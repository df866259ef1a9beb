from psycopg2 import OperationalError

from odoo import models
from odoo.http import request
from odoo.service.model import PG_CONCURRENCY_ERRORS_TO_RETRY

from ..lib import api_errors, api_token
from ..lib.api_errors import ApiError

#: The paths of this addon's API: their errors are JSON, others' stay theirs
#: (OCA's fastapi, for one, also mounts apps under /api/).
API_PREFIXES = (
    "/api/invoices",
    "/api/delete/invoices",
    "/api/v1/invoices",
    "/api/v1/delete/invoices",
    "/api/webhooks",
    "/api/v1/webhooks",
    "/api/zapier",
    "/api/openapi.json",
)
#: Where a request keeps its authentication, so that Odoo's retry of the same
#: client request (after a serialization failure) does not count it again.
AUTH_ENVIRON_KEY = "crm_invoices.token_auth"


def json_answer(error):
    """The JSON response of an :class:`~..lib.api_errors.ApiError`."""
    return request.make_json_response(
        error.body(), headers=list(error.headers.items()), status=error.code
    )


def is_api_path(path):
    return any(
        path == prefix or path.startswith(prefix.rstrip("/") + "/")
        for prefix in API_PREFIXES
    )


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _auth_method_crm_invoices_token(cls):
        """``auth="crm_invoices_token"``: the API token of the request.

        The token is checked (and the request counted, once even when Odoo
        retries it) before anything else; the request then runs as the
        token's user, in the token's companies (its own first), never as
        superuser.  Failures answer in JSON: 401 for the token, 429 for the
        rate limit.
        """
        environ = request.httprequest.environ
        if AUTH_ENVIRON_KEY not in environ:
            value = api_token.extract_token(request.httprequest.headers.get)
            if not value:
                raise ApiError(
                    request.env._(
                        "Authentication required: send the header 'authtoken: <token>'"
                    ),
                    {"authtoken": "missing"},
                    {"WWW-Authenticate": 'Bearer realm="crm-invoices"'},
                    status=401,
                )
            environ[AUTH_ENVIRON_KEY] = request.env[
                "crm.invoices.api.token"
            ]._crm_authenticate(value)
        grant, reason = environ[AUTH_ENVIRON_KEY]
        if grant is None:
            raise ApiError(
                reason,
                {"authtoken": reason},
                {"WWW-Authenticate": 'Bearer error="invalid_token"'},
                status=401,
            )
        if grant["retry_after"]:
            raise ApiError(
                request.env._(
                    "Too many requests: retry in %(seconds)s seconds",
                    seconds=grant["retry_after"],
                ),
                {"rate_limit": f"{grant['rate_limit']} requests per minute"},
                {"Retry-After": str(grant["retry_after"])},
                status=429,
            )
        request.update_env(
            user=grant["user_id"],
            context=dict(
                request.env.context,
                allowed_company_ids=grant["company_ids"],
                crm_invoices_token_id=grant["token_id"],
                crm_invoices_scopes=grant["scopes"],
                # machine clients compare messages: the API speaks English
                lang="en_US",
                # the user's "today" (days overdue), as a web client session
                # carries it, without reading the user for it (Odoo runs in
                # UTC: a user without a time zone has UTC's "today")
                tz=grant["tz"] or "UTC",
            ),
        )

    @classmethod
    def _handle_error(cls, exception):
        """On this addon's API paths every error is JSON: no route (404),
        wrong method (405), a concurrency failure Odoo could not retry away
        (503), or anything that escaped the endpoints.  Other paths, other
        addons' /api/ included, keep Odoo's handling."""
        if not is_api_path(request.httprequest.path):
            return super()._handle_error(exception)
        if isinstance(exception, ApiError):
            return json_answer(exception)
        headers = {}
        status = getattr(exception, "code", None)
        if isinstance(exception, OperationalError) and (
            exception.pgcode in PG_CONCURRENCY_ERRORS_TO_RETRY
        ):
            status = 503
            headers["Retry-After"] = "1"
        if status == 405 and getattr(exception, "valid_methods", None):
            headers["Allow"] = ", ".join(exception.valid_methods)
        return json_answer(api_errors.routing_error(status, headers))
