"""Find the Odoo 18 that runs the addons, or install one into a cache.

Used by ``bin/test`` and ``bin/serve``; standard library only, so that it runs
on any Python 3.10+ before anything is installed.

Which Odoo, in this order:

1. ``ODOO_BIN``: that executable, as it is (an error when it is not Odoo 18);
2. an ``odoo`` command on ``PATH``;
3. the Odoo installed earlier in the cache (``$CRM_INVOICES_CACHE``, else
   ``$XDG_CACHE_HOME/crm-invoices``, else ``~/.cache/crm-invoices``), unless
   ``ODOO_SOURCE`` names another source than the one it came from;
4. a new install into that cache from ``ODOO_SOURCE`` (an Odoo 18.0 source
   tree, a ``.tar.gz``/``.zip`` archive of one, or an http(s) URL of such an
   archive), by default Odoo's official 18.0 source archive: the source (a
   tree is used where it is, an archive is unpacked), a virtualenv with
   Odoo's requirements, and an ``odoo`` launcher.

Command line (the shell scripts read its standard output)::

    python3 tools/odoo_env.py locate     # prints ODOO_BIN=... lines, or fails
                                         # with one line saying how to fix it
"""

import argparse
import contextlib
import fcntl
import json
import os
import shlex
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.error
import urllib.request
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

MAJOR = "18.0"
DEFAULT_SOURCE = "https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.latest.tar.gz"
MARKER = "provisioned.json"
DOWNLOAD_TIMEOUT = 60
#: Python packages the addons' tests need besides Odoo's requirements.
EXTRA_REQUIREMENTS = ("phonenumbers", "websocket-client")
#: Odoo requirements left out: ``python-ldap`` only serves ``auth_ldap`` and
#: needs the LDAP and SASL headers to build.
SKIPPED_REQUIREMENTS = ("python-ldap",)
#: cbor2 5.4.2 (Odoo's pin for Python 3.11) does not build with setuptools 70+.
BUILD_CONSTRAINTS = "setuptools<70\n"
FIX_HINT = (
    "set ODOO_SOURCE to an Odoo 18.0 source tree, archive or URL "
    "(or ODOO_BIN to an odoo executable), or run `docker compose run --rm tests`"
)


class NoOdoo(Exception):
    """No Odoo 18 could be found or installed; the message says why, in one line."""


@dataclass
class Odoo:
    bin: str
    python: str
    version: str
    origin: str
    #: addons folders outside ``odoo/addons`` (a git checkout's ``addons``)
    addons: str = ""

    def shell(self):
        """``KEY=value`` lines for ``eval`` in a shell."""
        return "".join(
            f"ODOO_{key.upper()}={shlex.quote(value)}\n"
            for key, value in asdict(self).items()
        )


# ---------------------------------------------------------------- decisions


def cache_dir(environ):
    root = environ.get("CRM_INVOICES_CACHE")
    if not root:
        xdg = environ.get("XDG_CACHE_HOME") or os.path.join(
            environ.get("HOME") or os.path.expanduser("~"), ".cache"
        )
        root = os.path.join(xdg, "crm-invoices")
    return Path(root) / f"odoo-{MAJOR}"


def read_marker(install_dir):
    """What a complete install in ``install_dir`` recorded, or ``None``."""
    try:
        marker = json.loads((Path(install_dir) / MARKER).read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(marker, dict) or not Path(marker.get("bin", "")).is_file():
        return None
    return marker


def normalize_source(source):
    """A source as it is compared with the recorded one (paths made absolute)."""
    if "://" in source:
        return source
    return str(Path(source).expanduser().resolve())


def choose(environ, which=shutil.which):
    """Decide where Odoo comes from, without touching anything.

    :return: ``("bin", path, origin)``, ``("cache", install_dir, origin)`` or
        ``("install", source, install_dir)``.
    """
    if environ.get("ODOO_BIN"):
        return ("bin", environ["ODOO_BIN"], "ODOO_BIN")
    on_path = which("odoo", path=environ.get("PATH"))
    if on_path:
        return ("bin", on_path, "the odoo command on PATH")
    install_dir = cache_dir(environ)
    wanted = environ.get("ODOO_SOURCE")
    marker = read_marker(install_dir)
    if marker and (not wanted or normalize_source(wanted) == marker.get("source")):
        return ("cache", install_dir, f"the cache {install_dir}")
    return ("install", normalize_source(wanted or DEFAULT_SOURCE), install_dir)


def python_of(executable):
    """The interpreter that runs a Python script (read from its shebang)."""
    try:
        with open(executable, "rb") as script:
            first = script.readline().decode(errors="replace").strip()
    except OSError:
        return None
    if not first.startswith("#!"):
        return None
    words = first[2:].split()
    if not words:
        return None
    if os.path.basename(words[0]) == "env":
        words = [word for word in words[1:] if not word.startswith("-")]
        return shutil.which(words[0]) if words else None
    return words[0]


def odoo_version(executable):
    """``18.0-20250506`` from ``odoo --version``, or ``None``."""
    try:
        done = subprocess.run(
            [executable, "--version"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    for line in done.stdout.splitlines():
        if line.startswith("Odoo Server "):
            return line.removeprefix("Odoo Server ").strip()
    return None


def check(executable, origin, python=None):
    if not os.access(executable, os.X_OK):
        raise NoOdoo(f"{origin} names {executable}, which is not an executable")
    version = odoo_version(executable)
    if not version:
        raise NoOdoo(f"{executable} ({origin}) does not answer `--version` as Odoo")
    if not version.startswith(MAJOR):
        raise NoOdoo(f"{executable} ({origin}) is Odoo {version}, not {MAJOR}")
    python = python or os.environ.get("ODOO_PYTHON") or python_of(executable)
    if not python:
        raise NoOdoo(f"cannot tell which Python runs {executable}: set ODOO_PYTHON")
    return Odoo(bin=str(executable), python=python, version=version, origin=origin)


# ---------------------------------------------------------------- installing


def find_tree(folder):
    """The Odoo source tree in ``folder`` (itself, or its only subfolder)."""
    folder = Path(folder)
    candidates = [folder] + sorted(p for p in folder.iterdir() if p.is_dir())
    for candidate in candidates:
        if (candidate / "odoo" / "release.py").is_file() and (
            candidate / "requirements.txt"
        ).is_file():
            return candidate
    return None


def download(url, target):
    log(f"Downloading {url}")
    try:
        with (
            urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT) as answer,  # noqa: S310
            open(target, "wb") as file,
        ):
            shutil.copyfileobj(answer, file, 1 << 20)
    except (OSError, urllib.error.URLError, ValueError) as error:
        raise NoOdoo(f"cannot download {url} ({error})") from error


def unpack(archive, target):
    log(f"Unpacking {archive}")
    try:
        if zipfile.is_zipfile(archive):
            with zipfile.ZipFile(archive) as content:
                content.extractall(target)
        else:
            with tarfile.open(archive) as content:
                try:
                    content.extractall(target, filter="data")
                except TypeError:  # a Python without extraction filters
                    content.extractall(target)  # noqa: S202
    except (OSError, tarfile.TarError, zipfile.BadZipFile) as error:
        raise NoOdoo(f"{archive} is not a readable archive ({error})") from error


def obtain_source(source, install_dir):
    """The source tree of ``source``: a tree where it is, an archive unpacked."""
    if "://" not in source and Path(source).is_dir():
        tree = find_tree(source)
        if not tree:
            raise NoOdoo(f"{source} holds no Odoo source (odoo/release.py)")
        return tree
    src = install_dir / "src"
    shutil.rmtree(src, ignore_errors=True)
    src.mkdir(parents=True)
    with tempfile.TemporaryDirectory(dir=install_dir) as scratch:
        archive = source
        if "://" in source:
            archive = os.path.join(scratch, "odoo.archive")
            download(source, archive)
        elif not Path(source).is_file():
            raise NoOdoo(f"ODOO_SOURCE {source} does not exist")
        unpack(archive, src)
    tree = find_tree(src)
    if not tree:
        raise NoOdoo(f"{source} holds no Odoo source (odoo/release.py)")
    return tree


def run(command, **kwargs):
    log("$ " + " ".join(shlex.quote(str(part)) for part in command))
    done = subprocess.run(command, check=False, **kwargs)
    if done.returncode:
        raise NoOdoo(
            f"`{' '.join(map(str, command[:4]))} …` failed ({done.returncode})"
        )


def requirements_for(tree, target):
    """Odoo's requirements file without what :data:`SKIPPED_REQUIREMENTS` lists."""
    lines = (Path(tree) / "requirements.txt").read_text().splitlines()
    kept = [
        line
        for line in lines
        if not any(
            line.strip().lower().startswith(name) for name in SKIPPED_REQUIREMENTS
        )
    ]
    Path(target).write_text("\n".join(kept + list(EXTRA_REQUIREMENTS)) + "\n")


def launcher(install_dir, python, tree):
    """An ``odoo`` executable run by the virtualenv's Python, where ``import
    odoo`` works (a ``.pth`` file puts the source tree on its path)."""
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(site, "odoo-source.pth").write_text(f"{tree}\n")
    path = install_dir / "bin" / "odoo"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"#!{python}\n"
        "# Odoo 18 installed by crm-invoices' tools/odoo_env.py\n"
        "__import__('os').environ['TZ'] = 'UTC'\n"
        "import odoo\n\n"
        "odoo.cli.main()\n"
    )
    path.chmod(0o755)
    return path


def install(source, install_dir, base_python=sys.executable):
    """Install Odoo from ``source`` into ``install_dir``; return its marker."""
    install_dir = Path(install_dir)
    install_dir.mkdir(parents=True, exist_ok=True)
    (install_dir / MARKER).unlink(missing_ok=True)
    tree = obtain_source(source, install_dir)
    if not (tree / "odoo-bin").is_file():
        raise NoOdoo(f"{tree} has no odoo-bin")
    venv = install_dir / "venv"
    shutil.rmtree(venv, ignore_errors=True)
    run([base_python, "-m", "venv", venv])
    python = venv / "bin" / "python"
    requirements = install_dir / "requirements.txt"
    requirements_for(tree, requirements)
    constraints = install_dir / "build-constraints.txt"
    constraints.write_text(BUILD_CONSTRAINTS)
    # PIP_CONSTRAINT reaches the isolated build environments too.
    env = dict(os.environ, PIP_CONSTRAINT=str(constraints))
    run([python, "-m", "pip", "install", "-q", "-r", requirements], env=env)
    odoo = launcher(install_dir, python, tree)
    version = odoo_version(odoo)
    if not version or not version.startswith(MAJOR):
        raise NoOdoo(f"the Odoo installed from {source} is {version}, not {MAJOR}")
    marker = {
        "source": source,
        "tree": str(tree),
        "bin": str(odoo),
        "python": str(python),
        "version": version,
    }
    (install_dir / MARKER).write_text(json.dumps(marker, indent=2) + "\n")
    return marker


@contextlib.contextmanager
def locked(install_dir):
    """One installer at a time per cache (two test runs may start together)."""
    install_dir.parent.mkdir(parents=True, exist_ok=True)
    with open(install_dir.parent / f"odoo-{MAJOR}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def locate(environ=None):
    """The Odoo to use (installing it when needed); raises :class:`NoOdoo`."""
    environ = os.environ if environ is None else environ
    kind, where, detail = choose(environ)
    if kind == "bin":
        return check(where, detail, environ.get("ODOO_PYTHON"))
    install_dir = where if kind == "cache" else detail
    with locked(install_dir):
        kind, where, detail = choose(environ)  # another run may have installed it
        if kind == "install":
            log(f"No Odoo {MAJOR} here: installing one from {where} into {detail}")
            try:
                install(where, detail)
            except NoOdoo as error:
                raise NoOdoo(f"no Odoo {MAJOR}: {error}; {FIX_HINT}") from error
        marker = read_marker(install_dir)
    origin = f"{install_dir}, installed from {marker['source']}"
    odoo = check(marker["bin"], origin, marker["python"])
    odoo.addons = extra_addons(marker["tree"])
    return odoo


def extra_addons(tree):
    """A git checkout keeps most addons in ``<tree>/addons``, beside ``odoo/``
    (a source archive has them all in ``odoo/addons``)."""
    folder = Path(tree) / "addons"
    return str(folder) if (folder / "account" / "__manifest__.py").is_file() else ""


def log(message):
    print(message, file=sys.stderr, flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["locate"])
    parser.parse_args(argv)
    try:
        odoo = locate()
    except NoOdoo as error:
        message = str(error)
        if FIX_HINT not in message:
            message = f"{message}; {FIX_HINT}"
        print(message, file=sys.stderr)
        return 2
    sys.stdout.write(odoo.shell())
    return 0


if __name__ == "__main__":
    sys.exit(main())
