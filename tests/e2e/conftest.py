import json
import os
import subprocess

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


@pytest.fixture(scope="module")
def odoo_shell():
    """The command of an ``odoo shell`` on the e2e database (bin/test sets it)."""
    command = os.environ.get("CRM_ODOO_SHELL")
    if not command:
        pytest.skip("CRM_ODOO_SHELL is not set: bin/test sets it")
    return json.loads(command)


def shell(command, script):
    """Run ``script`` in ``odoo shell``; return the last JSON line it printed."""
    done = subprocess.run(
        command,
        input=script,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert lines, done.stdout[-2000:] + done.stderr[-3000:]
    return json.loads(lines[-1])
