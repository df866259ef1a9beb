"""A small client of the invoices API, written from its documentation only."""

import datetime

import requests


class ApiError(Exception):
    def __init__(self, response):
        body = response.json()
        super().__init__(f"{response.status_code}: {body.get('message')}")
        self.status = response.status_code
        self.body = body


class InvoicesClient:
    def __init__(self, base_url, token, timeout=30):
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()
        self.session.headers["authtoken"] = token
        self.timeout = timeout

    def _call(self, method, path, **kwargs):
        response = self.session.request(
            method, self.base_url + path, timeout=self.timeout, **kwargs
        )
        if response.status_code >= 400:
            raise ApiError(response)
        return response.json()

    def create(self, invoice, idempotency_key=None, form=False):
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        if form:
            return self._call("POST", "/api/invoices", data=invoice, headers=headers)
        return self._call("POST", "/api/invoices", json=invoice, headers=headers)

    def list(self, **params):
        return self._call("GET", "/api/invoices", params=params)

    def pages(self, per_page=25, **params):
        page = 1
        while True:
            result = self.list(page=page, per_page=per_page, **params)
            yield from result["data"]
            if not result["meta"]["has_more"]:
                return
            page += 1

    def get(self, invoice_id):
        return self._call("GET", f"/api/invoices/{invoice_id}")

    def search(self, keyword):
        return self._call("GET", f"/api/invoices/search/{keyword}")

    def update(self, invoice_id, changes):
        return self._call("PUT", f"/api/invoices/{invoice_id}", json=changes)

    def delete(self, invoice_id):
        return self._call("DELETE", f"/api/delete/invoices/{invoice_id}")


def days_from_today(days):
    """An ISO date relative to today: what a test asserts holds on any day."""
    return (datetime.date.today() + datetime.timedelta(days=days)).isoformat()
