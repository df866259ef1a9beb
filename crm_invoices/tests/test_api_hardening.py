"""The faults found by trying the API as an attacker and a busy integration.

Each test failed on the code before the hardening (see the commit).
"""

from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import SQL

from ..lib import api_payload, api_token
from .test_api import ApiCommon


@tagged("post_install", "-at_install")
class TestTokenPermissions(ApiCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager_b = cls.make_ar_user(
            "manager_b", manager=True, company=cls.company_b
        )
        cls.tokens_b = cls.env["crm.invoices.api.token"].with_user(cls.manager_b)
        cls.admin = cls.env.ref("base.user_admin")

    def token_values(self, user, **values):
        return {
            "name": "escalation",
            "user_id": user.id,
            "company_id": self.company_b.id,
            "scope_read": True,
            **values,
        }

    def test_manager_cannot_issue_a_token_acting_as_someone_mightier(self):
        # the administrator (more rights), a user of another company
        for user in (self.admin, self.clerk):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.tokens_b.create(self.token_values(user))
        # a user with a right the manager lacks (he cannot manage users)
        mightier = self.make_ar_user("mightier_b", company=self.company_b)
        mightier.groups_id += self.env.ref("base.group_erp_manager")
        with self.assertRaises(AccessError):
            self.tokens_b.create(self.token_values(mightier))
        # a user of the manager's company, within his rights, is fine
        token = self.tokens_b.create(self.token_values(self.clerk_b))
        self.assertEqual(token.user_id, self.clerk_b)

    def test_acting_user_cannot_be_changed_over_rpc(self):
        token = self.tokens_b.create(self.token_values(self.clerk_b))
        with self.assertRaises(AccessError):
            token.write({"user_id": self.admin.id})
        token.action_generate()
        with self.assertRaisesRegex(UserError, "cannot change"):
            token.write({"user_id": self.clerk_b.id, "company_ids": [Command.set([])]})

    def test_token_company_must_be_one_of_its_user(self):
        with self.assertRaises(AccessError):
            self.env["crm.invoices.api.token"].create(
                self.token_values(self.clerk, company_id=self.company_b.id)
            )

    def test_revocation_is_final_and_managed_fields_are_odoos(self):
        token = self.tokens_b.create(self.token_values(self.clerk_b))
        value = token.action_generate()["context"]["default_token"]
        token.action_revoke()
        for values in (
            {"revoked": False},
            {"token_hash": "0" * 64},
            {"token_hint": False},
            {"request_count": 0},
        ):
            # AccessError is a UserError
            with self.subTest(values=values), self.assertRaises(UserError):
                token.write(values)
        with self.assertRaisesRegex(UserError, "revoked"):
            token.action_generate()
        with self.assertRaises(AccessError):
            self.tokens_b.create(
                self.token_values(
                    self.clerk_b,
                    token_hash=api_token.token_digest("crmi_mine", "x"),
                )
            )
        token.invalidate_recordset()
        self.assertTrue(token.sudo().revoked)
        self.assertApiError(self.api("GET", "/api/invoices", token=value), 401)


@tagged("post_install", "-at_install")
class TestTokenCompanies(ApiCommon):
    def test_requests_run_in_the_tokens_company(self):
        both = self.make_ar_user("both_companies")
        both.company_ids = self.env.company | self.company_b
        tva_b = self.env["account.tax"].create(
            {
                "name": "TVA",
                "amount": 19.0,
                "type_tax_use": "sale",
                "company_id": self.company_b.id,
            }
        )
        customer = self.env["res.partner"].create({"name": "Shared customer"})
        # whichever of the user's companies sorts first, the token's is used
        for company, tax in ((self.company_b, tva_b), (self.env.company, self.tva)):
            with self.subTest(company=company.name):
                token = self.make_token(
                    f"in {company.name}",
                    both,
                    read=True,
                    create=True,
                    company_id=company.id,
                )
                response = self.api(
                    "POST",
                    "/api/invoices",
                    token=token,
                    json=self.body(clientid=customer.id),
                )
                self.assertEqual(response.status_code, 200, response.text)
                invoice = self.env["account.move"].browse(response.json()["id"])
                self.assertEqual(invoice.company_id, company)
                self.assertEqual(invoice.invoice_line_ids.tax_ids[:1], tax)
                self.assertEqual(invoice.journal_id.company_id, company)

    def test_invoice_of_another_company_answers_like_a_missing_one(self):
        invoice_a = self.make_invoice()
        missing = self.api("GET", "/api/invoices/2147483000", token=self.token_b)
        hidden = self.api("GET", f"/api/invoices/{invoice_a.id}", token=self.token_b)
        self.assertEqual(hidden.status_code, 404)
        self.assertEqual(
            {k: v for k, v in hidden.json().items() if k != "error"},
            {k: v for k, v in missing.json().items() if k != "error"},
        )


@tagged("post_install", "-at_install")
class TestBadInput(ApiCommon):
    def test_bad_input_is_a_documented_4xx_and_writes_nothing(self):
        before = self.invoices_count()
        nested = "[" * 5000 + "]" * 5000
        item = {"description": "x", "qty": 1, "rate": 1}
        cases = [
            ("json", self.body(clientnote="a\x00b"), 422, "clientnote"),
            (
                "json",
                self.body(newitems=[{**item, "description": "Host\x00ing"}]),
                422,
                "newitems[0][description]",
            ),
            ("raw", '{"clientid": ' + nested + "}", 422, "body"),
            ("form", {"a" + "[b]" * 50: "1"}, 422, None),
            ("json", self.body(date="9999-12-31", duedate=None), 422, "date"),
            ("json", self.body(date="0001-01-01", duedate=None), 422, "date"),
        ]
        for kind, body, status, field in cases:
            with self.subTest(kind=kind, field=field):
                if kind == "json":
                    response = self.api("POST", "/api/invoices", self.full, json=body)
                elif kind == "raw":
                    response = self.api(
                        "POST",
                        "/api/invoices",
                        self.full,
                        data=body,
                        headers={"Content-Type": "application/json"},
                    )
                else:
                    response = self.api("POST", "/api/invoices", self.full, data=body)
                self.assertApiError(response, status, field)
        for query in ("status=%C2%B2", "date_from=9999-12-31", "status=%00"):
            with self.subTest(query=query):
                self.assertApiError(
                    self.api("GET", f"/api/invoices?{query}", token=self.reader), 422
                )
        self.assertApiError(
            self.api("GET", "/api/invoices/search/IN%00V", token=self.reader),
            422,
            "keyword",
        )
        self.assertEqual(self.invoices_count(), before)

    def test_put_names_fields_it_cannot_change(self):
        invoice = self.make_invoice(post=False)
        for field, reason in (("status", "read-only"), ("colour", "unknown")):
            with self.subTest(field=field):
                payload = self.assertApiError(
                    self.api(
                        "PUT",
                        f"/api/invoices/{invoice.id}",
                        token=self.full,
                        json={"adminnote": "changed", field: 2},
                    ),
                    422,
                    field,
                )
                self.assertIn(reason, payload["error"][field])
        self.assertFalse(invoice.crm_admin_note)
        response = self.api(
            "PUT",
            f"/api/invoices/{invoice.id}",
            token=self.full,
            json={"discount_type": "after_tax", "discount_percent": 10},
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["invoice"]["discount_type"], "after_tax")
        self.assertEqual(invoice.crm_discount_type, "after_tax")


@tagged("post_install", "-at_install")
class TestApiAnswers(ApiCommon):
    def test_legacy_list_is_capped_with_a_link_to_what_follows(self):
        for day in range(1, 4):
            self.make_invoice(partner=self.other_customer, amount=10.0 * day)
        api = self.registry["crm.invoices.api"]
        mine = f"clientid={self.other_customer.id}"
        with patch.object(api, "_crm_legacy_limit", 2):
            response = self.api("GET", f"/api/invoices?{mine}", token=self.reader)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(response.json()), 2)
        self.assertEqual(response.headers["X-Total-Count"], "3")
        link = response.headers["Link"]
        self.assertIn('rel="next"', link)
        following = link[1 : link.index(">")]
        rest = self.api(
            "GET", following.replace(self.base_url(), ""), token=self.reader
        )
        self.assertEqual(len(rest.json()["data"]), 1)
        self.assertFalse(rest.json()["meta"]["has_more"])

    def test_openapi_is_json_for_any_method_and_names_the_configured_server(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "web.base.url", "https://erp.example.com"
        )
        response = self.url_open(
            "/api/openapi.json", headers={"Host": "evil.example.org"}
        )
        self.assertEqual(
            response.json()["servers"], [{"url": "https://erp.example.com"}]
        )
        response = self.url_open("/api/openapi.json", data={"x": "1"})
        self.assertEqual(response.status_code, 405)
        self.assertIs(response.json()["status"], False)

    def test_other_addons_api_paths_keep_odoos_errors(self):
        response = self.url_open("/api/estimates")
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("application/json", response.headers["Content-Type"])
        ours = self.url_open("/api/invoices/abc")
        self.assertEqual(ours.status_code, 404)
        self.assertIs(ours.json()["status"], False)

    def test_serializer_seam_adds_keys_and_documents_them(self):
        """Another addon adds an invoice key through two methods, nothing else."""
        api = self.registry["crm.invoices.api"]
        original_serialize = api._serialize
        original_properties = api._openapi_invoice_properties

        def serialize(self, invoices, detail=False, shape="perfex"):
            rows = original_serialize(self, invoices, detail, shape)
            for row in rows:
                row["efactura_state"] = "to_send"
            return rows

        def properties(self):
            return {**original_properties(self), "efactura_state": {"type": "string"}}

        invoice = self.make_invoice()
        with (
            patch.object(api, "_serialize", serialize),
            patch.object(api, "_openapi_invoice_properties", properties),
        ):
            one = self.api("GET", f"/api/invoices/{invoice.id}", token=self.reader)
            listed = self.api("GET", "/api/invoices?per_page=1", token=self.reader)
            legacy = self.api("GET", "/api/invoices", token=self.reader)
            document = self.url_open("/api/openapi.json").json()
        self.assertEqual(one.json()["efactura_state"], "to_send")
        self.assertEqual(listed.json()["data"][0]["efactura_state"], "to_send")
        self.assertEqual(legacy.json()[0]["efactura_state"], "to_send")
        self.assertIn(
            "efactura_state",
            document["components"]["schemas"]["InvoiceSummary"]["properties"],
        )

    def test_every_page_carries_perfex_v3_meta(self):
        self.make_invoice()
        self.make_invoice()
        api = self.env["crm.invoices.api"].with_user(self.clerk)
        total = api._invoices().search_count(api._base_domain())
        keys = set(api_payload.PAGE_META_KEYS)
        for query, page in (
            ("per_page=1", 1),
            ("page=2&per_page=1", 2),
            ("page=2&limit=1", 2),  # v3: limit is per_page when a page is sent
            (f"page={total + 5}&per_page=1", total + 5),  # past the end
        ):
            with self.subTest(query=query):
                meta = self.api(
                    "GET", f"/api/invoices?{query}", token=self.reader
                ).json()["meta"]
                self.assertEqual(set(meta), keys)
                self.assertEqual((meta["total"], meta["per_page"]), (total, 1))
                self.assertEqual(
                    (meta["total_pages"], meta["last_page"]), (total, total)
                )
                self.assertEqual((meta["page"], meta["current_page"]), (page, page))
                self.assertEqual(meta["has_more"], page < total)

    def test_legacy_rows_carry_perfex_list_keys_and_a_bare_limit_caps_them(self):
        invoice = self.make_invoice(amount=500.0)
        self.make_invoice(amount=50.0)
        self.pay(invoice, 200.0)
        rows = self.api("GET", "/api/invoices", token=self.reader).json()
        [row] = [row for row in rows if row["id"] == str(invoice.id)]
        currency = invoice.currency_id
        self.assertEqual(row["total_left_to_pay"], "300.00")
        self.assertEqual(
            (row["name"], row["currency_name"], row["symbol"]),
            (currency.name, currency.name, currency.symbol),
        )
        self.assertEqual(row["isdefault"], "1")
        for key in ("decimal_separator", "thousand_separator", "placement"):
            self.assertIn(key, row)
        capped = self.api("GET", "/api/invoices?limit=1", token=self.reader)
        self.assertEqual(len(capped.json()), 1)
        self.assertEqual(capped.headers["X-Total-Count"], str(len(rows)))
        self.assertIn("per_page=1", capped.headers["Link"])

    def test_window_rule_in_sql_agrees_with_python(self):
        now = 1_000_000.0
        for start in (None, now - 120, now - 60, now - 59.5, now, now + 5, now + 60):
            with self.subTest(start=start):
                [(in_sql,)] = self.env.execute_query(
                    SQL(
                        "SELECT %s FROM (SELECT %s::float AS start) AS t",
                        SQL(api_token.window_restarts_sql("start"), now=now),
                        start,
                    )
                )
                self.assertEqual(in_sql, api_token.window_restarts(now, start))

    def test_a_request_retried_by_odoo_is_counted_once(self):
        """Odoo re-runs authentication when it retries a request after a
        serialization failure: the count is kept on the client request."""
        token = self.env["crm.invoices.api.token"].search([("name", "=", "reader")])
        before = token.request_count
        environ = {}
        http = self.env["ir.http"]
        fake_request = type(
            "Request",
            (),
            {
                "httprequest": type(
                    "HttpRequest",
                    (),
                    {"environ": environ, "headers": {"authtoken": self.reader}},
                )(),
                "env": self.env,
                "update_env": lambda *a, **k: None,
            },
        )()
        with patch("odoo.addons.crm_invoices.models.ir_http.request", fake_request):
            type(http)._auth_method_crm_invoices_token()
            type(http)._auth_method_crm_invoices_token()  # Odoo's retry
        from ..models.ir_http import AUTH_ENVIRON_KEY  # noqa: PLC0415

        self.assertIn(AUTH_ENVIRON_KEY, environ)
        token.invalidate_recordset()
        self.assertEqual(token.request_count, before + 1)

    def test_burst_over_the_limit_is_429_not_500(self):
        limited = self.make_token("burst", self.clerk, read=True, rate_limit=3)
        statuses = [
            self.api("GET", "/api/invoices?per_page=1", token=limited).status_code
            for _i in range(6)
        ]
        self.assertEqual(statuses, [200, 200, 200, 429, 429, 429])
