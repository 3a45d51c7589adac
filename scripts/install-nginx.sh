#!/usr/bin/env bash
# Installs Debian's nginx (nginx-light, else nginx) for the cluster tests when no nginx is on the machine. The tests
# run it themselves, as a child process with a generated configuration; this starts no service.
set -euo pipefail

log() {
    echo "install-nginx: $*" >&2
}

fail() {
    echo "install-nginx: error: $*" >&2
    exit 1
}

for candidate in "$(command -v nginx 2>/dev/null || true)" /usr/sbin/nginx /usr/local/sbin/nginx; do
    if [[ -n "$candidate" && -x "$candidate" ]]; then
        log "found $candidate ($("$candidate" -v 2>&1))"
        exit 0
    fi
done

command -v apt-get >/dev/null 2>&1 || fail "nginx is not installed and this is not a Debian-like system; install nginx"
as_root() {
    if [[ "$(id -u)" == 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        fail "nginx is not installed and there is no sudo to install it; run as root: apt-get install nginx-light"
    fi
}

log "nginx not found; installing Debian's nginx-light package"
start=$SECONDS
apt_log="$(mktemp)"
trap 'rm -f "$apt_log"' EXIT
as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$apt_log" 2>&1 || { tail -n 30 "$apt_log" >&2; fail "apt-get update failed"; }
# Debian 12 has nginx-light; later releases fold it into nginx.
if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light >>"$apt_log" 2>&1 &&
    ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >>"$apt_log" 2>&1; then
    tail -n 30 "$apt_log" >&2
    fail "installing nginx with apt-get failed (output above)"
fi
log "installed nginx in $((SECONDS - start)) s"
