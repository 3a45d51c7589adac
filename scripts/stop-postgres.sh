#!/usr/bin/env bash
# Stops the throwaway PostgreSQL server that scripts/start-postgres.sh started. Does nothing when it is not running.
# The cluster stays in <repo>/.tools/postgres; delete that folder to start from an empty one next time.
set -euo pipefail

log() {
    echo "stop-postgres: $*" >&2
}

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$script_dir/.." && pwd)"
data_dir="$repo_root/.tools/postgres/data"

if [[ ! -f "$data_dir/PG_VERSION" ]]; then
    log "no cluster in $data_dir"
    exit 0
fi

pg_ctl="$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/pg_ctl' 2>/dev/null | sort -V | tail -n 1)"
pg_ctl="${pg_ctl:-$(command -v pg_ctl || true)}"
[[ -n "$pg_ctl" ]] || { log "error: pg_ctl not found"; exit 1; }

run_as_owner() {
    if [[ "$(id -u)" == 0 ]]; then
        (cd / && runuser -u "$(stat -c %U "$data_dir")" -- "$@")
    else
        "$@"
    fi
}

if ! run_as_owner "$pg_ctl" status -D "$data_dir" >/dev/null 2>&1; then
    log "not running"
    exit 0
fi
run_as_owner "$pg_ctl" stop -D "$data_dir" -m fast -w >&2
log "stopped"
