#!/usr/bin/env bash
# Where `collector once` spends its time (issue 14): runs the peers scenarios once with every `collector once` under
# dotnet-trace (EventPipe stack samples of every managed thread), then summarises each trace with bench/trace-summary.py.
#   sudo bash bench/profile.sh                                   # mixed-1000, first-5000, seen-5000
#   sudo bash bench/profile.sh --scenarios accounts-200x5        # any peers scenarios
# Traces go to $CC_ARTIFACTS/traces (default /tmp/cc-bench/traces); the summary is printed and written beside them.
# Installs dotnet-trace (a .NET tool from NuGet) into $CC_ARTIFACTS/tools if it is not there.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
export CC_ARTIFACTS="${CC_ARTIFACTS:-/tmp/cc-bench}"
TOOLS="$CC_ARTIFACTS/tools"
TRACES="$CC_ARTIFACTS/traces"
if [[ ! -x "$TOOLS/dotnet-trace" ]]; then
  dotnet tool install --tool-path "$TOOLS" dotnet-trace >/dev/null
fi
rm -rf "$TRACES"
args=("$@")
[[ ${#args[@]} -gt 0 ]] || args=(--scenarios mixed-1000,first-5000,seen-5000)
bash bench/peers.sh --rounds 1 --tools collector --trace "$TRACES" --dotnet-trace "$TOOLS/dotnet-trace" "${args[@]}"
python3 bench/trace-summary.py "$TRACES"/*.speedscope.json | tee "$TRACES/summary.txt"
echo "bench/profile.sh: summary in $TRACES/summary.txt"
