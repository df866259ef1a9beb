"""tools/odoo_env.py: which Odoo the test and serve commands use, and its cache."""

import importlib.util
import io
import subprocess
import sys
import tarfile
import textwrap
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from conftest import ROOT

spec = importlib.util.spec_from_file_location(
    "odoo_env", ROOT / "tools" / "odoo_env.py"
)
odoo_env = importlib.util.module_from_spec(spec)
spec.loader.exec_module(odoo_env)


def fake_odoo_script(path, version="18.0-20250506"):
    path.write_text(f'#!/bin/sh\necho "Odoo Server {version}"\n')
    path.chmod(0o755)
    return path


def fake_source(folder, version="18.0-20250506"):
    """A tree shaped like Odoo's source whose `odoo-bin --version` answers."""
    (folder / "odoo").mkdir(parents=True)
    (folder / "odoo" / "release.py").write_text(f"version = {version!r}\n")
    (folder / "odoo" / "__init__.py").write_text(
        textwrap.dedent(
            f"""
            class cli:
                @staticmethod
                def main():
                    print("Odoo Server {version}")
            """
        )
    )
    (folder / "odoo-bin").write_text("import odoo\nodoo.cli.main()\n")
    (folder / "requirements.txt").write_text(
        "python-ldap==3.4.0 ; sys_platform != 'win32'\n"
    )
    return folder


@pytest.fixture
def environ(tmp_path, monkeypatch):
    """An environment with no Odoo anywhere and the cache in a temporary folder."""
    monkeypatch.setattr(odoo_env, "EXTRA_REQUIREMENTS", ())
    empty = tmp_path / "empty-path"
    empty.mkdir()
    return {"PATH": str(empty), "CRM_INVOICES_CACHE": str(tmp_path / "cache")}


def install_fake_cache(environ, source):
    install_dir = odoo_env.cache_dir(environ)
    install_dir.mkdir(parents=True)
    odoo = fake_odoo_script(install_dir / "odoo")
    marker = {"source": source, "tree": "/nowhere", "bin": str(odoo), "python": "py"}
    (install_dir / odoo_env.MARKER).write_text(odoo_env.json.dumps(marker))
    return install_dir


# ---------------------------------------------------------------- choose


def test_odoo_bin_wins_over_everything(environ, tmp_path):
    install_fake_cache(environ, "/src")
    environ["ODOO_BIN"] = "/opt/odoo/odoo-bin"
    assert odoo_env.choose(environ, which=lambda *a, **k: "/usr/bin/odoo") == (
        "bin",
        "/opt/odoo/odoo-bin",
        "ODOO_BIN",
    )


def test_odoo_on_path_before_the_cache(environ):
    install_fake_cache(environ, "/src")
    kind, where, _origin = odoo_env.choose(
        environ, which=lambda *a, **k: "/usr/bin/odoo"
    )
    assert (kind, where) == ("bin", "/usr/bin/odoo")


def test_cache_is_reused_without_odoo_source(environ):
    install_dir = install_fake_cache(environ, "/some/odoo")
    assert odoo_env.choose(environ)[:2] == ("cache", install_dir)


def test_cache_is_reused_for_the_same_source(environ, tmp_path):
    source = tmp_path / "odoo-src"
    source.mkdir()
    install_dir = install_fake_cache(environ, str(source))
    environ["ODOO_SOURCE"] = str(tmp_path / "odoo-src" / ".." / "odoo-src")
    assert odoo_env.choose(environ)[:2] == ("cache", install_dir)


def test_another_source_is_installed_again(environ, tmp_path):
    install_dir = install_fake_cache(environ, "/some/odoo")
    environ["ODOO_SOURCE"] = str(tmp_path / "other")
    assert odoo_env.choose(environ) == ("install", str(tmp_path / "other"), install_dir)


def test_an_incomplete_install_is_not_reused(environ):
    install_dir = install_fake_cache(environ, "/some/odoo")
    Path(
        odoo_env.json.loads((install_dir / odoo_env.MARKER).read_text())["bin"]
    ).unlink()
    assert odoo_env.choose(environ)[0] == "install"


def test_default_source_is_odoos_archive(environ):
    kind, source, install_dir = odoo_env.choose(environ)
    assert (kind, source) == ("install", odoo_env.DEFAULT_SOURCE)
    assert install_dir == Path(environ["CRM_INVOICES_CACHE"]) / "odoo-18.0"


def test_cache_follows_xdg_then_home():
    assert odoo_env.cache_dir({"XDG_CACHE_HOME": "/x"}) == Path(
        "/x/crm-invoices/odoo-18.0"
    )
    assert odoo_env.cache_dir({"HOME": "/h"}) == Path(
        "/h/.cache/crm-invoices/odoo-18.0"
    )


# ---------------------------------------------------------------- checking


def test_odoo_bin_of_another_version_is_refused(environ, tmp_path):
    environ["ODOO_BIN"] = str(fake_odoo_script(tmp_path / "odoo17", "17.0-20240101"))
    with pytest.raises(odoo_env.NoOdoo, match="is Odoo 17.0-20240101, not 18.0"):
        odoo_env.locate(environ)


def test_odoo_bin_that_is_not_odoo_is_refused(environ, tmp_path):
    script = tmp_path / "not-odoo"
    script.write_text("#!/bin/sh\necho hello\n")
    script.chmod(0o755)
    environ["ODOO_BIN"] = str(script)
    with pytest.raises(odoo_env.NoOdoo, match="does not answer `--version` as Odoo"):
        odoo_env.locate(environ)


def test_python_is_read_from_the_shebang(tmp_path):
    script = tmp_path / "odoo"
    script.write_text("#!/opt/venv/bin/python -u\n")
    assert odoo_env.python_of(script) == "/opt/venv/bin/python"
    script.write_text("#!/usr/bin/env python3\n")
    assert odoo_env.python_of(script) == odoo_env.shutil.which("python3")


# ---------------------------------------------------------------- installing


def test_install_from_an_archive_then_reuse(environ, tmp_path, monkeypatch):
    tree = fake_source(tmp_path / "odoo-18.0.post20250506")
    archive = tmp_path / "odoo.tar.gz"
    with tarfile.open(archive, "w:gz") as content:
        content.add(tree, arcname=tree.name)
    environ["ODOO_SOURCE"] = str(archive)
    git_status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True
    ).stdout

    odoo = odoo_env.locate(environ)

    install_dir = odoo_env.cache_dir(environ)
    assert odoo.version == "18.0-20250506"
    assert odoo.bin == str(install_dir / "bin" / "odoo")
    assert str(archive) in odoo.origin
    assert Path(odoo.python).is_relative_to(install_dir)
    # python-ldap (auth_ldap only) is left out of Odoo's requirements
    assert "python-ldap" not in (install_dir / "requirements.txt").read_text()
    # `import odoo` works in that Python, not only through the launcher
    imported = subprocess.run(
        [odoo.python, "-c", "import odoo.release as r; print(r.version)"],
        capture_output=True,
        text=True,
    )
    assert imported.stdout.strip() == "18.0-20250506"
    # nothing was written into the checkout
    assert (
        subprocess.run(
            ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True
        ).stdout
        == git_status
    )

    def no_second_install(*args, **kwargs):
        raise AssertionError("the cached Odoo should have been reused")

    monkeypatch.setattr(odoo_env, "install", no_second_install)
    again = odoo_env.locate(environ)
    assert again.bin == odoo.bin
    del environ["ODOO_SOURCE"]
    assert odoo_env.locate(environ).bin == odoo.bin


def test_a_git_checkout_is_used_where_it_is(environ, tmp_path):
    tree = fake_source(tmp_path / "odoo")
    (tree / "addons" / "account").mkdir(parents=True)
    (tree / "addons" / "account" / "__manifest__.py").write_text("{}")
    environ["ODOO_SOURCE"] = str(tree)
    odoo = odoo_env.locate(environ)
    marker = odoo_env.read_marker(odoo_env.cache_dir(environ))
    assert marker["tree"] == str(tree)
    assert odoo.addons == str(tree / "addons")
    assert not (odoo_env.cache_dir(environ) / "src").exists()


@pytest.mark.parametrize(
    "source, reason",
    [
        ("http://127.0.0.1:9/odoo_18.0.latest.tar.gz", "cannot download"),
        ("/does/not/exist.tar.gz", "does not exist"),
    ],
)
def test_no_source_fails_with_one_line_saying_how_to_fix_it(environ, source, reason):
    environ["ODOO_SOURCE"] = source
    with pytest.raises(odoo_env.NoOdoo) as failure:
        odoo_env.locate(environ)
    message = str(failure.value)
    assert reason in message
    assert "\n" not in message
    assert "ODOO_SOURCE" in message and "docker compose run --rm tests" in message
    assert odoo_env.read_marker(odoo_env.cache_dir(environ)) is None


def test_an_archive_without_odoo_fails(environ, tmp_path):
    archive = tmp_path / "other.tar.gz"
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / "README").write_text("not odoo")
    with tarfile.open(archive, "w:gz") as content:
        content.add(tmp_path / "project", arcname="project")
    environ["ODOO_SOURCE"] = str(archive)
    with pytest.raises(odoo_env.NoOdoo, match="holds no Odoo source"):
        odoo_env.locate(environ)


def test_command_line_prints_shell_lines_or_one_failure_line(
    environ, tmp_path, monkeypatch
):
    monkeypatch.setattr(odoo_env.os, "environ", environ)
    environ["ODOO_BIN"] = str(fake_odoo_script(tmp_path / "odoo"))
    environ["ODOO_PYTHON"] = sys.executable
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        assert odoo_env.main(["locate"]) == 0
    assert f"ODOO_BIN={tmp_path / 'odoo'}\n" in out.getvalue()
    assert "ODOO_VERSION=18.0-20250506\n" in out.getvalue()

    del environ["ODOO_BIN"]
    environ["ODOO_SOURCE"] = str(tmp_path / "missing")
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        assert odoo_env.main(["locate"]) == 2
    assert out.getvalue() == ""
    assert err.getvalue().strip().splitlines()[-1].startswith("no Odoo 18.0:")
