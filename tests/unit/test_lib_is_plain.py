import importlib
import pkgutil
import subprocess
import sys

from conftest import ADDONS, ROOT


def test_lib_packages_exist():
    assert "crm_invoices" in ADDONS


def test_no_lib_module_imports_odoo():
    """Every ``<addon>/lib`` module imports in a fresh interpreter without odoo."""
    modules = []
    for addon in ADDONS:
        lib = ROOT / addon / "lib"
        modules += [
            f"{addon}.lib.{info.name}" for info in pkgutil.iter_modules([str(lib)])
        ]
    assert modules
    script = (
        f"import sys, importlib; sys.path.insert(0, {str(ROOT / 'tests')!r})\n"
        "import conftest\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "assert not any(m == 'odoo' or m.startswith('odoo.') for m in sys.modules), "
        "sorted(m for m in sys.modules if m.startswith('odoo'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    for name in modules:
        importlib.import_module(name)
