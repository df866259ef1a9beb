import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import html2plaintext

from ..lib import webhook_events
from ..lib.api_fields import ODOO_FIELDS
from .common import CrmInvoicesCommon, days_from_today, iso_days_from_today


class ApiCommon(CrmInvoicesCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.setup_other_company(name="Company B")["company"]
        cls.clerk = cls.make_ar_user("api_clerk")
        cls.clerk_b = cls.make_ar_user("api_clerk_b", company=cls.company_b)
        cls.tva = cls.env["account.tax"].create(
            {
                "name": "TVA",
                "amount": 19.0,
                "type_tax_use": "sale",
                "amount_type": "percent",
            }
        )
        cls.full = cls.make_token(
            "full", cls.clerk, read=True, create=True, update=True, delete=True
        )
        cls.reader = cls.make_token("reader", cls.clerk, read=True)
        cls.token_b = cls.make_token(
            "b", cls.clerk_b, read=True, create=True, update=True, delete=True
        )

    @classmethod
    def make_token(
        cls, name, user, read=False, create=False, update=False, delete=False, **values
    ):
        token = cls.env["crm.invoices.api.token"].create(
            {
                "name": name,
                "user_id": user.id,
                "company_id": user.company_id.id,
                "scope_read": read,
                "scope_create": create,
                "scope_update": update,
                "scope_delete": delete,
                **values,
            }
        )
        value = token.action_generate()["context"]["default_token"]
        return value

    @property
    def in_a_month(self):
        return fields.Date.today() + timedelta(days=30)

    def api(
        self, method, path, token=None, json=None, data=None, files=None, headers=None
    ):
        headers = dict(headers or {})
        if token:
            headers["authtoken"] = token
        return self.opener.request(
            method,
            self.base_url() + path,
            json=json,
            data=data,
            files=files,
            headers=headers,
            timeout=60,
        )

    def body(self, **changes):
        values = {
            "clientid": self.customer.id,
            # issued a month ago, due in a month: unpaid on any day
            "date": iso_days_from_today(-32),
            "duedate": iso_days_from_today(28),
            "newitems": [
                {
                    "description": "Hosting",
                    "long_description": "November",
                    "qty": 2,
                    "rate": "50.00",
                    "taxname": ["TVA|19.00"],
                },
                {"description": "Setup", "qty": 1, "rate": 100},
            ],
        }
        values.update(changes)
        return values

    def assertApiError(self, response, status, field=None):
        self.assertEqual(response.status_code, status, response.text)
        self.assertEqual(
            response.headers["Content-Type"].split(";")[0], "application/json"
        )
        payload = response.json()
        self.assertIs(payload["status"], False)
        self.assertTrue(payload["message"])
        if field:
            self.assertIn(field, payload["error"], payload)
        return payload

    def invoices_count(self):
        return self.env["account.move"].search_count(
            [("move_type", "=", "out_invoice")]
        )


@tagged("post_install", "-at_install")
class TestApiTokens(ApiCommon):
    def test_token_is_shown_once_and_only_its_digest_is_stored(self):
        token = self.env["crm.invoices.api.token"].create(
            {"name": "once", "user_id": self.clerk.id}
        )
        value = token.action_generate()["context"]["default_token"]
        self.assertGreaterEqual(len(value), 43)
        with self.assertRaisesRegex(UserError, "cannot be shown again"):
            token.action_generate()
        self.cr.execute(
            "SELECT * FROM crm_invoices_api_token WHERE id = %s", [token.id]
        )
        self.assertNotIn(value, repr(self.cr.fetchall()))
        self.assertEqual(token.state, "active")
        self.assertTrue(value.startswith(token.token_hint[:-1]))

    def test_missing_invalid_revoked_expired_tokens(self):
        self.assertApiError(self.api("GET", "/api/invoices"), 401, "authtoken")
        self.assertApiError(self.api("GET", "/api/invoices", token="crmi_nope"), 401)
        revoked = self.make_token("revoked", self.clerk, read=True)
        self.assertEqual(
            self.api("GET", "/api/invoices?per_page=1", token=revoked).status_code, 200
        )
        self.env["crm.invoices.api.token"].search(
            [("name", "=", "revoked")]
        ).action_revoke()
        payload = self.assertApiError(
            self.api("GET", "/api/invoices", token=revoked), 401
        )
        self.assertEqual(payload["message"], "Token revoked")
        expired = self.make_token(
            "expired",
            self.clerk,
            read=True,
            expiry_date=fields.Datetime.now() - timedelta(minutes=1),
        )
        payload = self.assertApiError(
            self.api("GET", "/api/invoices", token=expired), 401
        )
        self.assertEqual(payload["message"], "Token expired")

    def test_bearer_header_is_accepted(self):
        response = self.api(
            "GET",
            "/api/invoices?per_page=1",
            headers={"Authorization": f"Bearer {self.full}"},
        )
        self.assertEqual(response.status_code, 200)

    def test_usage_is_counted(self):
        token = self.env["crm.invoices.api.token"].search([("name", "=", "reader")])
        before = token.request_count
        self.api("GET", "/api/invoices?per_page=1", token=self.reader)
        self.api("GET", "/api/invoices?per_page=2", token=self.reader)
        token.invalidate_recordset()
        self.assertEqual(token.request_count, before + 2)
        self.assertTrue(token.last_used)

    def test_rate_limit(self):
        limited = self.make_token("limited", self.clerk, read=True, rate_limit=2)
        for _i in range(2):
            self.assertEqual(
                self.api("GET", "/api/invoices?per_page=1", token=limited).status_code,
                200,
            )
        response = self.api("GET", "/api/invoices?per_page=1", token=limited)
        self.assertApiError(response, 429, "rate_limit")
        self.assertGreaterEqual(int(response.headers["Retry-After"]), 1)

    def test_scopes(self):
        self.assertApiError(
            self.api("POST", "/api/invoices", token=self.reader, json=self.body()),
            403,
            "scope",
        )
        invoice = self.make_invoice(post=False)
        self.assertApiError(
            self.api(
                "PUT",
                f"/api/invoices/{invoice.id}",
                token=self.reader,
                json={"adminnote": "x"},
            ),
            403,
            "scope",
        )
        self.assertApiError(
            self.api("DELETE", f"/api/delete/invoices/{invoice.id}", token=self.reader),
            403,
        )
        self.assertTrue(invoice.exists())
        self.assertEqual(invoice.crm_admin_note, False)

    def test_admin_address_redirects_to_api_management(self):
        self.authenticate("admin", "admin")
        response = self.url_open("/admin/api/api_management", allow_redirects=False)
        self.assertTrue(
            response.headers["Location"].endswith("/odoo/crm-invoices-api-tokens")
        )


@tagged("post_install", "-at_install")
class TestApiInvoices(ApiCommon):
    def test_create_from_json(self):
        count = self.invoices_count()
        response = self.api(
            "POST",
            "/api/invoices",
            token=self.full,
            json=self.body(
                subtotal="200.00",
                total="219.00",
                clientnote="Thank you",
                adminnote="VIP",
                cancel_overdue_reminders=1,
            ),
        )
        self.assertEqual(response.status_code, 200, response.text)
        payload = response.json()
        self.assertEqual(payload["message"], "Invoice Added Successfully")
        invoice = self.env["account.move"].browse(payload["id"])
        self.assertEqual(self.invoices_count(), count + 1)
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.create_uid, self.clerk, "acts as the token's user")
        self.assertEqual(invoice.amount_total, 219.0)
        self.assertEqual(invoice.crm_client_note, "Thank you")
        self.assertTrue(invoice.crm_no_reminders)
        self.assertEqual(payload["record_id"], invoice.id)  # Perfex v3
        data = payload["invoice"]
        self.assertEqual((data["status"], data["odoo"]["status_name"]), ("1", "Unpaid"))
        self.assertEqual(data["total"], "219.00")
        self.assertEqual(data["prefix"] + data["number"].zfill(5), invoice.name)
        self.assertEqual(data["items"][0]["taxname"], ["TVA|19.00"])
        self.assertEqual(data["items"][0]["long_description"], "November")

    def test_create_from_perfex_form_data(self):
        form = {
            "clientid": str(self.customer.id),
            "number": "42",
            "date": iso_days_from_today(-32),
            "currency": self.env.company.currency_id.name,
            "newitems[0][description]": "Consulting",
            "newitems[0][qty]": "3",
            "newitems[0][rate]": "100",
            "newitems[0][taxname][]": "TVA|19.00",
            "billing_street": "Strada Memorandumului 28",
            "billing_city": "Cluj-Napoca",
            "billing_country": "RO",
            "save_as_draft": "1",
        }
        for number, encoded in (
            ("42", {"data": form}),
            ("43", {"files": {k: (None, v) for k, v in form.items()}}),
        ):
            form["number"] = number
            encoded = {
                kind: (
                    {k: (None, v) for k, v in form.items()} if kind == "files" else form
                )
                for kind in encoded
            }
            response = self.api("POST", "/api/invoices", token=self.full, **encoded)
            self.assertEqual(response.status_code, 200, response.text)
            invoice = self.env["account.move"].browse(response.json()["id"])
            self.assertEqual(invoice.state, "draft")
            self.assertEqual(response.json()["invoice"]["status"], "6")
            self.assertEqual(invoice.amount_total, 357.0)
            self.assertEqual(invoice.partner_id.street, "Strada Memorandumului 28")
            self.assertEqual(invoice.partner_id.country_id.code, "RO")
            self.assertEqual(invoice.commercial_partner_id, self.customer)
            self.assertEqual(invoice.crm_client_number, number)

    def test_validation_errors_write_nothing(self):
        count = self.invoices_count()
        cases = [
            (self.body(clientid=99999999), "clientid"),
            (self.body(date="2026/11/02"), "date"),
            (self.body(currency="XXX"), "currency"),
            (
                self.body(newitems=[{"description": "A", "qty": -2, "rate": 5}]),
                "newitems[0][qty]",
            ),
            (
                self.body(
                    newitems=[
                        {
                            "description": "A",
                            "qty": 1,
                            "rate": 5,
                            "taxname": ["VAT|7.77"],
                        }
                    ]
                ),
                "newitems[0][taxname]",
            ),
            (self.body(sale_agent=99999999), "sale_agent"),
        ]
        for body, field in cases:
            with self.subTest(field=field):
                self.assertApiError(
                    self.api("POST", "/api/invoices", token=self.full, json=body),
                    422,
                    field,
                )
        self.assertEqual(self.invoices_count(), count)

    def test_total_mismatch_names_both_values(self):
        self.env.company.crm_api_totals = "refuse"
        response = self.api(
            "POST",
            "/api/invoices",
            token=self.full,
            json=self.body(subtotal="200.00", total="220.00"),
        )
        payload = self.assertApiError(response, 422, "total")
        self.assertIn("220.00", payload["error"]["total"])
        self.assertIn("219.00", payload["error"]["total"])
        self.assertNotIn("subtotal", payload["error"])

    def test_total_mismatch_keeps_odoos_and_warns_by_default(self):
        response = self.api(
            "POST",
            "/api/invoices",
            token=self.full,
            json=self.body(subtotal="236.00", total="236.00"),
        )
        self.assertEqual(response.status_code, 200, response.text)
        answer = response.json()
        self.assertEqual(answer["invoice"]["total"], "219.00")
        self.assertIn("236.00", answer["warnings"]["total"])
        self.assertIn("200.00", answer["warnings"]["subtotal"])

    def test_inactive_currency_is_a_mismatch(self):
        inactive = (
            self.env["res.currency"]
            .with_context(active_test=False)
            .search([("active", "=", False)], limit=1)
        )
        payload = self.assertApiError(
            self.api(
                "POST",
                "/api/invoices",
                token=self.full,
                json=self.body(currency=inactive.name),
            ),
            422,
            "currency",
        )
        self.assertIn("mismatch", payload["error"]["currency"])

    def test_malformed_json_and_too_large_bodies(self):
        response = self.api(
            "POST",
            "/api/invoices",
            token=self.full,
            data=b"{not json",
            headers={"Content-Type": "application/json"},
        )
        self.assertApiError(response, 422, "body")
        response = self.api(
            "POST",
            "/api/invoices",
            token=self.full,
            data=b"x" * (1024 * 1024 + 1),
            headers={"Content-Type": "application/json"},
        )
        self.assertApiError(response, 413, "body")

    def test_idempotent_retry(self):
        count = self.invoices_count()
        key = {"Idempotency-Key": "order-2026-0042"}
        first = self.api(
            "POST", "/api/invoices", token=self.full, json=self.body(), headers=key
        )
        again = self.api(
            "POST", "/api/invoices", token=self.full, json=self.body(), headers=key
        )
        self.assertEqual(first.status_code, 200)
        self.assertEqual(again.json(), first.json())
        self.assertEqual(again.headers.get("Idempotent-Replayed"), "true")
        self.assertEqual(self.invoices_count(), count + 1)
        other = self.api(
            "POST",
            "/api/invoices",
            token=self.full,
            json=self.body(date=iso_days_from_today(-31)),
            headers=key,
        )
        self.assertApiError(other, 422, "Idempotency-Key")
        self.assertEqual(self.invoices_count(), count + 1)

    def test_failed_request_does_not_burn_its_idempotency_key(self):
        self.env.company.crm_api_totals = "refuse"
        key = {"Idempotency-Key": "retry-after-fix"}
        self.assertApiError(
            self.api(
                "POST",
                "/api/invoices",
                token=self.full,
                json=self.body(total="1"),
                headers=key,
            ),
            422,
        )
        response = self.api(
            "POST", "/api/invoices", token=self.full, json=self.body(), headers=key
        )
        self.assertEqual(response.status_code, 200)

    def test_read_one_with_items_and_payments(self):
        invoice = self.make_invoice(amount=500.0, due_date=self.in_a_month)
        self.pay(invoice, 200.0, date(2026, 1, 20))
        response = self.api("GET", f"/api/invoices/{invoice.id}", token=self.reader)
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual(data["status"], "3")
        self.assertEqual(data["total_left_to_pay"], "300.00")
        self.assertEqual(len(data["items"]), 1)
        self.assertEqual(data["payments"][0]["amount"], "200.00")
        self.assertEqual(data["payments"][0]["date"], "2026-01-20")
        self.assertEqual(data["odoo_id"], invoice.id)
        self.assertIn(f"/my/invoices/{invoice.id}", data["portal_url"])

    def test_not_found_and_wrong_method(self):
        self.assertApiError(
            self.api("GET", "/api/invoices/999999", token=self.reader), 404, "id"
        )
        self.assertApiError(
            self.api("GET", "/api/invoices/abc", token=self.reader), 404
        )
        response = self.api("PATCH", "/api/invoices", token=self.full)
        self.assertApiError(response, 405, "method")
        self.assertEqual(response.headers["Allow"], "GET, POST")
        self.assertApiError(
            self.api("GET", "/api/delete/invoices/1", token=self.full), 405
        )

    def test_list_legacy_and_paged(self):
        invoices = [
            self.make_invoice(amount=100.0 * i, invoice_date=date(2026, 1, i))
            for i in range(1, 6)
        ]
        legacy = self.api("GET", "/api/invoices", token=self.reader).json()
        self.assertIsInstance(legacy, list)
        ids = [int(row["id"]) for row in legacy]
        self.assertTrue({inv.id for inv in invoices} <= set(ids))
        self.assertEqual(ids, sorted(ids), "Perfex lists invoices by id")
        self.assertNotIn("items", legacy[0])
        mine = f"clientid={self.customer.id}"
        page = self.api(
            "GET",
            f"/api/invoices?{mine}&page=2&per_page=2&sort=date&count=true",
            token=self.reader,
        ).json()
        self.assertEqual(
            page["meta"],
            {
                "page": 2,
                "per_page": 2,
                "total": 5,
                "total_pages": 3,
                "has_more": True,
                "current_page": 2,
                "last_page": 3,
            },
        )
        self.assertEqual(
            [row["id"] for row in page["data"]], [invoices[2].id, invoices[3].id]
        )
        newest = self.api(
            "GET",
            f"/api/invoices?{mine}&nr_page=1&per_page=1&sort=-total",
            token=self.reader,
        ).json()
        self.assertEqual(newest["data"][0]["id"], invoices[4].id)
        dated = self.api(
            "GET",
            f"/api/invoices?{mine}&date_from=2026-01-02&date_to=2026-01-03",
            token=self.reader,
        ).json()
        self.assertEqual(
            {int(row["id"]) for row in dated}, {invoices[1].id, invoices[2].id}
        )

    def test_list_filters_by_status_code_or_name(self):
        draft = self.make_invoice(post=False, due_date=self.in_a_month)
        posted = self.make_invoice(due_date=self.in_a_month)
        mine = f"clientid={self.customer.id}"
        drafts = self.api(
            "GET", f"/api/invoices?{mine}&status=6", token=self.reader
        ).json()
        self.assertEqual([int(row["id"]) for row in drafts], [draft.id])
        unpaid = self.api(
            "GET", f"/api/invoices?{mine}&status=unpaid", token=self.reader
        ).json()
        self.assertIn(posted.id, [int(row["id"]) for row in unpaid])
        self.assertApiError(
            self.api("GET", "/api/invoices?status=9", token=self.reader), 422, "status"
        )

    def test_list_parameters_out_of_range(self):
        for query, field in (
            ("per_page=0", "per_page"),
            ("per_page=101", "per_page"),
            ("page=-1", "page"),
            ("sort=secret", "sort"),
        ):
            with self.subTest(query=query):
                self.assertApiError(
                    self.api("GET", f"/api/invoices?{query}", token=self.reader),
                    422,
                    field,
                )

    def test_empty_legacy_list_says_no_data(self):
        nobody = self.env["res.partner"].create({"name": "No invoices"})
        payload = self.assertApiError(
            self.api("GET", f"/api/invoices?clientid={nobody.id}", token=self.reader),
            404,
        )
        self.assertEqual(payload["message"], "No data were found")
        paged = self.api(
            "GET", f"/api/invoices?clientid={nobody.id}&per_page=5", token=self.reader
        ).json()
        self.assertEqual(paged["data"], [])

    def test_search(self):
        invoice = self.make_invoice()
        invoice.ref = "PO-7781"
        number = invoice.sequence_number
        for keyword in (
            invoice.name,
            str(number),
            str(number).zfill(6),
            f"INV-{str(number).zfill(6)}",
            "PO-7781",
            "Carpați",
        ):
            with self.subTest(keyword=keyword):
                response = self.api(
                    "GET", f"/api/invoices/search/{keyword}", token=self.reader
                )
                self.assertEqual(response.status_code, 200, response.text)
                self.assertIn(
                    str(invoice.id), [row["invoiceid"] for row in response.json()]
                )
        payload = self.assertApiError(
            self.api("GET", "/api/invoices/search/zzz-nothing", token=self.reader), 404
        )
        self.assertEqual(payload["message"], "No data were found")

    def test_update_draft_lines_and_header(self):
        response = self.api(
            "POST", "/api/invoices", token=self.full, json=self.body(save_as_draft=1)
        )
        invoice = self.env["account.move"].browse(response.json()["id"])
        hosting, setup = invoice.invoice_line_ids.sorted("sequence")
        response = self.api(
            "PUT",
            f"/api/invoices/{invoice.id}",
            token=self.full,
            data={
                f"items[{hosting.id}][qty]": "3",
                "removed_items[]": str(setup.id),
                "newitems[0][description]": "Support",
                "newitems[0][qty]": "1",
                "newitems[0][rate]": "10",
                "duedate": iso_days_from_today(46),
                "adminnote": "checked",
            },
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["message"], "Invoice Updated Successfully")
        lines = invoice.invoice_line_ids
        self.assertEqual(sorted(lines.mapped("name")), ["Hosting\nNovember", "Support"])
        self.assertEqual(hosting.quantity, 3)
        self.assertEqual(invoice.invoice_date_due, days_from_today(46))
        self.assertEqual(invoice.crm_admin_note, "checked")
        self.assertApiError(
            self.api(
                "PUT",
                f"/api/invoices/{invoice.id}",
                token=self.full,
                json={"items": {"999999": {"qty": 1}}},
            ),
            422,
            "items[999999]",
        )

    def test_every_plain_field_of_the_table_is_written_and_read_back(self):
        """The field table's plain fields: a PUT keeps each in its Odoo field,
        and both answer shapes read it back under its key."""
        sent = {
            "clientnote": "Thank you",
            "adminnote": "call Monday",
            "terms": "30 days",
            "discount_type": "after_tax",
            "cancel_overdue_reminders": 1,
        }
        self.assertEqual(set(sent), set(ODOO_FIELDS))
        invoice = self.make_invoice(due_date=self.in_a_month)
        ok = self.api("PUT", f"/api/invoices/{invoice.id}", token=self.full, json=sent)
        self.assertEqual(ok.status_code, 200, ok.text)
        for key, field in ODOO_FIELDS.items():
            kept = invoice[field]
            if field == "narration":
                kept = html2plaintext(kept)
            self.assertEqual(
                kept, True if key == "cancel_overdue_reminders" else sent[key]
            )
        perfex_row = ok.json()["invoice"]
        page = self.api(
            "GET", "/api/invoices?page=1&per_page=100", token=self.full
        ).json()["data"]
        (typed_row,) = [row for row in page if row["id"] == invoice.id]
        for key, value in sent.items():
            self.assertEqual(perfex_row[key], str(value), key)
            self.assertEqual(typed_row[key], value, key)

    def test_posted_invoice_notes_change_without_reset(self):
        invoice = self.make_invoice(due_date=self.in_a_month)
        ok = self.api(
            "PUT",
            f"/api/invoices/{invoice.id}",
            token=self.full,
            json={"adminnote": "call Monday", "sent": 1},
        )
        self.assertEqual(ok.status_code, 200, ok.text)
        self.assertEqual(ok.json()["action"], "updated")
        self.assertEqual(invoice.crm_admin_note, "call Monday")
        self.assertEqual(invoice.crm_status, "sent")
        self.assertEqual(ok.json()["invoice"]["sent"], "1")
        self.assertEqual(invoice.state, "posted")

    def test_delete_draft_cancel_posted(self):
        draft = self.make_invoice(post=False)
        response = self.api(
            "DELETE", f"/api/delete/invoices/{draft.id}", token=self.full
        )
        self.assertEqual(response.json()["action"], "deleted")
        self.assertFalse(draft.exists())
        posted = self.make_invoice()
        response = self.api("DELETE", f"/api/invoices/{posted.id}", token=self.full)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["action"], "cancelled")
        self.assertEqual(posted.state, "cancel")
        self.assertEqual(response.json()["message"], "Invoice Deleted Successfully")
        # from then on it answers like a deleted invoice
        self.assertApiError(
            self.api("DELETE", f"/api/delete/invoices/{posted.id}", token=self.full),
            404,
        )
        paid = self.make_invoice()
        self.pay(paid)
        self.assertApiError(
            self.api("DELETE", f"/api/delete/invoices/{paid.id}", token=self.full), 409
        )
        self.assertEqual(paid.state, "posted")

    def test_days_overdue_count_in_the_token_users_time_zone(self):
        """The API's "today" is its user's, as in the web client: two users
        14 hours east and 11 hours west of UTC see the same overdue invoice
        overdue by as many more days as their calendars differ."""
        invoice = self.make_invoice(
            invoice_date=days_from_today(-40), due_date=days_from_today(-10)
        )
        invoice._crm_mark_overdue()
        self.assertEqual(invoice.crm_status, "overdue")
        east = self.make_ar_user("api_clerk_east")
        west = self.make_ar_user("api_clerk_west")
        east.tz, west.tz = "Pacific/Kiritimati", "Pacific/Pago_Pago"
        tokens = {
            user: self.make_token(user.login, user, read=True) for user in (east, west)
        }
        self.env.flush_all()  # as before a request
        grant, reason = self.env["crm.invoices.api.token"]._crm_authenticate(
            tokens[east]
        )
        self.assertEqual((grant or {}).get("tz"), "Pacific/Kiritimati", reason)

        def calendars_apart():
            now = datetime.now(UTC)
            return (
                now.astimezone(ZoneInfo(east.tz)).date()
                - now.astimezone(ZoneInfo(west.tz)).date()
            ).days

        before = calendars_apart()
        days = {}
        for user, token in tokens.items():
            response = self.api(
                "GET", "/api/invoices?page=1&per_page=1&sort=-id", token=token
            )
            self.assertEqual(response.status_code, 200, response.text)
            [row] = [row for row in response.json()["data"] if row["id"] == invoice.id]
            days[user] = row["odoo"]["days_overdue"]
        after = calendars_apart()
        self.assertIn(days[east] - days[west], {before, after})
        self.assertGreaterEqual(days[east] - days[west], 1)


@tagged("post_install", "-at_install")
class TestApiIsolation(ApiCommon):
    def test_companies_and_record_rules(self):
        invoice_a = self.make_invoice()
        invoice_b = self.make_invoice(company=self.company_b)
        rows = self.api("GET", "/api/invoices", token=self.token_b).json()
        self.assertEqual(
            {int(row["id"]) for row in rows} & {invoice_a.id, invoice_b.id},
            {invoice_b.id},
        )
        self.assertApiError(
            self.api("GET", f"/api/invoices/{invoice_a.id}", token=self.token_b),
            404,
            "id",
        )
        self.assertApiError(
            self.api(
                "PUT",
                f"/api/invoices/{invoice_a.id}",
                token=self.token_b,
                json={"adminnote": "x"},
            ),
            404,
        )
        self.assertApiError(
            self.api(
                "DELETE", f"/api/delete/invoices/{invoice_a.id}", token=self.token_b
            ),
            404,
        )
        self.assertEqual(invoice_a.state, "posted")
        found = self.api(
            "GET", f"/api/invoices/search/{invoice_a.name}", token=self.token_b
        )
        self.assertNotIn(
            str(invoice_a.id),
            [row["id"] for row in found.json()] if found.status_code == 200 else [],
        )

    def test_customer_of_another_company_is_unknown(self):
        stranger = self.env["res.partner"].create(
            {"name": "Only in B", "company_id": self.company_b.id}
        )
        self.assertApiError(
            self.api(
                "POST",
                "/api/invoices",
                token=self.full,
                json=self.body(clientid=stranger.id),
            ),
            422,
            "clientid",
        )

    def test_list_query_count_does_not_grow_with_page_size(self):
        partners = self.env["res.partner"].create(
            [
                {"name": f"Client {i}", "country_id": self.env.ref("base.ro").id}
                for i in range(12)
            ]
        )
        for index in range(110):
            self.make_invoice(amount=10.0 + index, partner=partners[index % 12])
        self.api("GET", "/api/invoices?per_page=10", token=self.reader)  # warm caches
        counts = {}
        for size in (10, 100):
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            response = self.api(
                "GET", f"/api/invoices?per_page={size}", token=self.reader
            )
            counts[size] = self.cr.sql_log_count - start
            self.assertEqual(len(response.json()["data"]), size)
        self.assertEqual(counts[100], counts[10])
        with self.assertQueryCount(counts[10]):
            self.api("GET", "/api/invoices?per_page=100", token=self.reader)


@tagged("post_install", "-at_install")
class TestOpenApi(HttpCase):
    def test_document_describes_every_endpoint(self):
        response = self.url_open("/api/openapi.json")
        self.assertEqual(response.status_code, 200)
        document = response.json()
        self.assertEqual(document["openapi"], "3.1.0")
        paths = document["paths"]
        self.assertEqual(set(paths["/api/invoices"]), {"get", "post"})
        self.assertEqual(
            set(paths["/api/invoices/{id}"]) - {"parameters"}, {"get", "put", "delete"}
        )
        self.assertIn("/api/invoices/search/{keyword}", paths)
        self.assertIn("delete", paths["/api/delete/invoices/{id}"])
        for path, operations in paths.items():
            for method, operation in operations.items():
                if method == "parameters":
                    continue
                with self.subTest(path=path, method=method):
                    self.assertIn("401", operation["responses"])
                    self.assertIn("429", operation["responses"])
        # every route the addons serve under /api is documented, and only those
        served = {
            re.sub(r"<[^>]+>", "{}", rule.rule).replace("/api/v1/", "/api/")
            for rule in self.env["ir.http"].routing_map().iter_rules()
            if rule.rule.startswith("/api/") and rule.rule != "/api/openapi.json"
        }
        documented = {re.sub(r"\{\w+\}", "{}", path) for path in paths}
        self.assertEqual(served, documented)
        self.assertEqual(
            set(document["webhooks"]),
            set(
                webhook_events.events_of(
                    self.env["crm.invoices.webhook.event"]._crm_catalogue()
                )
            ),
        )
