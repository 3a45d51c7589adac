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

# shellcheck source=lib/apt-install.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/apt-install.sh"
log "nginx not found; installing Debian's nginx-light package"
start=$SECONDS
# Debian 12 has nginx-light; later releases fold it into nginx.
apt_install nginx nginx-light nginx
log "installed nginx in $((SECONDS - start)) s"
