#!/usr/bin/env bash
# 10,000 accounts on one node against a private Dovecot with 10,000 users (most mailboxes empty): RSS per idle account,
# time until every account is scheduled, schedule lag p50/p99 over a compressed steady hour; writes bench/results/scale-10k.txt.
#   sudo bash bench/scale-10k.sh [--accounts N] [--check-every 2m] [--steady 12m] [--max-clients N] [--keep]
# Needs root (the private Dovecot). Build outputs go to $CC_ARTIFACTS (default /tmp/cc-bench).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
if [[ $(id -u) -ne 0 ]]; then
  echo "bench/scale-10k.sh: must run as root (private Dovecot)" >&2
  exit 1
fi

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 MSBUILDDISABLENODEREUSE=1
export PATH="$PATH:/usr/sbin:/sbin"
export CC_ARTIFACTS="${CC_ARTIFACTS:-/tmp/cc-bench}"
bash scripts/install-test-deps.sh
dotnet build bench/CollectorCluster.Bench/CollectorCluster.Bench.csproj -c Release --disable-build-servers -nologo -v q -clp:ErrorsOnly
BENCH_BIN="$CC_ARTIFACTS/bin/CollectorCluster.Bench/release/cc-bench"
[[ -x "$BENCH_BIN" ]] || BENCH_BIN="$ROOT/bench/CollectorCluster.Bench/bin/Release/net10.0/cc-bench"
export CC_BENCH_COMMAND="bash bench/scale-10k.sh${*:+ $*}"
exec "$BENCH_BIN" scale-10k --results "$ROOT/bench/results" "$@"
