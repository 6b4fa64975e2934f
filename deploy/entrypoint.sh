#!/bin/sh
# Container entrypoint: the node file is shared by every node (a ConfigMap or a bind mount); what differs per
# node comes from the environment and is appended as overrides (a later HOCON key wins):
#   CC_HOSTNAME                  the address other nodes reach this one at (default: this host's FQDN)
#   CC_JOURNAL_CONNECTION_STRING the PostgreSQL connection string (kept in a Secret, not in the node file)
# Then execs `collector "$@"`, so SIGTERM reaches the node (graceful leave: hand-off after the message in flight).
set -eu
base=${CC_NODE_FILE:-/etc/collector/node.hocon}
node=/tmp/collector-node.hocon
quote() { printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"; }
{
  cat "$base"
  printf '\n# appended by entrypoint.sh\n'
  printf 'akka.remote.dot-netty.tcp.hostname = %s\n' "$(quote "${CC_HOSTNAME:-$(hostname -f)}")"
  if [ -n "${CC_JOURNAL_CONNECTION_STRING:-}" ]; then
    printf 'collector.journal.connection-string = %s\n' "$(quote "$CC_JOURNAL_CONNECTION_STRING")"
  fi
} >"$node"
chmod 600 "$node"
if [ "${1:-}" = "run" ] || [ "${1:-}" = "check" ]; then
  cmd=$1
  shift
  exec /opt/collector/collector "$cmd" --config "$node" "$@"
fi
exec /opt/collector/collector "$@"
