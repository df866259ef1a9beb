"""The addons' ``lib`` packages under the names Odoo gives them --
``odoo.addons.<addon>.lib`` -- where Odoo does not run: the database-free
tests and the e-Factura validation helper process.

A ``lib`` module imports another addon's ``lib`` plainly, as Odoo names it
(``from odoo.addons.crm_invoices.lib import safe_xml``).  In Odoo that is the
loaded addon; elsewhere :func:`register` first puts bare packages in
``sys.modules`` -- ``odoo``, ``odoo.addons`` and one per addon folder --
whose ``__init__`` is never run, so importing a ``lib`` module loads that
module and the ``lib`` modules it imports, and nothing of Odoo.
"""

import sys
import types
from pathlib import Path

#: Set on the bare packages :func:`register` makes.
STUB = "__crm_invoices_stub__"


def _package(name, path):
    package = types.ModuleType(name)
    package.__path__ = path
    setattr(package, STUB, True)
    return package


def register(root):
    """Bare packages for ``odoo``, ``odoo.addons`` and each addon folder of
    ``root`` (a folder holding ``<addon>/__manifest__.py``), unless Odoo
    itself is loaded.

    :return: the names of the addons registered
    """
    loaded = sys.modules.get("odoo")
    if loaded is not None and not getattr(loaded, STUB, False):
        return []
    odoo = sys.modules.setdefault("odoo", _package("odoo", []))
    addons = sys.modules.setdefault("odoo.addons", _package("odoo.addons", []))
    odoo.addons = addons
    names = []
    for manifest in sorted(Path(root).glob("*/__manifest__.py")):
        name = manifest.parent.name
        full = f"odoo.addons.{name}"
        if full not in sys.modules:
            sys.modules[full] = _package(full, [str(manifest.parent)])
            setattr(addons, name, sys.modules[full])
        names.append(name)
    return names


def is_stub(module):
    """Whether ``module`` is one of the bare packages of :func:`register`."""
    return bool(getattr(module, STUB, False))
