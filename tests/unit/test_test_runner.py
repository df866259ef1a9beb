"""tools/test_runner.py: what bin/test counts and says."""

import importlib.util
import subprocess
import sys
from datetime import datetime

import pytest
from conftest import ROOT

spec = importlib.util.spec_from_file_location(
    "test_runner", ROOT / "tools" / "test_runner.py"
)
runner = importlib.util.module_from_spec(spec)
spec.loader.exec_module(runner)


def test_the_summary_line_is_the_one_ci_reads_only_for_a_whole_run():
    tally = runner.Tally()
    tally.ran("unit", 393, 0)
    tally.ran("odoo", 280, 1, " (600 s)")
    tally.note("e2e", "NOT RUN: --no-e2e")
    tally.failure("nodemo", "installing without demo data logged errors")
    assert tally.report == [
        "unit    ran: 393 passed, 0 failed",
        "odoo    ran: 280 passed, 1 failed (600 s)",
        "e2e     NOT RUN: --no-e2e",
        "nodemo  FAILED: installing without demo data logged errors",
    ]
    assert tally.summary() == "673 passed, 2 failed"
    assert tally.summary(no_e2e=True) == (
        "673 passed, 2 failed (without the end-to-end tests: --no-e2e)"
    )
    assert tally.summary(unit_only=True).endswith("(unit tests only: --unit-only)")


def test_junit_counts_leave_skipped_tests_out_of_the_passed(tmp_path):
    report = tmp_path / "unit.xml"
    report.write_text(
        '<testsuites><testsuite tests="10" failures="1" errors="2" skipped="3"/>'
        '<testsuite tests="5" failures="0" errors="0" skipped="0"/></testsuites>'
    )
    assert runner.junit_counts(report) == (9, 3, 3)


RESULT = (
    "2026-12-04 20:15:12,303 1651 INFO db odoo.tests.result: "
    "2 failed, 1 error(s) of 280 tests when loading database 'db'"
)


def test_odoo_counts_read_the_result_line():
    assert runner.odoo_counts(RESULT, 1)[:2] == (277, 3)


def test_a_skipped_odoo_test_fails():
    log = "\n".join(
        [
            "2026-12-04 20:15:12,303 1651 INFO db odoo.addons.crm_invoices.tests."
            "test_tour: skipped 'no chromium'",
            RESULT.replace("2 failed, 1 error(s)", "0 failed, 0 error(s)"),
        ]
    )
    passed, failed, why = runner.odoo_counts(log, 0)
    assert (passed, failed) == (279, 1)
    assert "skipped test" in why[0]


def test_an_error_line_fails_a_run_whose_tests_passed():
    log = "\n".join(
        [
            "2026-12-04 20:15:12,303 1651 ERROR db odoo.modules.loading: boom",
            RESULT.replace("2 failed, 1 error(s)", "0 failed, 0 error(s)"),
        ]
    )
    passed, failed, why = runner.odoo_counts(log, 0)
    assert (passed, failed) == (280, 1)
    assert "boom" in why[1]


def test_a_failed_exit_without_a_result_fails():
    passed, failed, why = runner.odoo_counts("Traceback...\nKeyError: 'x'", 1)
    assert (passed, failed) == (0, 1)
    assert "Odoo exited with 1" in why[0]


def test_the_clock_moves_by_an_offset_or_to_a_moment():
    assert runner.clock_spec("+365d") == "+365d"
    now = datetime(2026, 12, 4, 10, 0, 0)
    assert runner.clock_spec("2026-12-05 10:00:00", now) == "+86400s"
    assert runner.clock_spec("2026-12-04", now) == "+-36000s"
    with pytest.raises(ValueError, match="cannot read the date"):
        runner.clock_spec("someday", now)


def test_the_addons_are_this_repositorys_base_first():
    addons = runner.machine.installable_addons()
    assert addons[0] == "crm_invoices"
    assert set(addons) == {path.parent.name for path in ROOT.glob("*/__manifest__.py")}
    # the tests install ours alone, as OCA's CI does; the demo provider is
    # for the served database (and the end-to-end one)
    assert runner.machine.DEMO_MODULES == ("payment_demo",)


def test_the_runner_and_the_provisioning_speak_one_language():
    """No shell functions behind the runner: bin/test and bin/serve only find
    a Python and hand over to tools/."""
    assert not (ROOT / "bin" / "common.sh").exists()
    for script in ("test", "serve"):
        text = (ROOT / "bin" / script).read_text()
        code = [line for line in text.splitlines() if not line.startswith("#")]
        assert len(code) <= 3, code
        assert f"tools/{'test_runner' if script == 'test' else 'serve'}.py" in text


def test_a_postgres_of_the_pg_variables_is_used_as_it_is(monkeypatch):
    monkeypatch.setenv("PGHOST", "db.example")
    monkeypatch.setenv("PGUSER", "odoo")
    monkeypatch.setenv("PGPASSWORD", "secret")
    monkeypatch.delenv("PGPORT", raising=False)
    postgres = runner.machine.Postgres()
    monkeypatch.setattr(postgres, "_variables_answer", lambda: True)
    assert postgres.start("/nonexistent") is None
    assert postgres.args == [
        "--db_host",
        "db.example",
        "--db_user",
        "odoo",
        "--db_password",
        "secret",
    ]
    assert postgres.started is None


def test_bin_test_says_its_usage_and_refuses_unknown_options():
    usage = subprocess.run(
        [str(ROOT / "bin" / "test"), "--help"], capture_output=True, text=True
    )
    assert usage.returncode == 0
    assert "bin/test --unit-only" in usage.stdout
    assert "set -uo" not in usage.stdout
    refused = subprocess.run(
        [str(ROOT / "bin" / "test"), "--bogus"], capture_output=True, text=True
    )
    assert refused.returncode == 2
    assert "unknown option --bogus" in refused.stderr


def test_the_runner_needs_only_the_standard_library():
    script = (
        f"import sys; sys.path.insert(0, {str(ROOT / 'tools')!r})\n"
        "import test_runner, serve\n"
        "third = {'pytest', 'hypothesis', 'requests', 'odoo'} & set(sys.modules)\n"
        "assert not third, third\n"
    )
    assert subprocess.run([sys.executable, "-c", script]).returncode == 0


def test_every_benchmark_runs_at_a_tiny_size_in_ci():
    scripts = {path.name for path in (ROOT / "tests" / "bench").glob("bench_*.py")}
    assert set(runner.TINY_BENCHES) == scripts - {"bench_args.py"}
    assert set(runner.BENCH_DATABASES) <= set(runner.TINY_BENCHES)
