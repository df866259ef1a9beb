"""The project's test command: ``bin/test`` runs this (see its ``--help``).

Suites, in order:

1. unit   database-free tests (``tests/unit``, pytest), on any Python >= 3.10;
2. odoo   on an Odoo 18 (``tools/odoo_env.py`` finds or installs it): a fresh
          database, every addon of this repository installed with
          ``--test-enable``, their tests run, the database dropped.  Fails on
          a failed, errored or skipped test, or on an ERROR line in the log.
          No Odoo is a failure of this suite and the next two, never a pass;
3. nodemo the same addons, with the demo payment provider ``bin/serve``
          installs, on a database without demo data;
4. e2e    on that database, a live Odoo server: ``tests/e2e`` (a
          requests-based client of the REST API, and schemathesis);
5. bench  every ``tests/bench`` script at a tiny size (:data:`TINY_BENCHES`):
          a benchmark that no longer runs fails the build.

The run ends with one line, ``N passed, N failed`` (with what was left out
when a partial run was asked for), which CI reads.  What the run needs from
the machine (Odoo, PostgreSQL, the cached Python packages, OCA's addons, the
PDF tool, the browser) comes from :mod:`machine`, which ``bin/serve``
shares.  Standard library only.
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import machine  # noqa: E402 - a sibling script, not a package
from machine import ROOT, free_port, say  # noqa: E402

SUITES = ("unit", "odoo", "nodemo", "e2e", "bench")
#: Every benchmark of tests/bench at a tiny size (seconds of work each, the
#: time going to the databases they make): a benchmark that no longer runs
#: fails the build.  ``{db}`` is the run's database prefix.
TINY_BENCHES = {
    "bench_invoices.py": ["--invoices", "60", "--repeat", "1"],
    "bench_api.py": ["--invoices", "60", "--requests", "2", "--per-page", "10"],
    "bench_pay_link.py": ["--requests", "2"],
    "bench_reminders.py": ["--invoices", "60"],
    "bench_trend.py": ["--invoices", "60", "--repeat", "1"],
    "bench_efactura.py": ["--invoices", "4"],
    "bench_bank.py": ["--invoices", "60", "--lines", "20", "--oca-sample", "4"],
    "bench_webhooks.py": ["--events", "60", "--changes", "3", "--slow-seconds", "1"],
    "bench_recurring.py": ["--schedules", "20"],
}
#: The database each benchmark seeds (those that share one, share it).
BENCH_DATABASES = {
    "bench_trend.py": "trend",
    "bench_efactura.py": "efactura",
    "bench_bank.py": "bank",
    "bench_recurring.py": "recurring",
}
#: How long the end-to-end server may take to answer its health check.
SERVER_START_TIMEOUT = 120


def banner(text):
    say(f"\n===== {text} =====")


# ---------------------------------------------------------------- counting


@dataclass
class Tally:
    """What the run counted, and one report line per suite."""

    passed: int = 0
    failed: int = 0
    report: list = field(default_factory=list)

    def ran(self, suite, passed, failed, detail=""):
        self.passed += passed
        self.failed += failed
        self.report.append(f"{suite:<8}ran: {passed} passed, {failed} failed{detail}")

    def failure(self, suite, why):
        self.failed += 1
        self.report.append(f"{suite:<8}FAILED: {why}")

    def note(self, suite, text):
        """A line that counts nothing (a suite not run, by choice)."""
        self.report.append(f"{suite:<8}{text}")

    def summary(self, unit_only=False, no_e2e=False):
        """The last line of the run.  A partial run says so: CI takes only
        the plain ``N passed, N failed`` of a whole run."""
        line = f"{self.passed} passed, {self.failed} failed"
        if unit_only:
            return f"{line} (unit tests only: --unit-only)"
        if no_e2e:
            return f"{line} (without the end-to-end tests: --no-e2e)"
        return line


def junit_counts(path):
    """``(passed, failed, skipped)`` of a pytest JUnit report."""
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else list(root)
    total = sum(int(suite.get("tests", 0)) for suite in suites)
    bad = sum(
        int(suite.get("failures", 0)) + int(suite.get("errors", 0)) for suite in suites
    )
    skipped = sum(int(suite.get("skipped", 0)) for suite in suites)
    return total - bad - skipped, bad, skipped


_RESULT = re.compile(
    r"odoo\.tests\.result: (\d+) failed, (\d+) error\(s\) of (\d+) tests"
)
_SKIPPED = re.compile(r"INFO \S+ odoo\.addons\.\S+: skipped (.*)")
_ERROR_LINE = re.compile(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ")


def odoo_counts(log, exit_code):
    """``(passed, failed, why)`` of an Odoo run from its log and exit code.

    A skipped test fails (a skipped tour is a failed tour); so does an ERROR
    line when no test failed, and a failed exit when nothing else did.
    """
    results = _RESULT.findall(log)
    failed = errors = total = 0
    if results:
        failed, errors, total = map(int, results[-1])
    skipped = _SKIPPED.findall(log)
    why = [
        f"  skipped test (a skipped test fails here): {line[:200]}" for line in skipped
    ]
    bad = failed + errors + len(skipped)
    error_lines = [line for line in log.splitlines() if _ERROR_LINE.match(line)]
    if error_lines and not (failed or errors):
        why.append("  the log has ERROR lines:")
        why += [f"    {line[:300]}" for line in error_lines[:10]]
        bad += 1
    if exit_code and not bad:
        why.append(f"  Odoo exited with {exit_code}:")
        why += [f"    {line}" for line in log.splitlines()[-15:]]
        bad += 1
    return total - failed - errors - len(skipped), bad, why


def clock_spec(clock, now=None):
    """libfaketime's ``FAKETIME`` for ``--clock``: an offset (``+365d``) as it
    is; a moment as the offset from now to it, so that every process of the
    run shares one running clock.

    :raises ValueError: for a moment that is not a date.
    """
    if clock[:1] in "+-":
        return clock
    moment = _parse_moment(clock)
    now = now or datetime.now()
    return f"+{int((moment - now).total_seconds())}s"


def _parse_moment(text):
    for form in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), form)
        except ValueError:
            continue
    raise ValueError(f"cannot read the date {text}")


# ---------------------------------------------------------------- the run


class Run:
    """One run of the suites: what it found, what it counted, its folder."""

    def __init__(self, unit_only=False, no_e2e=False):
        self.unit_only = unit_only
        self.no_e2e = no_e2e
        self.tally = Tally()
        self.work = Path(tempfile.mkdtemp(prefix="crm-invoices-test."))
        self.work.chmod(0o755)
        self.unit_python = None
        self.odoo = None
        self.site = None  # the cached Python packages (machine.odoo_site)
        self.oca = None  # OCA's addons folder (machine.oca_addons)
        self.postgres = machine.Postgres()

    # ------------------------------------------------------------ helpers

    def odoo_command(self, *args, subcommand=None):
        """Odoo's command line: ``subcommand`` (``shell``), this repository's
        addons path and data folder, the database server, then ``args``."""
        return [
            self.odoo.bin,
            *([subcommand] if subcommand else []),
            f"--addons-path={machine.addons_path(self.odoo, self.oca)}",
            f"--data-dir={self.work / 'data'}",
            *self.postgres.args,
            *args,
        ]

    def run_odoo(self, name, db, *args):
        """Odoo with ``args`` on database ``db``, logged to ``<work>/<name>.log``."""
        with open(self.work / f"{name}.log", "w") as log:
            return subprocess.run(
                self.odoo_command(
                    f"--http-port={free_port()}",
                    f"--gevent-port={free_port()}",
                    "-d",
                    db,
                    "--stop-after-init",
                    "--max-cron-threads=0",
                    *args,
                ),
                env=machine.odoo_environ(self.site),
                stdout=log,
                stderr=subprocess.STDOUT,
                check=False,
            ).returncode

    def drop_db(self, db):
        self.postgres.drop(self.odoo.python, db)

    def pytest(self, report, cwd, *args, env=None):
        """pytest with the test requirements' Python, its JUnit report to
        ``report``; its exit status."""
        return subprocess.run(
            [
                self.unit_python,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                f"--junitxml={report}",
                *args,
            ],
            cwd=cwd,
            env=env,
            check=False,
        ).returncode

    # ------------------------------------------------------------ suites

    def unit(self):
        banner("unit: database-free tests (pytest tests/unit)")
        if not machine.efactura_artifacts():
            say("No e-Factura validation files found (set CRM_EFACTURA_ARTIFACTS)")
        self.unit_python = machine.unit_python()
        if not self.unit_python:
            say(
                "FAILED unit: no Python >= 3.10 with pytest and hypothesis "
                "could be set up"
            )
            self.tally.failure("unit", "no usable Python")
            return
        report = self.work / "unit.xml"
        status = self.pytest(report, ROOT, "tests/unit")
        if not report.exists():
            say(f"FAILED unit: pytest exited with {status} and wrote no report")
            self.tally.failure("unit", f"pytest exited with {status}")
            return
        passed, failed, _skipped = junit_counts(report)
        self.tally.ran("unit", passed, failed)

    def odoo_suites(self):
        banner("odoo: the addons' Odoo tests")
        missing = self.locate_odoo()
        if missing:
            # no Odoo, no pass: the three suites that need one fail
            say(f"FAILED odoo, nodemo, e2e: {missing}")
            self.tally.failure("odoo", f"no Odoo 18 ({missing})")
            self.tally.failure("nodemo", "no Odoo 18")
            self.tally.failure("e2e", "no Odoo 18")
            self.tally.failure("bench", "no Odoo 18")
            return
        if not self.requirements():
            say(
                "FAILED odoo, nodemo, e2e: could not install the addons' "
                "requirements (Python or OCA)"
            )
            self.tally.failure(
                "odoo", "the addons' Python requirements did not install"
            )
            self.tally.failure("nodemo", "idem")
            self.tally.failure("e2e", "idem")
            self.tally.failure("bench", "idem")
            return
        if os.environ.get("CRM_EFACTURA_ARTIFACTS"):
            say(f"e-Factura validation files: {os.environ['CRM_EFACTURA_ARTIFACTS']}")
        else:
            say(
                "No e-Factura validation files found (set CRM_EFACTURA_ARTIFACTS): "
                "the e-Factura tests will fail"
            )
        lacking = machine.browser_missing(self.odoo.python)
        if lacking:
            say(f"Browser tests cannot run: missing {' '.join(lacking)}")
        pdf_missing = machine.wkhtmltopdf_missing()
        if pdf_missing:
            say(f"PDF tests cannot run: {pdf_missing}")
        why = self.postgres.start(self.work / "pg", throwaway=True)
        if why:
            say(why)
            for suite in SUITES[1:]:
                self.tally.failure(suite, "no PostgreSQL")
            return
        addons = ",".join(machine.installable_addons())
        say(f"Addons: {addons}")

        db = f"crm_invoices_test_{os.getpid()}"
        started = time.monotonic()
        tags = ",".join(f"/{addon}" for addon in addons.split(","))
        status = self.run_odoo(
            "odoo",
            db,
            # ours alone, as OCA's CI installs them: their tests bring what
            # they need (a payment provider of their own)
            "-i",
            addons,
            "--test-enable",
            "--test-tags",
            tags,
            "--log-level=test",
        )
        say(f"Odoo exited with {status} after {self._since(started)} s")
        log = (self.work / "odoo.log").read_text(errors="replace")
        shown = [
            line
            for line in log.splitlines()
            if re.search(r"odoo\.tests\.result|(ERROR|CRITICAL) ", line)
            and not line.startswith(" ")
        ]
        say("\n".join(shown[-40:]))
        self.drop_db(db)
        passed, failed, why = odoo_counts(log, status)
        for line in why:
            print(line, file=sys.stderr, flush=True)
        if lacking:
            say(
                "FAILED odoo: browser tests could not run "
                "(a skipped tour is a failed tour)"
            )
            failed += 1
        if pdf_missing:
            say(f"FAILED odoo: {pdf_missing}")
            failed += 1
        self.tally.ran("odoo", passed, failed, f" ({self._since(started)} s)")

        banner("nodemo: install without demo data")
        db = f"crm_invoices_nodemo_{os.getpid()}"
        started = time.monotonic()
        status = self.run_odoo(
            "nodemo",
            db,
            "-i",
            ",".join([addons, *machine.DEMO_MODULES]),
            "--without-demo=all",
            "--log-level=warn",
        )
        log = (self.work / "nodemo.log").read_text(errors="replace")
        _passed, failed, why = odoo_counts(log, status)
        for line in why:
            print(line, file=sys.stderr, flush=True)
        if failed:
            self.tally.failure("nodemo", "installing without demo data logged errors")
            say("\n".join(log.splitlines()[-20:]))
            self.tally.note("e2e", "SKIPPED: no database to run a server on")
        else:
            self.tally.passed += 1
            self.tally.note(
                "nodemo",
                f"ran: the addons install without demo data ({self._since(started)} s)",
            )
            if self.no_e2e:
                self.tally.note("e2e", "NOT RUN: --no-e2e")
            else:
                self.e2e(db)
        self.drop_db(db)
        if self.no_e2e:
            self.tally.note("bench", "NOT RUN: --no-e2e")
        else:
            self.benches()

    def locate_odoo(self):
        """Finds (or installs) Odoo; the one line that says why not, else ``None``."""
        self.odoo, missing = machine.locate_odoo()
        if missing:
            return missing
        say(
            f"Odoo {self.odoo.version}: {self.odoo.bin} (Python {self.odoo.python}), "
            f"from {self.odoo.origin}"
        )
        return None

    def requirements(self):
        """The addons' Python packages and OCA's addons, installed in the cache."""
        self.site = machine.odoo_site(self.odoo)
        self.oca = machine.oca_addons(self.odoo) if self.site else None
        return bool(self.site and self.oca)

    def e2e(self, db):
        banner("e2e: REST API against a live server (tests/e2e)")
        if not self.unit_python:
            say("FAILED e2e: no Python with the test requirements")
            self.tally.failure("e2e", "no Python with the test requirements")
            return
        started = time.monotonic()
        shell_args = ("-d", db, "--no-http", "--log-level=warn")
        with open(self.work / "e2e-setup.log", "w") as log:
            subprocess.run(
                self.odoo_command(*shell_args, subcommand="shell"),
                stdin=open(ROOT / "tests" / "e2e" / "setup_db.py"),  # noqa: SIM115
                stdout=log,
                stderr=subprocess.STDOUT,
                env=machine.odoo_environ(self.site),
                check=False,
            )
        lines = (self.work / "e2e-setup.log").read_text(errors="replace").splitlines()
        setup = next((line for line in reversed(lines) if line.startswith("{")), None)
        if not setup:
            say("FAILED e2e: could not prepare the database:")
            say("\n".join(lines[-15:]))
            self.tally.failure("e2e", "database setup")
            return
        setup = json.loads(setup)
        port = free_port()
        with open(self.work / "e2e-server.log", "w") as log:
            server = subprocess.Popen(  # noqa: SIM115 - stopped below
                self.odoo_command(
                    f"--db-filter=^{db}$",
                    "-d",
                    db,
                    "--http-interface=127.0.0.1",
                    f"--http-port={port}",
                    f"--gevent-port={free_port()}",
                    "--max-cron-threads=0",
                    "--log-level=warn",
                ),
                env=machine.odoo_environ(self.site),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            if not self._wait_for(server, port):
                say("FAILED e2e: the server did not start:")
                say(
                    "\n".join(
                        (self.work / "e2e-server.log").read_text().splitlines()[-15:]
                    )
                )
                self.tally.failure("e2e", "server did not start")
                return
            shell_command = json.dumps(
                [
                    "env",
                    f"PYTHONPATH={machine.odoo_environ(self.site)['PYTHONPATH']}",
                    *self.odoo_command(*shell_args, subcommand="shell"),
                ]
            )
            report = self.work / "e2e.xml"
            self.pytest(
                report,
                ROOT / "tests" / "e2e",
                "-rs",
                ".",
                env={
                    **os.environ,
                    "CRM_API_URL": f"http://127.0.0.1:{port}",
                    "CRM_API_TOKEN": str(setup["token"]),
                    "CRM_API_READ_TOKEN": str(setup["read_token"]),
                    "CRM_API_LIMITED_TOKEN": str(setup["limited_token"]),
                    "CRM_API_LIMIT": str(setup["limit"]),
                    "CRM_PERFEX_INVOICE": str(setup["perfex_invoice"]),
                    "CRM_PERFEX_ITEMS": str(setup["perfex_items"]),
                    "CRM_API_CLIENTID": str(setup["clientid"]),
                    "CRM_API_TAX": str(setup["tax"]),
                    "CRM_ODOO_SHELL": shell_command,
                },
            )
        finally:
            server.terminate()
            server.wait()
        if not report.exists():
            self.tally.failure("e2e", "pytest wrote no report")
            return
        passed, failed, skipped = junit_counts(report)
        self.tally.ran("e2e", passed, failed + skipped, f" ({self._since(started)} s)")

    def benches(self):
        banner("bench: every benchmark at a tiny size (tests/bench)")
        started = time.monotonic()
        scripts = sorted(p.name for p in (ROOT / "tests" / "bench").glob("bench_*.py"))
        scripts = [name for name in scripts if name != "bench_args.py"]
        databases = set()
        passed = failed = 0
        for name in sorted(
            scripts,
            key=lambda n: (
                list(TINY_BENCHES).index(n) if n in TINY_BENCHES else len(TINY_BENCHES)
            ),
        ):
            if name not in TINY_BENCHES:
                say(f"FAILED bench {name}: no tiny size in TINY_BENCHES")
                failed += 1
                continue
            db = f"crm_invoices_bench_{BENCH_DATABASES.get(name, 'main')}_{os.getpid()}"
            databases.add(db)
            log_path = self.work / f"{name}.log"
            with open(log_path, "w") as log:
                status = subprocess.run(
                    [
                        self.odoo.python,
                        str(ROOT / "tests" / "bench" / name),
                        "--database",
                        db,
                        *TINY_BENCHES[name],
                        "--",
                        f"--data-dir={self.work / 'data'}",
                        *self.postgres.args,
                    ],
                    cwd=ROOT,
                    env={
                        **machine.odoo_environ(self.site),
                        "ODOO_BIN": self.odoo.bin,
                        "ODOO_OCA_ADDONS": str(self.oca or ""),
                    },
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    check=False,
                ).returncode
            if status:
                say(f"FAILED bench {name} (exit {status}):")
                say("\n".join(log_path.read_text(errors="replace").splitlines()[-12:]))
                failed += 1
            else:
                say(f"bench {name}: ran")
                passed += 1
        for db in databases:
            self.drop_db(db)
        self.tally.ran("bench", passed, failed, f" ({self._since(started)} s)")

    def _wait_for(self, server, port):
        return machine.wait_for_http(
            f"http://127.0.0.1:{port}/web/health", server, SERVER_START_TIMEOUT
        )

    @staticmethod
    def _since(started):
        return int(time.monotonic() - started)

    # ------------------------------------------------------------ all

    def main(self):
        self.unit()
        if self.unit_only:
            for suite in SUITES[1:]:
                self.tally.note(suite, "NOT RUN: --unit-only")
        else:
            self.odoo_suites()
        banner("summary")
        for line in self.tally.report:
            say(line)
        say(self.tally.summary(self.unit_only, self.no_e2e))
        return 0 if self.tally.failed == 0 else 1

    def cleanup(self):
        self.postgres.stop("immediate")
        if os.environ.get("KEEP_LOGS") == "1":
            say(f"Logs kept in {self.work}")
        else:
            shutil.rmtree(self.work, ignore_errors=True)


# ---------------------------------------------------------------- entry


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="bin/test", add_help=False)
    parser.add_argument("--unit-only", action="store_true")
    parser.add_argument("--no-e2e", action="store_true")
    parser.add_argument("--clock")
    parser.add_argument("-h", "--help", action="store_true")
    options, unknown = parser.parse_known_args(argv)
    if unknown:
        raise SystemExit(f"bin/test: unknown option {unknown[0]} (see bin/test --help)")
    return options


def with_clock(clock, argv):
    """Run again under libfaketime (installed when missing): every process
    of the run (PostgreSQL, Odoo, Chromium, pytest) sees the moved clock, the
    monotonic one too (left alone, libfaketime makes time.sleep fail)."""
    if not shutil.which("faketime") and os.geteuid() == 0 and shutil.which("apt-get"):
        say("Installing faketime for --clock")
        machine.apt_install("faketime")
    if not shutil.which("faketime"):
        say(
            "bin/test: --clock needs libfaketime's faketime "
            "(Debian: apt install faketime)"
        )
        say("0 passed, 1 failed")
        return 1
    try:
        spec = clock_spec(clock)
    except ValueError as error:
        say(f"bin/test: --clock: {error}")
        say("0 passed, 1 failed")
        return 2
    say(f'bin/test: the clock moved to {clock} (libfaketime FAKETIME="{spec}")')
    os.execvp("faketime", ["faketime", "-f", spec, sys.executable, __file__, *argv])
    return 1  # pragma: no cover - execvp does not return


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    try:
        options = parse_args(argv)
    except SystemExit as error:
        print(error, file=sys.stderr)
        return 2
    if options.help:
        say(machine.usage("test"))
        return 0
    if options.clock and not os.environ.get("FAKETIME"):
        return with_clock(options.clock, argv)
    run = Run(unit_only=options.unit_only, no_e2e=options.no_e2e)

    def stop(signum, _frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    try:
        return run.main()
    finally:
        run.cleanup()


if __name__ == "__main__":
    sys.exit(main())
