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
# The browser tests save a screenshot of every console page in $CC_TEST_RESULTS/screenshots (test artifacts).
export CC_TEST_RESULTS="$RESULTS_DIR"
echo "test.sh: results in $RESULTS_DIR"

# Secrets scan, part 1 (issue 12): the test kit keeps what the suite produces under CC_SECRETS_SCAN_DIR
# (tests/CollectorCluster.Testing/TestArtifacts.cs: every process's command line and output, so every node log and
# collectorctl output; journals, SQLite files and PostgreSQL dumps; collectorctl histories; MDA environments), and a
# sampler records `ps` every second while the tests run. Part 2, after the tests, greps all of it.
SCAN_DIR="$RESULTS_DIR/secrets-scan"
rm -rf "$SCAN_DIR"
mkdir -p "$SCAN_DIR"
export CC_SECRETS_SCAN_DIR="$SCAN_DIR"
( while true; do ps -eo pid,args >>"$SCAN_DIR/ps.txt" 2>/dev/null; sleep 1; done ) &
PS_SAMPLER=$!

# LogFilePrefix gives every test assembly its own TRX file (prefix_framework_timestamp, de-duplicated).
# A hung test fails after the hang timeout instead of eating CI's time.
# `env --default-signal`: the suite sends real SIGHUP, SIGINT and SIGTERM to the collectors it starts, and a process
# inherits signals its parent ignores (nohup ignores HUP, a background job of a script ignores INT and QUIT), so the
# tests' processes get the default handling back however the suite was started.
env --default-signal=HUP,INT,QUIT,TERM dotnet test CollectorCluster.sln -c Release --disable-build-servers \
  --blame-hang-timeout 8m --blame-hang-dump-type none \
  --logger "trx;LogFilePrefix=cc" --results-directory "$RESULTS_DIR"
DOTNET_RC=$?
kill "$PS_SAMPLER" 2>/dev/null
wait "$PS_SAMPLER" 2>/dev/null

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

# Secrets scan, part 2: every secret the tests use carries the marker ccsecret_ (TestSecrets: Dovecot passwords,
# passwords given to collectorctl, OAuth2 client secrets, refresh and access tokens) and every command-host token
# starts with cctok_ and 43 base64url characters, so one grep over what part 1 kept finds any of them, as text or as
# hex (PostgreSQL dumps bytea as hex). The stores that hold secrets on purpose (node files, password, key and token
# files) are not kept. A planted canary proves the grep finds what it looks for before the real scan runs.
SECRET_TEXT='ccsecret_[A-Za-z0-9_-]+|cctok_[A-Za-z0-9_-]{43}'
SECRET_HEX='63637365637265745f|6363746f6b5f' # "ccsecret_" and "cctok_" in hex
scan_for_secrets() { # scan_for_secrets DIR -> "file: what" per finding
  grep -a -r -o -E -n "$SECRET_TEXT" "$1" 2>/dev/null | sed -E 's/:(ccsecret_|cctok_).*/: a \1 secret/'
  grep -a -r -o -i -E -n "$SECRET_HEX" "$1" 2>/dev/null | sed -E 's/:[0-9a-fA-F]+$/: a hex-encoded secret/'
}
SCAN_FINDINGS=()
canary="$RESULTS_DIR/secrets-canary"
mkdir -p "$canary"
printf 'log line with ccsecret_canary_0123 inside\n' >"$canary/text.log"
printf '\\x7b2263637365637265745f63616e617279227d\n' >"$canary/dump.sql"
if (($(scan_for_secrets "$canary" | wc -l) != 2)); then
  SCAN_FINDINGS+=("the scanner did not find the planted canary secrets in $canary")
else
  rm -rf "$canary"
  kept=$(find "$SCAN_DIR" -type f | wc -l)
  while IFS= read -r finding; do
    [[ -n "$finding" ]] && SCAN_FINDINGS+=("$finding")
  done < <(scan_for_secrets "$SCAN_DIR" | sort -u | head -n 50)
  echo "test.sh: secrets scan: $kept file(s) kept by the suite (process outputs, journals, histories, MDA environments, ps samples) in $SCAN_DIR"
fi

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
if ((${#SCAN_FINDINGS[@]} > 0)); then
  echo "Secrets scan: a test secret was found where none may be:"
  printf '  %s\n' "${SCAN_FINDINGS[@]}"
  failed=$((failed + 1))
  status=1
else
  echo "test.sh: secrets scan: no password, token or OAuth2 secret in anything the suite kept"
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
