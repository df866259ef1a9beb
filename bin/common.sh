# Shared by bin/test and bin/serve (sourced, not run).
# Needs ROOT (the repository) set by the caller.

# runuser, initdb and friends live in sbin, which a minimal PATH may lack.
PATH=$PATH:/usr/sbin:/sbin

say() { printf '%s\n' "$*"; }
banner() { printf '\n===== %s =====\n' "$*"; }

find_python() {
    for candidate in python3 python3.13 python3.12 python3.11 python3.10; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

apt_install() {
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null 2>&1 ||
        { apt-get update -q >/dev/null 2>&1 &&
            DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null 2>&1; }
}

# wkhtmltopdf_ready: Odoo prints its PDF reports (the invoice) with
# wkhtmltopdf: install Debian's when it is missing and we can (root with
# apt-get).  On failure WKHTMLTOPDF_MISSING holds the one line that says why.
# Debian's build is not the patched-Qt one: crm_invoices then prints the
# company's header and footer inside the page (ir.actions.report).
wkhtmltopdf_ready() {
    WKHTMLTOPDF_MISSING=""
    command -v wkhtmltopdf >/dev/null 2>&1 && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "Installing wkhtmltopdf for the PDF reports"
        apt_install wkhtmltopdf fonts-dejavu-core
    fi
    command -v wkhtmltopdf >/dev/null 2>&1 && return 0
    WKHTMLTOPDF_MISSING="no wkhtmltopdf, so no PDF invoice: install it (Debian: apt install wkhtmltopdf; https://wkhtmltopdf.org) or use docker compose"
    return 1
}

as_pg() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# locate_odoo: sets ODOO (the executable), ODOO_PYTHON, ODOO_VERSION,
# ODOO_ORIGIN and ODOO_EXTRA_ADDONS, installing Odoo into the cache when the
# machine has none (tools/odoo_env.py).  On failure ODOO_MISSING holds the one
# line that says why and how to fix it.
locate_odoo() {
    local python out err
    ODOO_MISSING=""
    python=$(find_python) || {
        ODOO_MISSING="no Python 3.10+ to look for Odoo"
        return 1
    }
    err=$(mktemp)
    out=$("$python" "$ROOT/tools/odoo_env.py" locate 2> >(tee "$err" >&2))
    local status=$?
    wait
    if [ $status != 0 ] || [ -z "$out" ]; then
        ODOO_MISSING=$(tail -n 1 "$err")
        rm -f "$err"
        return 1
    fi
    rm -f "$err"
    eval "$out"
    ODOO=$ODOO_BIN
    ODOO_EXTRA_ADDONS=$ODOO_ADDONS
    say "Odoo $ODOO_VERSION: $ODOO (Python $ODOO_PYTHON), from $ODOO_ORIGIN"
}

# The addons path: the user's extra folders, a git checkout's addons, this
# repository.
addons_path() {
    local path=$ROOT
    [ -n "${ODOO_OCA_ADDONS:-}" ] && path="$path,$ODOO_OCA_ADDONS"
    [ -n "${ODOO_EXTRA_ADDONS:-}" ] && path="$ODOO_EXTRA_ADDONS,$path"
    [ -n "${ODOO_ADDONS_PATH:-}" ] && path="$ODOO_ADDONS_PATH,$path"
    echo "$path"
}

# pip_target NAME KEY REQUIREMENTS...: the cache folder NAME-KEY holding the
# REQUIREMENTS installed with `pip install --no-deps --target` (their
# dependencies are Odoo's own, never shadowed), installed once: into a
# temporary folder first, kept by whichever concurrent run finishes first.
# Prints the folder; fails when pip does.
pip_target() {
    local name=$1 key=$2 cache folder tmp req args=()
    shift 2
    cache="${XDG_CACHE_HOME:-$HOME/.cache}/crm-invoices"
    folder="$cache/$name-$key"
    if [ ! -f "$folder/.complete" ]; then
        say "Installing $(for req in "$@"; do printf '%s ' "${req#"$ROOT"/}"; done)into $folder" >&2
        mkdir -p "$cache"
        tmp=$(mktemp -d "$cache/$name-tmp.XXXXXX")
        for req in "$@"; do args+=(-r "$req"); done
        if ! "$ODOO_PYTHON" -m pip install -q --disable-pip-version-check --no-deps \
            --target "$tmp" "${args[@]}" >&2; then
            rm -rf "$tmp"
            return 1
        fi
        touch "$tmp/.complete"
        mv -T "$tmp" "$folder" 2>/dev/null || rm -rf "$tmp"
    fi
    echo "$folder"
}

# odoo_site: the Python packages the addons need that Odoo's requirements
# lack (requirements.txt, tests/odoo-requirements.txt), installed once per
# content and Python into the cache, never into Odoo's own Python.
# Sets ODOO_SITE; run Odoo through run_odoo_bin so that it sees them.
odoo_site() {
    local files=("$ROOT/requirements.txt" "$ROOT/tests/odoo-requirements.txt") key
    key=$( (cat "${files[@]}" 2>/dev/null; "$ODOO_PYTHON" -c 'import sys; print(sys.version)') |
        sha256sum | cut -c1-16)
    ODOO_SITE=$(pip_target site "$key" "${files[@]}") || { ODOO_SITE=""; return 1; }
}

# oca_addons: the OCA addons of requirements-oca.txt (their wheels require an
# `odoo` distribution that Odoo installs do not register), installed once per
# content into the cache.  Sets ODOO_OCA_ADDONS, the folder that addons_path adds.
oca_addons() {
    local key folder
    key=$(sha256sum <"$ROOT/requirements-oca.txt" | cut -c1-16)
    folder=$(pip_target oca "$key" "$ROOT/requirements-oca.txt") || {
        ODOO_OCA_ADDONS=""
        return 1
    }
    ODOO_OCA_ADDONS="$folder/odoo/addons"
}

# site_pythonpath: PYTHONPATH with the folder of odoo_site first.
site_pythonpath() {
    echo "${ODOO_SITE:-}${ODOO_SITE:+${PYTHONPATH:+:}}${PYTHONPATH:-}"
}

# run_odoo_bin ARGS...: Odoo, seeing the packages of odoo_site.
run_odoo_bin() {
    PYTHONPATH=$(site_pythonpath) "$ODOO" "$@"
}

# efactura_artifacts: the folder of ANAF's official e-Factura validation files
# (third-party data, never in this repository): CRM_EFACTURA_ARTIFACTS, else
# ../shared/efactura next to this checkout, else next to the repository it
# was cloned from.  Exported for the tests (empty when none is found: the
# e-Factura tests then fail and say so).
efactura_artifacts() {
    local candidate origin
    for candidate in "${CRM_EFACTURA_ARTIFACTS:-}" "$ROOT/../shared/efactura"; do
        if [ -n "$candidate" ] && [ -d "$candidate/ubl-2.1" ]; then
            CRM_EFACTURA_ARTIFACTS=$(cd "$candidate" && pwd)
            export CRM_EFACTURA_ARTIFACTS
            return 0
        fi
    done
    origin=$(git -C "$ROOT" config --get remote.origin.url 2>/dev/null || true)
    if [ -n "$origin" ] && [ -d "$origin/../shared/efactura/ubl-2.1" ]; then
        CRM_EFACTURA_ARTIFACTS=$(cd "$origin/../shared/efactura" && pwd)
        export CRM_EFACTURA_ARTIFACTS
        return 0
    fi
    export CRM_EFACTURA_ARTIFACTS=""
    return 1
}

# Odoo modules installed with ours in test and demo databases, never
# dependencies of ours: payment_demo's test provider pays the pay links.
DEMO_MODULES=payment_demo

installable_addons() {
    local addons=()
    for manifest in "$ROOT"/*/__manifest__.py; do
        [ -f "$manifest" ] || continue
        python3 -c "import ast, sys; sys.exit(not ast.literal_eval(open(sys.argv[1]).read()).get('installable', True))" \
            "$manifest" && addons+=("$(basename "$(dirname "$manifest")")")
    done
    local IFS=,
    echo "${addons[*]}"
}

# start_postgres DIR: use the server of the PG* variables when one answers,
# else run a cluster in DIR (created when missing: a throwaway one for the
# tests, a lasting one for bin/serve).  Sets DB_ARGS (Odoo's options) and
# PG_STARTED (the data folder of a cluster started here, to stop it).
start_postgres() {
    local dir=$1
    PG_STARTED=""
    if [ -n "${PGHOST:-}${PGPORT:-}${PGUSER:-}" ] && command -v psql >/dev/null 2>&1 &&
        psql -d postgres -Atc 'select 1' >/dev/null 2>&1; then
        DB_ARGS=()
        [ -n "${PGHOST:-}" ] && DB_ARGS+=(--db_host "$PGHOST")
        [ -n "${PGPORT:-}" ] && DB_ARGS+=(--db_port "$PGPORT")
        [ -n "${PGUSER:-}" ] && DB_ARGS+=(--db_user "$PGUSER")
        [ -n "${PGPASSWORD:-}" ] && DB_ARGS+=(--db_password "$PGPASSWORD")
        say "PostgreSQL: the server of the PG* variables (${PGHOST:-local}:${PGPORT:-5432})"
        return 0
    fi
    local pg_ctl
    pg_ctl=$(command -v pg_ctl 2>/dev/null || ls -d /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sort -V | tail -n 1)
    PG_BIN=$(dirname "$(readlink -f "${pg_ctl:-/nonexistent}")")
    if [ ! -x "$PG_BIN/initdb" ]; then
        say "No PostgreSQL answers and no initdb was found to start one"
        return 1
    fi
    if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
        say "Running as root without a postgres user: cannot start PostgreSQL"
        return 1
    fi
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        rm -rf "$dir/data"
        as_pg "$PG_BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/init.log" 2>&1 ||
            as_pg "$PG_BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 >"$dir/init.log" 2>&1 || {
            say "initdb failed:"
            tail -n 5 "$dir/init.log"
            return 1
        }
    fi
    local port
    port=$(free_port)
    local options="-p $port -k $dir -c listen_addresses=''"
    # A throwaway cluster may lose data on a crash; a lasting one may not.
    [ "${2:-}" = throwaway ] && options="$options -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o "$options" start >/dev/null || {
        say "PostgreSQL did not start:"
        tail -n 5 "$dir/server.log"
        return 1
    }
    PG_STARTED=$dir/data
    "$PG_BIN/psql" -h "$dir" -p "$port" -U postgres -d postgres -qAtc \
        "SELECT 1 FROM pg_roles WHERE rolname = 'crm_invoices'" | grep -q 1 ||
        "$PG_BIN/psql" -h "$dir" -p "$port" -U postgres -d postgres -qc \
            "CREATE ROLE crm_invoices LOGIN CREATEDB PASSWORD 'crm_invoices'" >/dev/null || return 1
    DB_ARGS=(--db_host "$dir" --db_port "$port" --db_user crm_invoices --db_password crm_invoices)
    say "PostgreSQL: a cluster in $dir (port $port)"
}

stop_postgres() {
    [ -n "${PG_STARTED:-}" ] || return 0
    as_pg "$PG_BIN/pg_ctl" -D "$PG_STARTED" -m "${1:-fast}" stop >/dev/null 2>&1
    PG_STARTED=""
}
