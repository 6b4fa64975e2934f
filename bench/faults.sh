#!/usr/bin/env bash
# The fault campaign (issue 11): N seeded faults of every kind (link cuts at each POP3 step, kill -9 of collector run,
# SIGTERM of collector once, a read-only journal disk, PostgreSQL stopped, a full destination, UIDLs changing), in
# leave, delete and mirror modes, into Maildir and LMTP, each followed by recovery and the invariant: every message
# delivered exactly once (Message-ID and body SHA-256), none deleted on the server before it was delivered, no run hung.
# Writes bench/results/faults.txt, and refuses to from a tree with uncommitted changes (the report names the commit).
#   sudo bash bench/faults.sh                           # 1000 faults, seed 1
#   sudo bash bench/faults.sh --faults 200 --seed 7     # another size or seed: the same pair gives the same scenarios
#   sudo bash bench/faults.sh --only 17                 # one scenario of the default campaign, nothing written
# Needs root: a private Dovecot and PostgreSQL, tmpfs and loop-device mounts. Other options: see `cc-bench faults --help`.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)

if [[ $(id -u) -ne 0 ]]; then
  echo "bench/faults.sh: must run as root (private Dovecot and PostgreSQL, mounts); try: sudo bash bench/faults.sh" >&2
  exit 1
fi

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 MSBUILDDISABLENODEREUSE=1
export PATH="$PATH:/usr/sbin:/sbin"
export CC_ARTIFACTS="${CC_ARTIFACTS:-/tmp/cc-bench}"

# A run restricted to some kinds or scenarios writes nothing; a full one writes the results and must be reproducible.
write=1
for arg in "$@"; do
  if [[ "$arg" == --kinds || "$arg" == --only ]]; then write=0; fi
done

COMMIT=$(git -c safe.directory="$ROOT" rev-parse --short HEAD)
if [[ $write -eq 1 ]]; then
  DIRTY=$(git -c safe.directory="$ROOT" status --porcelain --untracked-files=normal | grep -v -E '^.. bench/results/' || true)
  if [[ -n "$DIRTY" ]]; then
    echo "bench/faults.sh: refusing to write results from a tree with uncommitted changes (HEAD $COMMIT):" >&2
    echo "$DIRTY" | head -n 20 >&2
    echo "commit them first (or add --only/--kinds for a run that writes nothing)" >&2
    exit 1
  fi
fi
echo "bench/faults.sh: commit $COMMIT"

bash scripts/install-test-deps.sh

echo "bench/faults.sh: building Release into $CC_ARTIFACTS"
dotnet build bench/CollectorCluster.Bench/CollectorCluster.Bench.csproj -c Release --disable-build-servers -nologo -v q -clp:ErrorsOnly

BENCH_BIN="$CC_ARTIFACTS/bin/CollectorCluster.Bench/release/cc-bench"
[[ -x "$BENCH_BIN" ]] || BENCH_BIN="$ROOT/bench/CollectorCluster.Bench/bin/Release/net10.0/cc-bench"

export CC_BENCH_COMMAND="bash bench/faults.sh${*:+ $*}"
if [[ $write -eq 1 ]]; then
  exec "$BENCH_BIN" faults --results "$ROOT/bench/results" "$@"
else
  exec "$BENCH_BIN" faults "$@"
fi
