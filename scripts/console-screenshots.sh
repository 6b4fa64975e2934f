#!/usr/bin/env bash
# Regenerates the web console pictures README.md shows (docs/console/mailboxes.png, docs/console/collector-window.png)
# by running the browser test that drives the console end to end: Debian's Chromium through Playwright against a real
# `collector run` and a private Dovecot (tests/CollectorCluster.WebTests/ConsoleBrowserTests.cs). Every other page's
# screenshot lands in the test's results directory, printed at the end.
#   sudo bash scripts/console-screenshots.sh
# Needs root (private Dovecot) and the .NET 10 SDK; installs the rest (Chromium included) with scripts/install-test-deps.sh.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)

if [[ $(id -u) -ne 0 ]]; then
  echo "console-screenshots.sh: must run as root (it starts a private Dovecot); try: sudo bash scripts/console-screenshots.sh" >&2
  exit 1
fi

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 MSBUILDDISABLENODEREUSE=1
export PATH="$PATH:/usr/sbin:/sbin"
export CC_ARTIFACTS="${CC_ARTIFACTS:-/tmp/cc-screenshots-build}"
export CC_TEST_RESULTS="${CC_TEST_RESULTS:-$(mktemp -d "${TMPDIR:-/tmp}/cc-screenshots.XXXXXX")}"
export CC_DOCS_SCREENSHOTS="$ROOT/docs/console"

bash scripts/install-test-deps.sh
dotnet test tests/CollectorCluster.WebTests -c Release --disable-build-servers \
  --filter "FullyQualifiedName~ConsoleBrowserTests.An_operator_adds_an_account" --results-directory "$CC_TEST_RESULTS"
echo "console-screenshots.sh: README pictures in $CC_DOCS_SCREENSHOTS; every page in $CC_TEST_RESULTS/screenshots:"
ls -1 "$CC_TEST_RESULTS/screenshots"
