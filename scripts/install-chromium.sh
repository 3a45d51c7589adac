#!/usr/bin/env bash
# Installs Debian's chromium for the status page's browser tests (tests/ClaudeActors.BrowserTests) when it is missing.
# Playwright drives it headless through ExecutablePath; it downloads no browser of its own. Prints the binary's path.
set -euo pipefail

log() {
    echo "install-chromium: $*" >&2
}

fail() {
    echo "install-chromium: error: $*" >&2
    exit 1
}

find_chromium() {
    local candidate
    for candidate in /usr/bin/chromium "$(command -v chromium 2>/dev/null || true)"; do
        if [[ -n "$candidate" && -x "$candidate" ]]; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

if found="$(find_chromium)"; then
    log "found $found ($("$found" --version 2>/dev/null || echo 'version unknown'))"
    echo "$found"
    exit 0
fi

# shellcheck source=lib/apt-install.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/apt-install.sh"
log "chromium not found; installing Debian's chromium package"
start=$SECONDS
apt_install chromium chromium
found="$(find_chromium)" || fail "the chromium package installed, but no chromium binary is on the PATH"
log "installed $found in $((SECONDS - start)) s"
echo "$found"
