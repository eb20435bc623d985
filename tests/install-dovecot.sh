#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install Dovecot's IMAP server for the test harness (tests/dovecot.py) when it
# is missing. Quiet and harmless when it is already there.
set -euo pipefail

say() { echo "install-dovecot.sh: $*" >&2; }

have_dovecot() { command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ]; }

if have_dovecot && command -v openssl >/dev/null 2>&1; then
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    say "dovecot is missing and there is no apt-get; install Dovecot 2.3 (IMAP) and openssl by hand"
    exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
    as_root() { "$@"; }
elif command -v sudo >/dev/null 2>&1; then
    as_root() { sudo "$@"; }
else
    say "dovecot is missing, and installing dovecot-imapd needs root or sudo"
    exit 1
fi

# The package's postinst starts a system Dovecot on ports 143/993, and fails
# the install if that cannot start (say, the ports are taken). The harness
# never uses that instance, so forbid service starts for the duration, unless
# the machine already has its own policy.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
    as_root sh -c "printf '#!/bin/sh\nexit 101\n' > $policy && chmod 755 $policy"
    trap 'as_root rm -f "$policy"' EXIT
fi

say "installing dovecot-imapd and openssl with apt-get"
if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq; then
    say "apt-get update failed"
    exit 1
fi
if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -qq -y --no-install-recommends \
    dovecot-imapd openssl >/dev/null; then
    say "apt-get could not install dovecot-imapd and openssl"
    exit 1
fi

if ! have_dovecot; then
    say "dovecot-imapd is installed but there is no dovecot binary in PATH or /usr/sbin"
    exit 1
fi
say "installed $(/usr/sbin/dovecot --version 2>/dev/null || dovecot --version)"
