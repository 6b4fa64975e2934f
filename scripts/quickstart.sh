#!/usr/bin/env bash
# Quick start: a private Dovecot on 127.0.0.1 with one mailbox of 5 messages, a node file under
# /tmp/collector-quickstart, `collector once` twice (first collects 5, second 0), the Maildir listed,
# then Dovecot stopped. Needs root (private Dovecot) and the .NET 10 SDK; installs the rest itself.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ $(id -u) -ne 0 ]]; then
  echo "quickstart.sh: must run as root (it starts a private Dovecot); try: sudo bash scripts/quickstart.sh" >&2
  exit 1
fi

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 MSBUILDDISABLENODEREUSE=1
export PATH="$PATH:/usr/sbin:/sbin"
export CC_ARTIFACTS="${CC_ARTIFACTS:-/tmp/cc-quickstart-build}"

bash scripts/install-test-deps.sh

echo "quickstart.sh: building collector (Release) into $CC_ARTIFACTS"
dotnet build bench/CollectorCluster.Bench/CollectorCluster.Bench.csproj -c Release --disable-build-servers -nologo -v q -clp:ErrorsOnly

exec "$CC_ARTIFACTS/bin/CollectorCluster.Bench/release/cc-bench" quickstart \
  --collector "$CC_ARTIFACTS/bin/CollectorCluster.Node/release/collector" "$@"
