"""Perfex clients work unchanged: both dialects, Perfex ids, and sound books."""

from datetime import date

from odoo.tests import tagged

from .common import days_from_today, iso_days_from_today
from .test_api import ApiCommon


class PerfexCommon(ApiCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.crm_perfex_id = 7
        cls.usd = cls.env.ref("base.USD")
        cls.eur = cls.env.ref("base.EUR")
        (cls.usd | cls.eur).active = True

    def put(self, invoice, token=None, **kwargs):
        return self.api(
            "PUT", f"/api/invoices/{invoice.id}", token=token or self.full, **kwargs
        )

    def get(self, invoice, query=""):
        return self.api("GET", f"/api/invoices/{invoice.id}{query}", token=self.reader)

    def create_posted(self, **changes):
        response = self.api(
            "POST", "/api/invoices", token=self.full, json=self.body(**changes)
        )
        self.assertEqual(response.status_code, 200, response.text)
        return self.env["account.move"].browse(response.json()["id"])


@tagged("post_install", "-at_install")
class TestEditPolicy(PerfexCommon):
    def test_put_with_the_values_it_has_changes_nothing(self):
        invoice = self.create_posted()
        current = self.get(invoice).json()
        name, total = invoice.name, invoice.amount_total
        messages = len(invoice.message_ids)
        # what Perfex's v2 module sends on every PUT: the whole invoice
        body = {
            key: current[key]
            for key in (
                "clientid",
                "number",
                "date",
                "duedate",
                "currency",
                "billing_street",
                "billing_city",
                "billing_state",
                "billing_zip",
                "subtotal",
                "total",
                "status",
                "hash",
            )
        }
        body["items"] = {
            str(index): {
                "itemid": item["id"],
                "description": item["description"],
                "long_description": item["long_description"],
                "qty": item["qty"],
                "rate": item["rate"],
                "taxname": item["taxname"],
                "order": item["item_order"],
            }
            for index, item in enumerate(current["items"], start=1)
        }
        body["allowed_payment_modes"] = ["1"]
        response = self.put(invoice, json=body)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["action"], "unchanged")
        self.assertEqual((invoice.state, invoice.name), ("posted", name))
        self.assertEqual(invoice.amount_total, total)
        self.assertEqual(len(invoice.message_ids), messages)

    def test_real_change_resets_changes_and_posts_again_under_the_same_number(self):
        invoice = self.create_posted()
        name = invoice.name
        hosting = invoice.invoice_line_ids.sorted("sequence")[0]
        response = self.put(
            invoice,
            json={
                "items": [{"itemid": hosting.id, "qty": 3}],
                "duedate": iso_days_from_today(56),
            },
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["action"], "reposted")
        self.assertEqual((invoice.state, invoice.name), ("posted", name))
        self.assertEqual(hosting.quantity, 3)
        self.assertEqual(invoice.invoice_date_due, days_from_today(56))
        self.assertEqual(invoice.amount_untaxed, 250.0)
        note = invoice.message_ids.filtered(lambda m: "REST API" in (m.body or ""))
        self.assertTrue(note, "the chatter says what happened")

    def test_change_refused_with_the_reason(self):
        paid = self.create_posted()
        self.pay(paid)
        payload = self.assertApiError(
            self.put(paid, json={"duedate": iso_days_from_today(56)}), 409
        )
        self.assertIn("payments", payload["message"])

        locked = self.create_posted(date="2026-01-05", duedate="2026-02-05")
        self.env.company.fiscalyear_lock_date = date(2026, 1, 31)
        payload = self.assertApiError(
            self.put(locked, json={"duedate": "2026-02-20"}), 409
        )
        self.assertIn("2026", payload["message"])
        self.env.company.fiscalyear_lock_date = False

        self.env.company.crm_api_repost = False
        blocked = self.create_posted()
        due = blocked.invoice_date_due
        payload = self.assertApiError(
            self.put(blocked, json={"duedate": iso_days_from_today(56)}), 409
        )
        self.assertIn("turned off", payload["message"])
        self.assertEqual(blocked.invoice_date_due, due)
        # notes are not accounting: they change without a reset
        ok = self.put(blocked, json={"adminnote": "checked"})
        self.assertEqual(ok.status_code, 200, ok.text)
        self.assertEqual(blocked.state, "posted")

    def test_read_only_field_with_another_value_is_refused(self):
        invoice = self.create_posted()
        payload = self.assertApiError(
            self.put(invoice, json={"status": "2", "adminnote": "x"}), 422, "status"
        )
        self.assertIn("read-only", payload["error"]["status"])
        self.assertFalse(invoice.crm_admin_note)


@tagged("post_install", "-at_install")
class TestTaxesByRate(PerfexCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        tax = cls.env["account.tax"]
        cls.cgst = tax.create({"name": "CGST", "amount": 9.0, "type_tax_use": "sale"})
        cls.sgst = tax.create({"name": "SGST", "amount": 9.0, "type_tax_use": "sale"})
        cls.vat175 = tax.create(
            {"name": "Tax 17.5%", "amount": 17.5, "type_tax_use": "sale"}
        )

    def line_taxes(self, *taxnames):
        item = {"description": "Service", "qty": 1, "rate": 100, "taxname": taxnames}
        response = self.api(
            "POST",
            "/api/invoices",
            token=self.full,
            json=self.body(newitems=[item], save_as_draft=1),
        )
        return response

    def test_rate_decides_and_the_name_tells_apart(self):
        response = self.line_taxes("CGST|9.00", "SGST|9.00")
        self.assertEqual(response.status_code, 200, response.text)
        invoice = self.env["account.move"].browse(response.json()["id"])
        self.assertEqual(invoice.invoice_line_ids.tax_ids, self.cgst | self.sgst)
        self.assertEqual(invoice.amount_total, 118.0)
        # one tax of that rate: its name does not matter ("VAT " has a space)
        response = self.line_taxes("VAT |17.50")
        invoice = self.env["account.move"].browse(response.json()["id"])
        self.assertEqual(invoice.invoice_line_ids.tax_ids, self.vat175)

    def test_empty_taxname_means_no_tax(self):
        response = self.line_taxes("")
        self.assertEqual(response.status_code, 200, response.text)
        invoice = self.env["account.move"].browse(response.json()["id"])
        self.assertFalse(invoice.invoice_line_ids.tax_ids)

    def test_unknown_rate_is_422_unless_mapped(self):
        payload = self.assertApiError(
            self.line_taxes("OLDVAT|24.00"), 422, "newitems[0][taxname]"
        )
        self.assertIn("OLDVAT|24.00", payload["error"]["newitems[0][taxname]"])
        self.env["crm.invoices.api.tax.map"].create(
            {"name": "oldvat", "tax_id": self.tva.id}
        )
        response = self.line_taxes("OLDVAT|24.00")
        self.assertEqual(response.status_code, 200, response.text)
        invoice = self.env["account.move"].browse(response.json()["id"])
        self.assertEqual(invoice.invoice_line_ids.tax_ids, self.tva)

    def test_two_names_on_one_tax_are_refused(self):
        self.assertApiError(
            self.line_taxes("VAT|17.5", "GST|17.50"), 422, "newitems[0][taxname]"
        )


@tagged("post_install", "-at_install")
class TestClientNumbers(PerfexCommon):
    def test_number_is_kept_unique_and_found(self):
        invoice = self.create_posted(number="001001")
        self.assertEqual(invoice.crm_client_number, "1001")
        self.assertTrue(invoice.name.startswith("INV/"), "Odoo still numbers it")
        self.assertEqual(self.get(invoice).json()["number"], "1001")
        for again in ("1001", "0001001"):
            with self.subTest(number=again):
                payload = self.assertApiError(
                    self.api(
                        "POST",
                        "/api/invoices",
                        token=self.full,
                        json=self.body(number=again),
                    ),
                    409,
                    "number",
                )
                self.assertEqual(
                    payload["message"], "The Invoice number is already in use"
                )
        found = self.api("GET", "/api/invoices/search/1001", token=self.reader)
        self.assertEqual([row["id"] for row in found.json()], [str(invoice.id)])
        # its own number again on a PUT is fine
        self.assertEqual(
            self.put(invoice, json={"number": "1001"}).json()["action"], "unchanged"
        )


@tagged("post_install", "-at_install")
class TestDeleteSemantics(PerfexCommon):
    def test_cancelled_invoice_answers_like_a_deleted_one(self):
        invoice = self.create_posted(number="500")
        response = self.api("DELETE", f"/api/invoices/{invoice.id}", token=self.full)
        self.assertEqual(response.json()["message"], "Invoice Deleted Successfully")
        self.assertEqual(invoice.state, "cancel", "cancelled, never deleted")
        self.assertApiError(self.get(invoice), 404)
        mine = f"clientid={self.customer.crm_perfex_id}"
        listed = self.api("GET", f"/api/invoices?{mine}", token=self.reader)
        self.assertNotIn(
            str(invoice.id),
            [row["id"] for row in listed.json()] if listed.status_code == 200 else [],
        )
        self.assertEqual(
            self.get(invoice, "?include_cancelled=1").json()["status"], "5"
        )
        cancelled = self.api(
            "GET", f"/api/invoices?{mine}&status=5", token=self.reader
        ).json()
        self.assertIn(str(invoice.id), [row["id"] for row in cancelled])
        # its number is free again, as after a delete in Perfex
        self.assertFalse(invoice.crm_client_number)
        self.assertEqual(self.create_posted(number="500").crm_client_number, "500")


@tagged("post_install", "-at_install")
class TestPerfexIds(PerfexCommon):
    def test_countries_currencies_and_customers_by_perfex_id(self):
        response = self.api(
            "POST",
            "/api/invoices",
            token=self.full,
            data={
                "clientid": "7",  # the customer's Perfex id
                "date": iso_days_from_today(-32),
                "currency": "2",  # Perfex: EUR
                "billing_street": "King Fahd Road 1",
                "billing_country": "194",  # Perfex: Saudi Arabia (Odoo: Seychelles)
                "include_shipping": "on",
                "shipping_street": "Depot 3",
                "shipping_country": "0",  # no country
                "cancel_overdue_reminders": "on",
                "newitems[0][description]": "Hosting",
                "newitems[0][qty]": "1",
                "newitems[0][rate]": "10",
            },
        )
        self.assertEqual(response.status_code, 200, response.text)
        invoice = self.env["account.move"].browse(response.json()["id"])
        self.assertEqual(invoice.commercial_partner_id, self.customer)
        self.assertEqual(invoice.currency_id, self.eur)
        self.assertEqual(invoice.partner_id.country_id, self.env.ref("base.sa"))
        self.assertEqual(invoice.partner_shipping_id.street, "Depot 3")
        self.assertFalse(invoice.partner_shipping_id.country_id)
        self.assertTrue(invoice.crm_no_reminders)
        data = response.json()["invoice"]
        self.assertEqual(
            (data["clientid"], data["currency"], data["billing_country"]),
            ("7", "2", "194"),
        )
        self.assertEqual(data["include_shipping"], "1")

    def test_the_company_itself_is_not_a_customer(self):
        company_partner = self.env.company.partner_id
        payload = self.assertApiError(
            self.api(
                "POST",
                "/api/invoices",
                token=self.full,
                json=self.body(clientid=company_partner.id),
            ),
            422,
            "clientid",
        )
        self.assertIn("not a customer", payload["error"]["clientid"])

    def test_dates_in_the_perfex_format(self):
        self.env.company.crm_api_date_format = "d/m/Y"
        day = days_from_today(-32)
        invoice = self.create_posted(
            date=day.strftime("%d/%m/%Y"), duedate=iso_days_from_today(28)
        )
        self.assertEqual(invoice.invoice_date, day)


@tagged("post_install", "-at_install")
class TestV3Shapes(PerfexCommon):
    def test_items_on_create_search_q_fields_and_sort(self):
        response = self.api(
            "POST",
            "/api/invoices",
            token=self.full,
            data={
                "clientid": "7",
                "date": "2026-01-15",
                "duedate": "2026-02-15",
                "currency": "1",
                "items[0][description]": "Consulting services",
                "items[0][qty]": "10",
                "items[0][rate]": "150",
            },
        )
        self.assertEqual(response.status_code, 200, response.text)
        answer = response.json()
        invoice = self.env["account.move"].browse(answer["record_id"])
        self.assertEqual(invoice.amount_total, 1500.0)
        self.assertEqual(invoice.currency_id, self.usd)
        found = self.api(
            "GET", f"/api/invoices/search?q={invoice.name}", token=self.reader
        )
        self.assertEqual(found.json()[0]["invoiceid"], str(invoice.id))
        narrow = self.api(
            "GET", f"/api/invoices/{invoice.id}?fields=id,total", token=self.reader
        ).json()
        self.assertEqual(narrow, {"id": str(invoice.id), "total": "1500.00"})
        newest = self.api(
            "GET", "/api/invoices?per_page=1&sort=-datecreated", token=self.reader
        ).json()
        self.assertEqual(newest["data"][0]["id"], invoice.id)
        self.assertEqual(newest["meta"]["current_page"], 1)

    def test_itemid_names_the_line_to_change(self):
        invoice = self.create_posted(save_as_draft=1)
        setup = invoice.invoice_line_ids.sorted("sequence")[1]
        response = self.put(
            invoice,
            json={"items": {"1": {"itemid": str(setup.id), "rate": "120.00"}}},
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(setup.price_unit, 120.0)
        self.assertEqual(len(invoice.invoice_line_ids), 2)


@tagged("post_install", "-at_install")
class TestPublicLink(PerfexCommon):
    def test_hash_opens_the_customer_page(self):
        invoice = self.create_posted()
        data = self.get(invoice).json()
        self.assertEqual(len(data["hash"]), 32)
        response = self.url_open(
            f"/invoice/{invoice.id}/{data['hash']}", allow_redirects=False
        )
        self.assertEqual(response.status_code, 303)
        self.assertIn(f"/my/invoices/{invoice.id}", response.headers["Location"])
        self.assertIn("access_token=", response.headers["Location"])
        wrong = self.url_open(f"/invoice/{invoice.id}/{'0' * 32}")
        self.assertEqual(wrong.status_code, 404)


@tagged("post_install", "-at_install")
class TestPerfexContract(PerfexCommon):
    """Every key of Perfex's documented invoice answers is there, with strings
    where Perfex has strings (the module's docblock samples)."""

    INVOICE = (
        "id sent datesend clientid deleted_customer_name number prefix number_format "
        "datecreated date duedate currency subtotal total_tax total adjustment "
        "addedfrom hash status clientnote adminnote last_overdue_reminder "
        "cancel_overdue_reminders allowed_payment_modes token discount_percent "
        "discount_total discount_type recurring recurring_type custom_recurring "
        "cycles total_cycles is_recurring_from last_recurring_date terms sale_agent "
        "billing_street billing_city billing_state billing_zip billing_country "
        "shipping_street shipping_city shipping_state shipping_zip shipping_country "
        "include_shipping show_shipping_on_invoice show_quantity_as project_id "
        "subscription_id"
    ).split()
    ONE = (
        "symbol name decimal_separator thousand_separator placement isdefault "
        "currencyid currency_name total_left_to_pay items attachments "
        "visible_attachments_to_customer_found client payments scheduled_email"
    ).split()
    ITEM = "id rel_id rel_type description long_description qty rate unit item_order"
    CLIENT = (
        "userid company vat phonenumber country city zip state address website "
        "datecreated active leadid billing_street billing_city billing_state "
        "billing_zip billing_country shipping_street shipping_city shipping_state "
        "shipping_zip shipping_country longitude latitude default_language "
        "default_currency show_primary_contact stripe_id registration_confirmed "
        "addedfrom"
    ).split()
    SEARCH_EXTRA = (
        "userid company vat phonenumber country city zip state address website "
        "active leadid longitude latitude default_language default_currency "
        "show_primary_contact stripe_id registration_confirmed invoiceid"
    ).split()
    STRINGS = (
        "id sent clientid number currency subtotal total_tax total status "
        "cancel_overdue_reminders discount_percent sale_agent"
    ).split()

    def test_answers_have_every_documented_key(self):
        invoice = self.create_posted(number="77")
        self.pay(invoice, 10.0)
        one = self.get(invoice).json()
        self.assertFalse(set(self.INVOICE + self.ONE) - set(one))
        self.assertFalse(set(self.ITEM.split()) - set(one["items"][0]))
        self.assertFalse(set(self.CLIENT) - set(one["client"]))
        for key in self.STRINGS:
            with self.subTest(key=key):
                self.assertIsInstance(one[key], str)
        self.assertEqual(one["items"][0]["qty"], "2.00")
        self.assertEqual(one["payments"][0]["amount"], "10.00")
        listed = self.api(
            "GET", f"/api/invoices?clientid={self.customer.crm_perfex_id}", self.reader
        ).json()
        self.assertFalse(set(self.INVOICE) - set(listed[0]))
        found = self.api("GET", "/api/invoices/search/77", token=self.reader).json()
        self.assertFalse(set(self.INVOICE + self.SEARCH_EXTRA) - set(found[0]))

    def test_adjustment_and_discount_as_perfex_computes_them(self):
        body = self.body(
            newitems=[{"description": "Service", "qty": 1, "rate": "10.00"}],
            discount_percent="10",
            adjustment="1",
            subtotal="10.00",
            total="10.00",
        )
        response = self.api("POST", "/api/invoices", token=self.full, json=body)
        self.assertEqual(response.status_code, 200, response.text)
        data = response.json()["invoice"]
        self.assertEqual(
            (data["subtotal"], data["discount_total"], data["adjustment"]),
            ("10.00", "1.00", "1.00"),
        )
        self.assertEqual(data["total"], "10.00")
        self.assertEqual(len(data["items"]), 1, "the adjustment is not an item")
        invoice = self.env["account.move"].browse(response.json()["id"])
        adjustment = invoice.invoice_line_ids.filtered("crm_is_adjustment")
        self.assertEqual((adjustment.price_unit, adjustment.tax_ids.ids), (1.0, []))
        self.assertEqual(invoice.amount_total, 10.0)
        # the adjustment goes away with 0
        self.put(invoice, json={"adjustment": "0", "total": "9.00"})
        self.assertFalse(invoice.invoice_line_ids.filtered("crm_is_adjustment"))
        self.assertEqual(invoice.amount_total, 9.0)
