#!/usr/bin/env bash
# Installs the system packages the test suite needs (private Dovecot, PostgreSQL server binaries,
# reference POP3 clients, openssl, and Debian's Chromium with a font for the web console's browser tests, which
# Playwright drives through the driver in its NuGet package: no browser is ever downloaded) without ever starting
# their system services.
# Idempotent: does nothing when every binary is already present. Needs root only when installing.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive

PACKAGES=(dovecot-core dovecot-pop3d dovecot-lmtpd opensmtpd postgresql mpop fetchmail getmail6 time openssl chromium fonts-dejavu-core)

pg_bin_dir() {
  # Newest PostgreSQL server installed by Debian's packages (e.g. /usr/lib/postgresql/15/bin).
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [[ -n "$d" && -x "$d/postgres" && -x "$d/initdb" && -x "$d/pg_ctl" ]] && echo "$d"
}

all_present() {
  local b
  for b in dovecot doveadm doveconf mpop fetchmail getmail openssl psql; do
    command -v "$b" >/dev/null 2>&1 || return 1
  done
  # tests/CollectorCluster.WebTests/ChromiumFixture.cs launches exactly this path.
  [[ -x /usr/bin/chromium && -d /usr/share/fonts/truetype/dejavu ]] || return 1
  [[ -x /usr/bin/time && -x /usr/lib/dovecot/pop3 && -x /usr/lib/dovecot/pop3-login && -x /usr/lib/dovecot/lmtp && -x /usr/lib/dovecot/dovecot-lda && -x /usr/sbin/smtpd ]] || return 1
  [[ -n "$(pg_bin_dir)" ]] || return 1
  getent passwd dovecot >/dev/null && getent passwd dovenull >/dev/null || return 1
}

# Puts initdb/pg_ctl/postgres on PATH (Debian keeps them in a versioned directory) for test fixtures.
link_pg_binaries() {
  local d b
  d=$(pg_bin_dir) || return 0
  for b in initdb pg_ctl postgres; do
    if ! command -v "$b" >/dev/null 2>&1 && [[ -w /usr/local/bin ]]; then
      ln -sf "$d/$b" "/usr/local/bin/$b"
    fi
  done
}

# The unprivileged owner of the private Dovecot's test mailboxes (Dovecot refuses uid 0).
ensure_mail_user() {
  if ! getent passwd ccmail >/dev/null && [[ $(id -u) -eq 0 ]]; then
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin ccmail \
      || getent passwd ccmail >/dev/null
  fi
}

if all_present; then
  link_pg_binaries
  ensure_mail_user
  echo "install-test-deps: all test dependencies present"
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "install-test-deps: missing test dependencies and not root; run as root: $0" >&2
  exit 1
fi

# Never let package scripts start the system services: our tests run private instances.
POLICY=/usr/sbin/policy-rc.d
POLICY_CREATED=0
if [[ ! -e "$POLICY" ]]; then
  printf '#!/bin/sh\nexit 101\n' >"$POLICY"
  chmod 755 "$POLICY"
  POLICY_CREATED=1
fi
cleanup() { if [[ $POLICY_CREATED -eq 1 ]]; then rm -f "$POLICY"; fi; }
trap cleanup EXIT

lists_present() { compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; }

apt_install() {
  apt-get install -y -q --no-install-recommends -o Dpkg::Options::=--force-confdef \
    -o Dpkg::Options::=--force-confold "${PACKAGES[@]}" >/tmp/install-test-deps.apt.log 2>&1
}

echo "install-test-deps: installing ${PACKAGES[*]}"
if ! lists_present; then
  apt-get update -q >/dev/null
fi
if ! apt_install; then
  # Stale or missing package lists are the usual cause: refresh once and retry.
  apt-get update -q >/dev/null
  if ! apt_install; then
    tail -n 30 /tmp/install-test-deps.apt.log >&2
    echo "install-test-deps: apt-get install failed" >&2
    exit 1
  fi
fi

# Belt and braces: if a package started its service anyway (e.g. under systemd), stop it.
for svc in dovecot postgresql opensmtpd; do
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$svc" 2>/dev/null; then
    systemctl stop "$svc" >/dev/null 2>&1 || true
  fi
done

link_pg_binaries
ensure_mail_user

if ! all_present; then
  echo "install-test-deps: packages installed but some binaries are still missing" >&2
  exit 1
fi
echo "install-test-deps: done"
