#!/usr/bin/env bash
# Installs the pinned Claude Code CLI into <repo>/.tools/claude-cli for the integration tests.
# Idempotent: does nothing when the binary there already reports the pinned version.
# Usage: scripts/install-claude-cli.sh   (from any directory)
set -euo pipefail

CLAUDE_CLI_VERSION="2.1.328"

fail() {
    echo "install-claude-cli: error: $*" >&2
    exit 1
}

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$script_dir/.." && pwd)"
[[ -f "$repo_root/ClaudeActors.sln" ]] || fail "cannot find ClaudeActors.sln in $repo_root"
install_dir="$repo_root/.tools/claude-cli"

# The npm package ships the native binary as an optional dependency per platform.
case "$(uname -s)-$(uname -m)" in
    Linux-x86_64 | Linux-amd64) platform="linux-x64" ;;
    Linux-aarch64 | Linux-arm64) platform="linux-arm64" ;;
    Darwin-x86_64) platform="darwin-x64" ;;
    Darwin-arm64) platform="darwin-arm64" ;;
    *) fail "unsupported platform $(uname -s) $(uname -m)" ;;
esac
if [[ "$platform" == linux-* ]] && ldd --version 2>&1 | grep -qi musl; then
    platform="${platform}-musl"
fi
binary="$install_dir/node_modules/@anthropic-ai/claude-code-$platform/claude"

installed_version() {
    # "2.1.328 (Claude Code)" -> "2.1.328"; empty when missing or broken.
    if [[ -x "$binary" ]]; then
        "$binary" --version 2>/dev/null | awk 'NR == 1 { print $1 }' || true
    fi
}

current="$(installed_version)"
if [[ "$current" == "$CLAUDE_CLI_VERSION" ]]; then
    echo "install-claude-cli: $CLAUDE_CLI_VERSION already installed at $binary"
    "$binary" --version
    exit 0
fi

command -v npm >/dev/null 2>&1 || fail "npm not found on PATH; install Node.js (20 or later) and npm first"

if [[ -n "$current" ]]; then
    echo "install-claude-cli: found version $current, replacing it with $CLAUDE_CLI_VERSION"
else
    echo "install-claude-cli: installing @anthropic-ai/claude-code@$CLAUDE_CLI_VERSION into $install_dir"
fi

# Start from an empty folder with its own package.json, so npm neither reuses a stale tree nor
# walks up to some other package.json.
rm -rf "$install_dir"
mkdir -p "$install_dir"
printf '{\n  "name": "claude-cli-tool",\n  "private": true\n}\n' >"$install_dir/package.json"

# --ignore-scripts: the postinstall step is not needed, the binary comes from the optional dependency.
# Node 20 prints an EBADENGINE warning (the package asks for Node 22); the native binary does not care.
if ! npm install --prefix "$install_dir" --no-audit --no-fund --ignore-scripts --include=optional \
    --save-exact "@anthropic-ai/claude-code@$CLAUDE_CLI_VERSION"; then
    fail "npm install of @anthropic-ai/claude-code@$CLAUDE_CLI_VERSION failed (see the npm output above)"
fi

[[ -f "$binary" ]] || fail "npm finished but $binary is missing (optional dependency @anthropic-ai/claude-code-$platform not installed?)"
[[ -x "$binary" ]] || chmod +x "$binary" || fail "$binary is not executable"

current="$(installed_version)"
[[ "$current" == "$CLAUDE_CLI_VERSION" ]] || fail "$binary reports version '${current:-<nothing>}', expected $CLAUDE_CLI_VERSION"

echo "install-claude-cli: installed $binary"
"$binary" --version
