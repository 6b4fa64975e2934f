#!/usr/bin/env bash
# Cluster fail-over figures: runs ClusterFailoverTests (PostgreSQL journal, private Dovecot with 300 mailboxes,
# 3 then 4 `collector run` processes, kill -9 of one) and prints what it measured:
#   spread per node (3 nodes, then 4, then the 3 survivors), time from kill -9 to the killed node's accounts
#   restarting / collecting on the survivors, messages lost and duplicated, overlapping POP3 sessions.
#   sudo bash bench/failover.sh             # one run; the report also goes to bench/results/failover.txt
#   sudo bash bench/failover.sh 3           # three runs, figures of each
#   sudo CC_FAILOVER_KILL=node1 bash bench/failover.sh   # kill the first seed instead of node3 (node1..node3)
#   CC_FAILOVER_RESULTS=/dev/null ...       # print only, leave bench/results/failover.txt alone
# Needs root (private Dovecot and PostgreSQL run as the unprivileged ccmail user). The nodes' full logs of the last
# run stay in $TMPDIR/cc-cluster-last-run/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ $(id -u) -ne 0 ]]; then
  echo "bench/failover.sh: must run as root (private Dovecot and PostgreSQL); try: sudo bash bench/failover.sh" >&2
  exit 1
fi

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 MSBUILDDISABLENODEREUSE=1 PATH="$PATH:/usr/sbin:/sbin"
bash scripts/install-test-deps.sh
dotnet build tests/CollectorCluster.ClusterTests -c Release -v quiet -nologo --disable-build-servers >/dev/null

results=${CC_FAILOVER_RESULTS:-bench/results/failover.txt}
runs=${1:-1}
report=$(mktemp /tmp/cc-failover-report-XXXXXX.txt)
{
  head=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
  dirty=$(git status --porcelain -- src tests 2>/dev/null | wc -l)
  echo "benchmark: bench/failover.sh (ClusterFailoverTests: PostgreSQL journal, Dovecot with 300 mailboxes, 3 then 4 collector run processes, kill -9 of ${CC_FAILOVER_KILL:-node3})"
  echo "commit: $head$( ((dirty > 0)) && echo " + $dirty uncommitted file(s) under src/ or tests/")"
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); host: $(nproc) CPU; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "times are seconds since the test started ([t s]) or since the kill -9 (failover line); printed, never asserted"
} | tee "$report"
status_all=0
for ((i = 1; i <= runs; i++)); do
  log=$(mktemp /tmp/cc-failover-XXXXXX.log)
  status=0
  dotnet test tests/CollectorCluster.ClusterTests -c Release --no-build \
    --filter "FullyQualifiedName~ClusterFailoverTests" --logger "console;verbosity=detailed" >"$log" 2>&1 || status=$?
  ((status == 0)) || status_all=1
  {
    echo "== run $i of $runs ($( ((status == 0)) && echo passed || echo "FAILED, full output: $log"))"
    # The test's own report lines: "[  t s] ..." (ITestOutputHelper).
    grep -E '^\s*\[ *[0-9]+\.[0-9] s\] ' "$log" | sed -E 's/^\s+//' | awk '!seen[$0]++'
    # Why it failed, so the report stands on its own.
    ((status == 0)) || grep -m1 -A4 'Error Message:' "$log" | sed -E 's/^\s+//; /^$/d; s/^/   /' || true
  } | tee -a "$report"
  ((status == 0)) && rm -f "$log"
done
if [[ "$results" != /dev/null ]]; then
  cp "$report" "$results"
  echo "bench/failover.sh: wrote $results"
fi
rm -f "$report"
exit $status_all
