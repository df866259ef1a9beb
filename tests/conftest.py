"""Make the addons' plain-Python ``lib`` packages importable without Odoo,
under the names Odoo gives them (``odoo.addons.<addon>.lib``).

An addon's ``__init__`` imports Odoo; its ``lib`` package must not.
:func:`addon_packages.register` puts a bare package in ``sys.modules`` for
``odoo``, ``odoo.addons`` and each addon (their ``__init__`` is never run),
so ``from odoo.addons.crm_invoices.lib import invoice_status`` loads only
that module and the ``lib`` modules it imports.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "crm_invoices" / "lib"))

import addon_packages  # noqa: E402 - beside the lib modules, plain Python

sys.path.pop(0)
addon_packages.register(ROOT)

ADDONS = sorted(
    path.parent.name
    for path in ROOT.glob("*/__manifest__.py")
    if (path.parent / "lib").is_dir()
)
