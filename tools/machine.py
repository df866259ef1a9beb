"""What ``bin/test`` and ``bin/serve`` need from the machine, each fact found
once: Odoo (:mod:`odoo_env`), PostgreSQL, the cached Python packages and OCA
addons, the PDF tool, the browser, ANAF's validation files, free ports, the
addons path.  Standard library only: it runs before anything is installed.
"""

import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import odoo_env

ROOT = Path(__file__).resolve().parent.parent
#: What the unit and end-to-end tests import (tests/requirements.txt).
REQUIREMENTS_IMPORT = (
    "import pytest, hypothesis, polib, requests, schemathesis, qrcode, png, PIL, "
    "zxingcpp, lxml, saxonche, holidays, stdnum, phonenumbers, schwifty"
)
#: Odoo modules installed with ours in the served database (bin/serve, docker
#: compose) and the end-to-end one, never dependencies of ours: the demo
#: provider takes payments on the demo pay links.
DEMO_MODULES = ("payment_demo",)
#: The role our PostgreSQL clusters create for Odoo.
PG_ROLE = "crm_invoices"


def say(*parts):
    print(*parts, flush=True)


def usage(command):
    """The usage comment at the top of ``bin/<command>``: its help."""
    comment = []
    for line in (ROOT / "bin" / command).read_text().splitlines()[1:]:
        if not line.startswith("#"):
            break
        comment.append(line[2:] if line.startswith("# ") else line[1:])
    return "\n".join(comment)


def cache_root():
    """``$XDG_CACHE_HOME/crm-invoices`` (``~/.cache`` by default)."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "crm-invoices"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def is_root():
    return os.geteuid() == 0


def apt_install(*packages):
    """Install Debian ``packages`` (as root with apt-get); whether it worked."""
    if not (is_root() and shutil.which("apt-get")):
        return False
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install = ["apt-get", "install", "-y", "-q", *packages]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    if subprocess.run(install, env=env, check=False, **quiet).returncode == 0:
        return True
    subprocess.run(["apt-get", "update", "-q"], env=env, check=False, **quiet)
    return subprocess.run(install, env=env, check=False, **quiet).returncode == 0


# ---------------------------------------------------------------- the addons


def installable_addons():
    """This repository's installable addons, ``crm_invoices`` first."""
    import ast  # noqa: PLC0415

    addons = []
    for manifest in sorted(ROOT.glob("*/__manifest__.py")):
        if ast.literal_eval(manifest.read_text()).get("installable", True):
            addons.append(manifest.parent.name)
    return sorted(addons, key=lambda name: (name != "crm_invoices", name))


def addons_path(odoo, oca_addons=None):
    """The user's extra folders (``ODOO_ADDONS_PATH``), a git checkout's
    addons, this repository, OCA's addons."""
    parts = [
        os.environ.get("ODOO_ADDONS_PATH"),
        odoo.addons if odoo else None,
        str(ROOT),
        str(oca_addons) if oca_addons else None,
    ]
    return ",".join(part for part in parts if part)


def efactura_artifacts():
    """ANAF's official e-Factura validation files (third-party data, never in
    this repository): ``CRM_EFACTURA_ARTIFACTS``, else ``../shared/efactura``
    next to this checkout, else next to the repository it was cloned from.
    Exported for the tests (empty when none is found: the e-Factura tests
    then fail and say so); ``None`` when none is found."""
    candidates = [
        os.environ.get("CRM_EFACTURA_ARTIFACTS"),
        str(ROOT / ".." / "shared" / "efactura"),
    ]
    origin = subprocess.run(
        ["git", "-C", str(ROOT), "config", "--get", "remote.origin.url"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    if origin and "://" not in origin:
        candidates.append(str(Path(origin) / ".." / "shared" / "efactura"))
    for candidate in candidates:
        if candidate and (Path(candidate) / "ubl-2.1").is_dir():
            found = str(Path(candidate).resolve())
            os.environ["CRM_EFACTURA_ARTIFACTS"] = found
            return found
    os.environ["CRM_EFACTURA_ARTIFACTS"] = ""
    return None


# ---------------------------------------------------------------- Odoo


def locate_odoo():
    """``(Odoo, None)``, or ``(None, the one line that says why not)``."""
    try:
        return odoo_env.locate(), None
    except odoo_env.NoOdoo as error:
        message = str(error)
        if odoo_env.FIX_HINT not in message:
            message = f"{message}; {odoo_env.FIX_HINT}"
        return None, message


def pip_target(name, python, requirements):
    """The cache folder holding ``requirements`` installed with ``pip install
    --no-deps --target`` by ``python`` (their dependencies are Odoo's own,
    never shadowed), installed once per content and Python: into a temporary
    folder first, kept by whichever concurrent run finishes first.

    :return: the folder, or ``None`` when pip failed
    """
    digest = hashlib.sha256()
    for requirement in requirements:
        if Path(requirement).exists():
            digest.update(Path(requirement).read_bytes())
    version = subprocess.run(
        [python, "-c", "import sys; print(sys.version)"],
        capture_output=True,
        check=False,
    ).stdout
    digest.update(version)
    folder = cache_root() / f"{name}-{digest.hexdigest()[:16]}"
    if (folder / ".complete").is_file():
        return folder
    shown = " ".join(str(Path(r).relative_to(ROOT)) for r in requirements)
    print(f"Installing {shown} into {folder}", file=sys.stderr, flush=True)
    folder.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f"{name}-tmp.", dir=folder.parent))
    args = [arg for r in requirements if Path(r).exists() for arg in ("-r", str(r))]
    installed = subprocess.run(
        [python, "-m", "pip", "install", "-q", "--disable-pip-version-check"]
        + ["--no-deps", "--target", str(scratch), *args],
        stdout=sys.stderr,
        check=False,
    )
    if installed.returncode:
        shutil.rmtree(scratch, ignore_errors=True)
        return None
    (scratch / ".complete").touch()
    try:
        scratch.rename(folder)
    except OSError:  # another run was first
        shutil.rmtree(scratch, ignore_errors=True)
    return folder


def odoo_site(odoo):
    """The Python packages the addons need that Odoo's requirements lack
    (``requirements.txt``, ``tests/odoo-requirements.txt``), installed once
    into the cache, never into Odoo's own Python (see :func:`odoo_environ`)."""
    files = [ROOT / "requirements.txt", ROOT / "tests" / "odoo-requirements.txt"]
    return pip_target("site", odoo.python, files)


def oca_addons(odoo):
    """The folder of the OCA addons of ``requirements-oca.txt`` (their
    wheels require an ``odoo`` distribution that Odoo installs do not
    register), installed once into the cache."""
    folder = pip_target("oca", odoo.python, [ROOT / "requirements-oca.txt"])
    return folder / "odoo" / "addons" if folder else None


def odoo_environ(site):
    """The environment Odoo runs in: the cached packages first."""
    path = os.environ.get("PYTHONPATH", "")
    return {
        **os.environ,
        "PYTHONPATH": ":".join(part for part in (str(site or ""), path) if part),
    }


def wkhtmltopdf_missing():
    """Odoo prints its PDF reports (the invoice) with wkhtmltopdf: Debian's
    is installed when missing and possible.  ``None`` when ready, else the
    one line that says why not.  (Debian's build is not the patched-Qt one:
    crm_invoices then prints the header and footer inside the page.)"""
    if shutil.which("wkhtmltopdf"):
        return None
    if is_root() and shutil.which("apt-get"):
        say("Installing wkhtmltopdf for the PDF reports")
        apt_install("wkhtmltopdf", "fonts-dejavu-core")
    if shutil.which("wkhtmltopdf"):
        return None
    return (
        "no wkhtmltopdf, so no PDF invoice: install it (Debian: apt install "
        "wkhtmltopdf; https://wkhtmltopdf.org) or use docker compose"
    )


# ---------------------------------------------------------------- the browser


def chromium():
    return next(
        (
            name
            for name in ("chromium", "chromium-browser", "google-chrome")
            if shutil.which(name)
        ),
        None,
    )


def browser_missing(odoo_python):
    """What the browser tours lack (Odoo skips them without Chromium and
    websocket-client), installed when we can; ``[]`` when ready."""

    def missing():
        lacking = [] if chromium() else ["chromium"]
        quiet = {"capture_output": True, "check": False}
        if (
            subprocess.run([odoo_python, "-c", "import websocket"], **quiet).returncode
            and subprocess.run(
                [odoo_python, "-m", "pip", "install", "-q", "websocket-client"],
                **quiet,
            ).returncode
        ):
            lacking.append("websocket-client")
        return lacking

    lacking = missing()
    if lacking and is_root() and shutil.which("apt-get"):
        packages = [
            "python3-websocket" if x == "websocket-client" else x for x in lacking
        ]
        say(f"Installing {' '.join(packages)} for the browser tests")
        apt_install(*packages)
        lacking = missing()
    return lacking


# ---------------------------------------------------------------- test tools


def _imports(python):
    done = subprocess.run(
        [python, "-c", REQUIREMENTS_IMPORT], capture_output=True, check=False
    )
    return done.returncode == 0


def unit_python():
    """A Python with tests/requirements.txt: this one, or a cached virtualenv
    (made when missing); ``None`` when none can be set up."""
    if _imports(sys.executable):
        return sys.executable
    venv = cache_root() / "venv"
    python = venv / "bin" / "python"
    if python.exists() and _imports(str(python)):
        return str(python)
    print(f"Installing the test requirements in {venv}", file=sys.stderr, flush=True)
    shutil.rmtree(venv, ignore_errors=True)
    made = subprocess.run(
        [sys.executable, "-m", "venv", str(venv)], capture_output=True, check=False
    )
    if made.returncode:
        # a Debian without python3-venv (the Odoo image): install it as root
        shutil.rmtree(venv, ignore_errors=True)
        apt_install("python3-venv", "python3-pip")
        if subprocess.run([sys.executable, "-m", "venv", str(venv)]).returncode:
            return None
    requirements = ROOT / "tests" / "requirements.txt"
    installed = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "-r", str(requirements)],
        stdout=sys.stderr,
        check=False,
    )
    if installed.returncode or not _imports(str(python)):
        return None
    return str(python)


# ---------------------------------------------------------------- PostgreSQL


class Postgres:
    """The database server Odoo uses: the one of the ``PG*`` variables when
    one answers, else a cluster of our own in a folder (a throwaway one for
    the tests, a lasting one for bin/serve).  :attr:`args` are Odoo's
    options to reach it."""

    def __init__(self):
        self.args = []
        self.started = None  # the data folder of a cluster started here
        self.bin = None

    def _as_postgres(self, command, **kwargs):
        if is_root():
            command = ["runuser", "-u", "postgres", "--", *command]
        env = dict(os.environ, PATH=os.environ.get("PATH", "") + ":/usr/sbin:/sbin")
        return subprocess.run(command, check=False, env=env, **kwargs)

    def _variables_answer(self):
        if not any(os.environ.get(name) for name in ("PGHOST", "PGPORT", "PGUSER")):
            return False
        if not shutil.which("psql"):
            return False
        probe = subprocess.run(
            ["psql", "-d", "postgres", "-Atc", "select 1"],
            capture_output=True,
            check=False,
        )
        return probe.returncode == 0

    @staticmethod
    def _binaries():
        pg_ctl = shutil.which("pg_ctl")
        if not pg_ctl:
            found = sorted(
                Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
                key=lambda p: [int(x) for x in p.parts[-3].split(".") if x.isdigit()],
            )
            pg_ctl = str(found[-1]) if found else None
        if not pg_ctl:
            return None
        folder = Path(pg_ctl).resolve().parent
        return folder if (folder / "initdb").is_file() else None

    def start(self, folder, throwaway=False):
        """Start (or reach) the server; the one line that says why not, or
        ``None`` when it answers."""
        if self._variables_answer():
            names = ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD")
            options = ("--db_host", "--db_port", "--db_user", "--db_password")
            for name, option in zip(names, options, strict=True):
                if os.environ.get(name):
                    self.args += [option, os.environ[name]]
            host = os.environ.get("PGHOST") or "local"
            say(f"PostgreSQL: the server of the PG* variables ({host})")
            return None
        self.bin = self._binaries()
        if not self.bin:
            return "No PostgreSQL answers and no initdb was found to start one"
        if (
            is_root()
            and subprocess.run(
                ["id", "postgres"], capture_output=True, check=False
            ).returncode
        ):
            return "Running as root without a postgres user: cannot start PostgreSQL"
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        if is_root():
            shutil.chown(folder, "postgres")
        data = folder / "data"
        if not (data / "PG_VERSION").is_file():
            shutil.rmtree(data, ignore_errors=True)
            init = [str(self.bin / "initdb"), "-D", str(data), "-U", "postgres"]
            init += ["-A", "trust", "-E", "UTF8"]
            with open(folder / "init.log", "w") as log:
                done = self._as_postgres([*init, "--locale=C.UTF-8"], stdout=log)
                if done.returncode:
                    done = self._as_postgres(init, stdout=log, stderr=log)
            if done.returncode:
                tail = (folder / "init.log").read_text().splitlines()[-5:]
                return "initdb failed: " + " / ".join(tail)
        port = free_port()
        options = f"-p {port} -k {folder} -c listen_addresses=''"
        if throwaway:  # may lose data on a crash; a lasting one may not
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        started = self._as_postgres(
            [
                str(self.bin / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(folder / "server.log"),
            ]
            + ["-w", "-o", options, "start"],
            stdout=subprocess.DEVNULL,
        )
        if started.returncode:
            tail = (folder / "server.log").read_text().splitlines()[-5:]
            return "PostgreSQL did not start: " + " / ".join(tail)
        self.started = data
        psql = [str(self.bin / "psql"), "-h", str(folder), "-p", str(port)]
        psql += ["-U", "postgres", "-d", "postgres", "-qAt", "-c"]
        role = subprocess.run(
            [*psql, f"SELECT 1 FROM pg_roles WHERE rolname = '{PG_ROLE}'"],
            capture_output=True,
            text=True,
            check=False,
        )
        if "1" not in role.stdout:
            subprocess.run(
                [*psql, f"CREATE ROLE {PG_ROLE} LOGIN CREATEDB PASSWORD '{PG_ROLE}'"],
                capture_output=True,
                check=True,
            )
        self.args = ["--db_host", str(folder), "--db_port", str(port)]
        self.args += ["--db_user", PG_ROLE, "--db_password", PG_ROLE]
        say(f"PostgreSQL: a cluster in {folder} (port {port})")
        return None

    def stop(self, mode="fast"):
        if not self.started:
            return
        self._as_postgres(
            [str(self.bin / "pg_ctl"), "-D", str(self.started), "-m", mode, "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.started = None

    def drop(self, python, db):
        """Drop the database ``db`` (with ``python``, which has psycopg2)."""
        options = dict(zip(self.args[::2], self.args[1::2], strict=False))
        script = (
            "import sys, psycopg2\n"
            "args = dict(zip(sys.argv[2::2], sys.argv[3::2]))\n"
            "conn = psycopg2.connect(dbname='postgres', host=args.get('--db_host'),"
            " port=args.get('--db_port'), user=args.get('--db_user'),"
            " password=args.get('--db_password'))\n"
            "conn.autocommit = True\n"
            "conn.cursor().execute('DROP DATABASE IF EXISTS \"%s\"'"
            " % sys.argv[1].replace('\"', ''))\n"
        )
        flat = [item for pair in options.items() for item in pair]
        subprocess.run(
            [python, "-c", script, db, *flat], capture_output=True, check=False
        )


def wait_for_http(url, process, timeout):
    """Whether ``url`` answered before ``timeout`` seconds, ``process`` (the
    server) still running."""
    import urllib.request  # noqa: PLC0415

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            urllib.request.urlopen(url, timeout=2).close()  # noqa: S310
            return True
        except OSError:
            time.sleep(1)
    return False
