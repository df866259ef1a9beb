"""``bin/serve``: the product without Docker -- Odoo 18 with every addon of
this repository (see ``bin/serve --help``).  What it needs from the machine
comes from :mod:`machine`, as for ``bin/test``.  Standard library only."""

import argparse
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import machine  # noqa: E402 - a sibling script, not a package
from machine import free_port, say  # noqa: E402

DB = "crm_invoices"


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="bin/serve", add_help=False)
    parser.add_argument("--port", type=int, default=8069)
    default = os.environ.get("CRM_INVOICES_DATA") or str(
        Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
        / "crm-invoices"
    )
    parser.add_argument("--data", default=default)
    parser.add_argument("-h", "--help", action="store_true")
    options, unknown = parser.parse_known_args(argv)
    if unknown:
        raise SystemExit(
            f"bin/serve: unknown option {unknown[0]} (see bin/serve --help)"
        )
    return options


def database_ready(odoo, postgres):
    """Whether the database exists with the Invoices app installed."""
    script = (
        "import sys, psycopg2\n"
        "args = dict(zip(sys.argv[2::2], sys.argv[3::2]))\n"
        "try:\n"
        "    conn = psycopg2.connect(dbname=sys.argv[1], host=args.get('--db_host'),"
        " port=args.get('--db_port'), user=args.get('--db_user'),"
        " password=args.get('--db_password'))\n"
        "    cr = conn.cursor()\n"
        '    cr.execute("SELECT state FROM ir_module_module'
        " WHERE name = 'crm_invoices'\")\n"
        "    row = cr.fetchone()\n"
        "except psycopg2.Error:\n"
        "    sys.exit(1)\n"
        "sys.exit(0 if row and row[0] == 'installed' else 1)\n"
    )
    done = subprocess.run(
        [odoo.python, "-c", script, DB, *postgres.args],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


def main(argv=None):
    try:
        options = parse_args(sys.argv[1:] if argv is None else argv)
    except SystemExit as error:
        print(error, file=sys.stderr)
        return 2
    if options.help:
        say(machine.usage("serve"))
        return 0
    data = Path(options.data).expanduser()
    data.mkdir(parents=True, exist_ok=True)
    data = data.resolve()
    odoo, missing = machine.locate_odoo()
    if missing:
        say(f"bin/serve: no Odoo 18: {missing}")
        return 1
    say(f"Odoo {odoo.version}: {odoo.bin} (Python {odoo.python}), from {odoo.origin}")
    pdf_missing = machine.wkhtmltopdf_missing()
    if pdf_missing:
        say(f"bin/serve: {pdf_missing}")
        return 1
    site = machine.odoo_site(odoo)
    oca = machine.oca_addons(odoo) if site else None
    if not (site and oca):
        say("bin/serve: the addons' requirements (Python, OCA addons) did not install")
        return 1
    postgres = machine.Postgres()
    why = postgres.start(data / "pg")
    if why:
        say(f"bin/serve: {why}")
        return 1
    try:
        addons = ",".join(machine.installable_addons())
        modules = ",".join([addons, *machine.DEMO_MODULES])
        if database_ready(odoo, postgres):
            say(f"Database {DB} found: updating {addons}")
            first = ["-i", modules, "-u", addons, "--load-language=en_US"]
        else:
            say(f"Database {DB}: creating it with {addons} and the demo data")
            # the first language is the default of new partners: English,
            # with Romanian active beside it
            first = ["-i", modules, "--load-language=en_US,ro_RO"]
        say(f"Odoo on http://localhost:{options.port} (admin / admin); Ctrl-C stops it")
        # -d without --db-filter: Odoo serves that database without listing
        # the server's databases on each request without a session (the API's)
        status = subprocess.run(
            [
                odoo.bin,
                f"--addons-path={machine.addons_path(odoo, oca)}",
                f"--data-dir={data / 'odoo'}",
                *postgres.args,
                "-d",
                DB,
                f"--http-port={options.port}",
                f"--gevent-port={free_port()}",
                *first,
            ],
            env=machine.odoo_environ(site),
            check=False,
        ).returncode
    except KeyboardInterrupt:
        status = 130
    finally:
        say("Stopping PostgreSQL")
        postgres.stop()
    return status


if __name__ == "__main__":
    sys.exit(main())
