#!/usr/bin/env bash
# 200 accounts x 5 messages on a private Dovecot: collector once (connection tokens, max-pop3-clients = 10) against
# fetchmail and mpop, one run each; writes bench/results/tokens-200x5.txt. Same build and ReadyToRun publish as run.sh.
#   sudo bash bench/tokens.sh [--accounts N] [--per-account N] [--max-clients N] [--keep]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
CC_BENCH_COMMAND="bash bench/tokens.sh${*:+ $*}" BENCH=tokens-200x5 exec bash bench/run.sh "$@"
