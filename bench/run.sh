#!/usr/bin/env bash
# Builds collector and the bench tool (Release) and runs a benchmark against a private Dovecot.
#   sudo bash bench/run.sh                    # collect-1000, 3 rounds, results in bench/results/
#   sudo bash bench/run.sh --rounds 5         # more rounds (extra options go to cc-bench collect-1000)
#   BENCH=tokens-200x5 bash bench/run.sh      # 200 accounts x 5 messages: collector (cap 10) vs fetchmail and mpop
#   BENCH=quickstart bash bench/run.sh        # any other cc-bench verb
# Needs root (the private Dovecot binds ports and switches users). Installs mpop and GNU time if missing.
# Build outputs go to $CC_ARTIFACTS (default /tmp/cc-bench), apart from the test suite's.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)

if [[ $(id -u) -ne 0 ]]; then
  echo "bench/run.sh: must run as root (private Dovecot); try: sudo bash bench/run.sh" >&2
  exit 1
fi

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 MSBUILDDISABLENODEREUSE=1
export PATH="$PATH:/usr/sbin:/sbin"
export CC_ARTIFACTS="${CC_ARTIFACTS:-/tmp/cc-bench}"

# Dovecot, mpop, openssl and the mail user, as for the test suite.
bash scripts/install-test-deps.sh
if [[ ! -x /usr/bin/time || ! -x /usr/bin/mpop || ! -x /usr/bin/fetchmail ]]; then
  echo "bench/run.sh: installing mpop, fetchmail and time"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends mpop fetchmail time >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends mpop fetchmail time >/dev/null; }
fi

echo "bench/run.sh: building Release into $CC_ARTIFACTS"
dotnet build bench/CollectorCluster.Bench/CollectorCluster.Bench.csproj -c Release --disable-build-servers -nologo -v q -clp:ErrorsOnly

BENCH_BIN="$CC_ARTIFACTS/bin/CollectorCluster.Bench/release/cc-bench"
COLLECTOR_BIN="$CC_ARTIFACTS/bin/CollectorCluster.Node/release/collector"
[[ -x "$BENCH_BIN" ]] || BENCH_BIN="$ROOT/bench/CollectorCluster.Bench/bin/Release/net10.0/cc-bench"
[[ -x "$COLLECTOR_BIN" ]] || COLLECTOR_BIN="$ROOT/src/CollectorCluster.Node/bin/Release/net10.0/collector"

# The collector as deployed: published ReadyToRun (precompiled), which takes most JIT work out of start-up.
# CC_BENCH_JIT=1 measures the plain build instead.
if [[ "${CC_BENCH_JIT:-0}" != 1 ]]; then
  echo "bench/run.sh: publishing collector ReadyToRun into $CC_ARTIFACTS/publish-r2r"
  dotnet publish src/CollectorCluster.Node/CollectorCluster.Node.csproj -c Release -r linux-x64 --self-contained false \
    -p:PublishReadyToRun=true -o "$CC_ARTIFACTS/publish-r2r" --disable-build-servers -nologo -v q -clp:ErrorsOnly
  COLLECTOR_BIN="$CC_ARTIFACTS/publish-r2r/collector"
fi

VERB="${BENCH:-collect-1000}"
export CC_BENCH_COMMAND="${CC_BENCH_COMMAND:-bash bench/run.sh${*:+ $*}}"
if [[ "$VERB" == collect-* || "$VERB" == tokens-* ]]; then
  exec "$BENCH_BIN" "$VERB" --collector "$COLLECTOR_BIN" --results "$ROOT/bench/results" "$@"
else
  exec "$BENCH_BIN" "$VERB" --collector "$COLLECTOR_BIN" "$@"
fi
