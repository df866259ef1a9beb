"""Make the addons' plain-Python ``lib`` packages importable without Odoo.

An addon's ``__init__`` imports ``odoo``; the ``lib`` packages must not.  Each
addon is registered as a bare package (its ``__init__`` is not executed), so
``import crm_invoices.lib.invoice_status`` loads only that module.
"""

import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDONS = sorted(
    path.parent.name
    for path in ROOT.glob("*/__manifest__.py")
    if (path.parent / "lib").is_dir()
)

for _addon in ADDONS:
    if _addon not in sys.modules:
        _package = types.ModuleType(_addon)
        _package.__path__ = [str(ROOT / _addon)]
        sys.modules[_addon] = _package
