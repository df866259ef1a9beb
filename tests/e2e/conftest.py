import os

import pytest
from client import InvoicesClient


def _setting(name):
    value = os.environ.get(name)
    if not value:
        pytest.skip(f"{name} is not set: the end-to-end tests need a live server")
    return value


@pytest.fixture(scope="session")
def base_url():
    return _setting("CRM_API_URL")


@pytest.fixture(scope="session")
def token():
    return _setting("CRM_API_TOKEN")


@pytest.fixture(scope="session")
def read_token():
    return _setting("CRM_API_READ_TOKEN")


@pytest.fixture(scope="session")
def limited_token():
    return _setting("CRM_API_LIMITED_TOKEN")


@pytest.fixture(scope="session")
def clientid():
    return int(_setting("CRM_API_CLIENTID"))


@pytest.fixture(scope="session")
def tax():
    return os.environ.get("CRM_API_TAX", "")


@pytest.fixture(scope="session")
def client(base_url, token):
    return InvoicesClient(base_url, token)
