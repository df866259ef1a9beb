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
            f"odoo.addons.{addon}.lib.{info.name}"
            for info in pkgutil.iter_modules([str(lib)])
        ]
    assert modules
    # the lib modules import each other as Odoo names them; here, only the
    # bare packages conftest registers stand for Odoo: no module of Odoo's is
    # loaded
    script = (
        f"import sys, importlib; sys.path.insert(0, {str(ROOT / 'tests')!r})\n"
        "import conftest, addon_packages\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "odoo = [m for m in sys.modules if m == 'odoo' or m.startswith('odoo.')]\n"
        "real = [m for m in odoo if '.lib' not in m\n"
        "        and not addon_packages.is_stub(sys.modules[m])]\n"
        "assert not real, real\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    for name in modules:
        importlib.import_module(name)
