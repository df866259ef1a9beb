"""The helper process of :class:`validation.IsolatedValidator`.

Run as ``python validation_worker.py <folder>``: compiles the validator of
the folder once, says ``ready``, then answers each document read from stdin
with its findings (4-byte big-endian length + payload, both ways) until
stdin closes.  It imports nothing of Odoo.
"""

import os
import sys

# the addons' lib packages as Odoo names them, without Odoo: the folders of
# the addons path that hold them (CRM_ADDON_ROOTS, set by the server), else
# the folder beside this addon
ROOTS = os.environ.get("CRM_ADDON_ROOTS", "").split(os.pathsep) + [
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
]
ROOTS = [root for root in ROOTS if root]
BASE = next(
    root for root in ROOTS if os.path.isdir(os.path.join(root, "crm_invoices", "lib"))
)
sys.path.insert(0, os.path.join(BASE, "crm_invoices", "lib"))
import addon_packages  # noqa: E402

sys.path.pop(0)
for root in ROOTS:
    addon_packages.register(root)

from odoo.addons.crm_invoices_efactura.lib import validation  # noqa: E402


def main(folder):
    checker = validation.Validator(folder)
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    validation._send(stdout, b"ready")
    while True:
        document = validation._receive(stdin)
        if document is None:
            return 0
        validation._send(
            stdout, validation.findings_to_json(checker.validate(document))
        )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
