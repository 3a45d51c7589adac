# Sourced by the scripts that install a Debian package the tests need when it is missing (start-postgres.sh,
# install-nginx.sh, install-chromium.sh). The sourcing script defines fail().

# Runs a command as root: directly when root, else through sudo.
as_root() {
    if [[ "$(id -u)" == 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        fail "$* needs root and there is no sudo; run it as root"
    fi
}

# apt_install WHAT PACKAGE...: installs the first of the packages apt-get can install (Debian renames some between
# releases). apt's output goes to a log, shown only when every package failed.
apt_install() {
    local what="$1" package apt_log
    shift
    command -v apt-get >/dev/null 2>&1 ||
        fail "$what is not installed and this is not a Debian-like system; install it ($*)"
    apt_log="$(mktemp)"
    if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$apt_log" 2>&1; then
        tail -n 30 "$apt_log" >&2
        rm -f "$apt_log"
        fail "apt-get update failed (output above)"
    fi
    for package in "$@"; do
        if as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$package" \
            >>"$apt_log" 2>&1; then
            rm -f "$apt_log"
            return 0
        fi
    done
    tail -n 30 "$apt_log" >&2
    rm -f "$apt_log"
    fail "installing $what with apt-get failed (output above)"
}
