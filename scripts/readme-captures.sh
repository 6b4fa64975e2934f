#!/usr/bin/env bash
# Regenerates every output block README.md shows (quick start, a failed account, the operator CLI session, accounts
# added at run time) by running the collector and collectorctl built from this tree against private Dovecots.
# Each generated block sits between `<!-- capture:NAME -->` and `<!-- /capture -->` in README.md and is replaced in
# place; nothing else in the file is touched. Rerun it and `git diff README.md` shows what the code now prints
# differently (plus the parts that change every run: times, durations, UIDLs and the Maildir names derived from them).
#   sudo bash scripts/readme-captures.sh            # rewrites README.md
#   sudo bash scripts/readme-captures.sh OTHER.md   # rewrites another copy
# Needs root (private Dovecot) and the .NET 10 SDK; installs the rest itself (scripts/install-test-deps.sh).
# Uses 127.0.0.1 ports 9310 (Akka), 9311 (command host) and 9312 (POP3): outside Linux's ephemeral range, so the
# addresses in the captures stay the same; it stops with a clear error when one is taken.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
README=$(realpath "${1:-README.md}")

if [[ $(id -u) -ne 0 ]]; then
  echo "readme-captures.sh: must run as root (it starts private Dovecots); try: sudo bash scripts/readme-captures.sh" >&2
  exit 1
fi

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 MSBUILDDISABLENODEREUSE=1
export PATH="$PATH:/usr/sbin:/sbin"
export CC_ARTIFACTS="${CC_ARTIFACTS:-/tmp/cc-readme-build}"

bash scripts/install-test-deps.sh

echo "readme-captures.sh: building collector, collectorctl and cc-bench (Release) into $CC_ARTIFACTS"
dotnet build bench/CollectorCluster.Bench/CollectorCluster.Bench.csproj -c Release --disable-build-servers -nologo -v q -clp:ErrorsOnly

BIN="$CC_ARTIFACTS/bin"
exec "$BIN/CollectorCluster.Bench/release/cc-bench" readme-captures --readme "$README" \
  --collector "$BIN/CollectorCluster.Node/release/collector" \
  --collectorctl "$BIN/CollectorCluster.Bench/release/collectorctl.dll" \
  --dir /tmp/collector-readme
