#!/usr/bin/env bash
# Issue 14: collector once (published ReadyToRun, as deploy/ ships it) beside a raw sequential client, mpop,
# fetchmail (MDA and BSMTP) and getmail6, against one private Dovecot on loopback, in one run of interleaved rounds.
# Scenarios: 1,000 mixed durable (+ POP3S), 5,000 first collection, 5,000 seen nothing new, 5,000 seen + 10 new,
# 200 accounts x 5 (cap 10), delete mode, 5,000 bulk; daemon-10: inside a running `collector run`, 5,000 seen + 10 new,
# a check asked for with collectorctl, timed by the collector's own session metrics. Writes bench/RESULTS.md, and
# refuses to from a tree with uncommitted changes (the report names the commit) or from fewer than 5 rounds.
#   sudo bash bench/peers.sh                               # 5 rounds, every scenario: writes bench/RESULTS.md
#   sudo bash bench/peers.sh --rounds 1                    # a quick trial: the report goes to /tmp/cc-peers-RESULTS.md
#   sudo bash bench/peers.sh --rounds 1 --scenarios mixed-1000,accounts-200x5
# Needs root (the private Dovecot binds ports and switches users). Build outputs go to $CC_ARTIFACTS (default /tmp/cc-bench).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)

if [[ $(id -u) -ne 0 ]]; then
  echo "bench/peers.sh: must run as root (private Dovecot); try: sudo bash bench/peers.sh" >&2
  exit 1
fi

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 MSBUILDDISABLENODEREUSE=1
export PATH="$PATH:/usr/sbin:/sbin"
export CC_ARTIFACTS="${CC_ARTIFACTS:-/tmp/cc-bench}"

# Only a full run (5 rounds or more, every scenario) from a clean tree is recorded in bench/RESULTS.md.
record=1
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in
    --scenarios | --tools | --trace) record=0 ;;
    --rounds) if (( ${args[$((i + 1))]:-0} < 5 )); then record=0; fi ;;
  esac
done

COMMIT=$(git -c safe.directory="$ROOT" rev-parse --short HEAD)
if [[ $record -eq 1 ]]; then
  DIRTY=$(git -c safe.directory="$ROOT" status --porcelain --untracked-files=normal | grep -v -E '^.. bench/RESULTS.md$' || true)
  if [[ -n "$DIRTY" ]]; then
    echo "bench/peers.sh: refusing to record results from a tree with uncommitted changes (HEAD $COMMIT):" >&2
    echo "$DIRTY" | head -n 20 >&2
    echo "commit them first (or run a trial: --rounds 1, which writes /tmp/cc-peers-RESULTS.md)" >&2
    exit 1
  fi
fi
echo "bench/peers.sh: commit $COMMIT"

# Dovecot, mpop, fetchmail, getmail6, GNU time and the mail user.
bash scripts/install-test-deps.sh

echo "bench/peers.sh: building Release into $CC_ARTIFACTS"
dotnet build bench/CollectorCluster.Bench/CollectorCluster.Bench.csproj -c Release --disable-build-servers -nologo -v q -clp:ErrorsOnly
BENCH_BIN="$CC_ARTIFACTS/bin/CollectorCluster.Bench/release/cc-bench"
[[ -x "$BENCH_BIN" ]] || BENCH_BIN="$ROOT/bench/CollectorCluster.Bench/bin/Release/net10.0/cc-bench"

COLLECTOR_BIN="$CC_ARTIFACTS/bin/CollectorCluster.Node/release/collector"
if [[ "${CC_BENCH_JIT:-0}" != 1 ]]; then
  echo "bench/peers.sh: publishing collector ReadyToRun into $CC_ARTIFACTS/publish-r2r"
  dotnet publish src/CollectorCluster.Node/CollectorCluster.Node.csproj -c Release -r linux-x64 --self-contained false \
    -p:PublishReadyToRun=true -o "$CC_ARTIFACTS/publish-r2r" --disable-build-servers -nologo -v q -clp:ErrorsOnly
  COLLECTOR_BIN="$CC_ARTIFACTS/publish-r2r/collector"
fi

export CC_BENCH_COMMAND="bash bench/peers.sh${*:+ $*}"
if [[ $record -eq 1 ]]; then
  exec "$BENCH_BIN" peers --collector "$COLLECTOR_BIN" --results-file "$ROOT/bench/RESULTS.md" "$@"
else
  exec "$BENCH_BIN" peers --collector "$COLLECTOR_BIN" "$@"
fi
