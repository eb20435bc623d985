#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install systemd-analyze for tests/test_systemd.py (it checks systemd/relance.service with
# `systemd-analyze verify`) when it is missing. Only the tools are needed: nothing is started,
# and the tests do not need systemd to be running. Quiet and harmless when already there.
set -euo pipefail

say() { echo "install-systemd-tools.sh: $*" >&2; }

if command -v systemd-analyze >/dev/null 2>&1; then
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    say "systemd-analyze is missing and there is no apt-get; install systemd's tools by hand"
    exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
    as_root() { "$@"; }
elif command -v sudo >/dev/null 2>&1; then
    as_root() { sudo "$@"; }
else
    say "systemd-analyze is missing, and installing the systemd package needs root or sudo"
    exit 1
fi

# Forbid service starts while installing, as tests/install-dovecot.sh does, unless the
# machine already has its own policy.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
    as_root sh -c "printf '#!/bin/sh\nexit 101\n' > $policy && chmod 755 $policy"
    trap 'as_root rm -f "$policy"' EXIT
fi

say "installing systemd (for systemd-analyze) with apt-get"
if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq; then
    say "apt-get update failed"
    exit 1
fi
if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -qq -y --no-install-recommends systemd >/dev/null; then
    say "apt-get could not install systemd"
    exit 1
fi

if ! command -v systemd-analyze >/dev/null 2>&1; then
    say "systemd is installed but there is no systemd-analyze in PATH"
    exit 1
fi
say "installed $(systemd-analyze --version | head -1)"
