#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install Dovecot's IMAP server for the test harness (tests/harness/dovecot.py) when it
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
bash "$(dirname "$0")/apt-install.sh" dovecot-imapd openssl

if ! have_dovecot; then
    say "dovecot-imapd is installed but there is no dovecot binary in PATH or /usr/sbin"
    exit 1
fi
say "installed $(/usr/sbin/dovecot --version 2>/dev/null || dovecot --version)"
