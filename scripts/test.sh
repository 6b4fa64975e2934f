#!/usr/bin/env bash
# The project's test command: installs the system test dependencies, runs every test project in
# CollectorCluster.sln (Release) with TRX results, and ends with one line "N passed, N failed"
# (", N skipped" when any) summed over all TRX files. Exits non-zero when the build fails, a test
# fails, a test host crashes, or no test ran.
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

export DOTNET_NOLOGO=1
export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export DOTNET_GENERATE_ASPNET_CERTIFICATE=false
export MSBUILDDISABLENODEREUSE=1
# The suite's fixtures (private Dovecot, PostgreSQL) find their binaries on PATH.
export PATH="$PATH:/usr/sbin:/sbin"

if ! bash scripts/install-test-deps.sh; then
  echo "test.sh: installing test dependencies failed" >&2
  echo "0 passed, 0 failed"
  exit 1
fi

RESULTS_DIR="${CC_TEST_RESULTS:-$(mktemp -d "${TMPDIR:-/tmp}/cc-test-results.XXXXXX")}"
mkdir -p "$RESULTS_DIR"
rm -f "$RESULTS_DIR"/*.trx
echo "test.sh: results in $RESULTS_DIR"

# LogFilePrefix gives every test assembly its own TRX file (prefix_framework_timestamp, de-duplicated).
# A hung test fails after the hang timeout instead of eating CI's time.
dotnet test CollectorCluster.sln -c Release --disable-build-servers \
  --blame-hang-timeout 8m --blame-hang-dump-type none \
  --logger "trx;LogFilePrefix=cc" --results-directory "$RESULTS_DIR"
DOTNET_RC=$?

shopt -s nullglob
TRX_FILES=("$RESULTS_DIR"/*.trx)
shopt -u nullglob

passed=0 failed=0 skipped=0 total=0 aborted_run=0
attr() { # attr NAME LINE -> integer value of NAME="..." in LINE, 0 if absent
  local v
  v=$(grep -o -E "[[:space:]]$1=\"[0-9]+\"" <<<"$2" | head -n 1 | grep -o -E '[0-9]+')
  echo "${v:-0}"
}
FAILED_NAMES=()
RUN_ERRORS=()
for f in "${TRX_FILES[@]}"; do
  counters=$(grep -o -E '<Counters [^>]*>' "$f" | head -n 1)
  if [[ -z "$counters" ]]; then
    echo "test.sh: no counters in $f (test run aborted?)" >&2
    aborted_run=1
    continue
  fi
  t=$(attr total "$counters"); p=$(attr passed "$counters")
  fl=$(attr failed "$counters"); e=$(attr error "$counters"); to=$(attr timeout "$counters")
  ab=$(attr aborted "$counters"); ne=$(attr notExecuted "$counters")
  total=$((total + t)); passed=$((passed + p))
  failed=$((failed + fl + e + to + ab)); skipped=$((skipped + ne))
  # Errors outside any test (crashed host, fixture or pipeline failure) are RunInfos with outcome="Error".
  run_errors=$(grep -A2 -E '<RunInfo [^>]*outcome="Error"' "$f" | grep -o -E '<Text>.*' | sed -E 's/<\/?Text>//g' | head -n 5)
  if [[ -n "$run_errors" ]]; then
    assembly=$(grep -o -E 'storage="[^"]*"' "$f" | head -n 1 | sed -E 's/storage="(.*)"/\1/; s#.*/##')
    RUN_ERRORS+=("${assembly:-$(basename "$f")}: $run_errors")
    aborted_run=1
  fi
  while IFS= read -r name; do
    FAILED_NAMES+=("$name")
  done < <(grep -o -E '<UnitTestResult [^>]*outcome="(Failed|Error|Timeout|Aborted)"' "$f" \
             | sed -E 's/.*testName="([^"]*)".*/\1/')
done

status=0
echo
echo "test.sh: ${#TRX_FILES[@]} test assembly result file(s)"
if [[ $DOTNET_RC -ne 0 ]]; then
  echo "test.sh: dotnet test exited with code $DOTNET_RC (build failure, failed test or crashed test host)"
  status=1
fi
if ((${#FAILED_NAMES[@]} > 0)); then
  echo "Failed tests:"
  printf '  %s\n' "${FAILED_NAMES[@]}" | sed 's/&quot;/"/g; s/&amp;/\&/g; s/&lt;/</g; s/&gt;/>/g'
fi
if ((${#RUN_ERRORS[@]} > 0)); then
  echo "Test run errors:"
  printf '  %s\n' "${RUN_ERRORS[@]}"
fi
if ((failed > 0)); then status=1; fi
if ((passed + failed == 0)); then
  echo "test.sh: no test ran"
  status=1
fi
if ((aborted_run)); then status=1; fi

summary="$passed passed, $failed failed"
if ((skipped > 0)); then summary="$summary, $skipped skipped"; fi
echo "$summary"
exit $status
