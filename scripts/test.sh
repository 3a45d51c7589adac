#!/usr/bin/env bash
# The one test command (README "Testing"; .ci/run calls it). Installs what the tests need, then runs every test:
# unit tests, and integration tests that drive the real, pinned Claude CLI against a fake upstream on loopback.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

"$root/scripts/install-claude-cli.sh"

# The journal tests and the session persistence tests run on PostgreSQL as well as SQLite.
pg="$("$root/scripts/start-postgres.sh" | tail -n 1)"
export CLAUDE_ACTORS_TEST_POSTGRES="$pg"

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
dotnet build "$root/ClaudeActors.sln" --configuration Release --nologo 2>&1 | tee "$log" || status=$?
for project in UnitTests IntegrationTests; do
    dotnet test "$root/tests/ClaudeActors.$project" --configuration Release --nologo --no-build "$@" 2>&1 | tee -a "$log" ||
        status=$?
done

# The same integration suite once more with every gateway's journal on PostgreSQL.
CLAUDE_ACTORS_TEST_JOURNAL=PostgreSql dotnet test "$root/tests/ClaudeActors.IntegrationTests" --configuration Release \
    --nologo --no-build "$@" 2>&1 | tee -a "$log" || status=$?

# The cluster tests once, on PostgreSQL: three server processes behind nginx (Debian's package, installed when missing).
"$root/scripts/install-nginx.sh"
dotnet test "$root/tests/ClaudeActors.ClusterTests" --configuration Release --nologo --no-build "$@" 2>&1 | tee -a "$log" ||
    status=$?

# The status page in a real browser, once: Debian's chromium (installed when missing), headless, driven by Playwright.
"$root/scripts/install-chromium.sh" >/dev/null || status=$?
dotnet test "$root/tests/ClaudeActors.BrowserTests" --configuration Release --nologo --no-build "$@" 2>&1 | tee -a "$log" ||
    status=$?

# Each failed test's message and stack trace once more at the end, shortened, where a log tail still shows them.
awk '/^  Failed [^ ]/ { if (!seen++) print "\n==== Failed tests (the whole output is above)"; show = 1; n = 0; print; next }
     /^  Standard Output Messages:/ || /^  (Passed|Skipped) [^ ]/ { show = 0 }
     /^  Stack Trace:/ { n = 0 }
     show && n++ < 20 { print substr($0, 1, 300) }' "$log"

# One closing line for the whole run, summed over the test projects.
awk '/^(Passed|Failed)!/ {
        for (i = 1; i <= NF; i++) {
            gsub(",", "", $(i + 1))
            if ($i == "Failed:") f += $(i + 1)
            if ($i == "Passed:") p += $(i + 1)
            if ($i == "Skipped:") s += $(i + 1)
        }
     }
     END { printf "Total: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
