#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install systemd-analyze for tests/test_systemd.py (it checks systemd/relance.service with
# `systemd-analyze verify`) when it is missing. Only the tools are needed: nothing is started,
# and the tests do not need systemd to be running. Quiet and harmless when already there.
set -euo pipefail

if command -v systemd-analyze >/dev/null 2>&1; then
    exit 0
fi
bash "$(dirname "$0")/apt-install.sh" systemd
if ! command -v systemd-analyze >/dev/null 2>&1; then
    echo "install-systemd-tools.sh: systemd is installed but there is no systemd-analyze in PATH" >&2
    exit 1
fi
echo "install-systemd-tools.sh: installed $(systemd-analyze --version | head -1)" >&2
