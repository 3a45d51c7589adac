#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the tests: its own cluster under <repo>/.tools/postgres, listening on
# 127.0.0.1 only (port 55432 unless CLAUDE_ACTORS_POSTGRES_PORT says otherwise), trust auth, fsync off.
# Installs Debian's postgresql package first when no PostgreSQL is on the machine.
# Idempotent: when the server already runs, it only prints the connection string.
#
# Everything is logged to stderr; the last (and only) line on stdout is the Npgsql connection string:
#   export CLAUDE_ACTORS_TEST_POSTGRES="$(scripts/start-postgres.sh | tail -n 1)"
# Stop it with scripts/stop-postgres.sh; delete .tools/postgres to start from an empty cluster.
set -euo pipefail

port="${CLAUDE_ACTORS_POSTGRES_PORT:-55432}"
connection_string="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"

log() {
    echo "start-postgres: $*" >&2
}

fail() {
    echo "start-postgres: error: $*" >&2
    exit 1
}

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$script_dir/.." && pwd)"
[[ -f "$repo_root/ClaudeActors.sln" ]] || fail "cannot find ClaudeActors.sln in $repo_root"
base_dir="$repo_root/.tools/postgres"
data_dir="$base_dir/data"
log_file="$base_dir/server.log"

# The newest PostgreSQL whose server binaries are installed: Debian keeps them in /usr/lib/postgresql/<n>/bin,
# off PATH; elsewhere initdb is on PATH.
find_bin_dir() {
    local dir
    dir="$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/initdb' 2>/dev/null | sort -V | tail -n 1)"
    if [[ -n "$dir" ]]; then
        dirname "$dir"
    elif command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
    fi
}

# shellcheck source=lib/apt-install.sh
source "$script_dir/lib/apt-install.sh"

install_postgres() {
    log "PostgreSQL not found; installing Debian's postgresql package"
    local start=$SECONDS
    apt_install PostgreSQL postgresql
    log "installed PostgreSQL in $((SECONDS - start)) s"
}

bin_dir="$(find_bin_dir)"
if [[ -z "$bin_dir" ]]; then
    install_postgres
    bin_dir="$(find_bin_dir)"
    [[ -n "$bin_dir" ]] || fail "installed postgresql but found no initdb under /usr/lib/postgresql/*/bin"
fi

# initdb and the server refuse to run as root: as root they run as the postgres user (Debian's package creates it).
if [[ "$(id -u)" == 0 ]]; then
    owner="postgres"
    id -u "$owner" >/dev/null 2>&1 || fail "running as root but there is no '$owner' user to own the cluster"
    run_as_owner() {
        # From /, so initdb does not trip over a working directory the owner cannot read (root's home).
        (cd / && runuser -u "$owner" -- "$@")
    }
else
    owner="$(id -un)"
    run_as_owner() {
        "$@"
    }
fi

if run_as_owner "$bin_dir/pg_ctl" status -D "$data_dir" >/dev/null 2>&1; then
    log "already running ($data_dir, port $port)"
    echo "$connection_string"
    exit 0
fi

mkdir -p "$base_dir"
if [[ "$(id -u)" == 0 ]]; then
    chown "$owner:" "$base_dir"
    chmod 700 "$base_dir"
    run_as_owner test -w "$base_dir" ||
        fail "user '$owner' cannot write $base_dir: a folder above it is closed to other users (give it o+x)"
fi

if [[ ! -f "$data_dir/PG_VERSION" ]]; then
    log "creating a cluster in $data_dir"
    rm -rf "$data_dir"
    run_as_owner "$bin_dir/initdb" --pgdata="$data_dir" --username=postgres --auth=trust \
        --encoding=UTF8 --locale=C --no-sync >"$base_dir/initdb.log" 2>&1 ||
        fail "initdb failed; see $base_dir/initdb.log"
    # Loopback only, no Unix socket (its path would depend on the repository's location), no durability:
    # the cluster holds test data alone.
    cat >>"$data_dir/postgresql.conf" <<EOF

# scripts/start-postgres.sh: a throwaway test server.
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = ''
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
fi

log "starting PostgreSQL ($("$bin_dir/postgres" --version)) on 127.0.0.1:$port"
if ! run_as_owner "$bin_dir/pg_ctl" start -D "$data_dir" -l "$log_file" -w -t 60 -o "-p $port" >&2; then
    tail -n 20 "$log_file" >&2 || true
    fail "the server did not start; see $log_file (is port $port taken?)"
fi

echo "$connection_string"
