"""The command line every benchmark shares: its database, its size, and
Odoo's own options after ``--``."""

import argparse


def parser(doc, database, invoices=None):
    """A benchmark's parser: ``--database`` (default ``database``) and, when
    it seeds invoices, ``--invoices`` (default ``invoices``); add its own
    options, then :func:`parse`."""
    result = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    result.add_argument("--database", default=database)
    if invoices is not None:
        result.add_argument("--invoices", type=int, default=invoices)
    return result


def parse(parser):
    """The options, with what follows ``--`` as ``odoo_args``."""
    parser.add_argument("odoo_args", nargs="*", help="options for Odoo, after --")
    return parser.parse_args()
