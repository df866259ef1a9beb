"""The helper process of :class:`validation.IsolatedValidator`.

Run as ``python validation_worker.py <folder>``: compiles the validator of
the folder once, says ``ready``, then answers each document read from stdin
with its findings (4-byte big-endian length + payload, both ways) until
stdin closes.  It imports nothing of Odoo.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import validation  # noqa: E402


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
