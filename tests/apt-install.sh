#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# apt-install.sh PACKAGE...: install Debian packages for the tests with apt-get, as root or
# through sudo, without starting any service they ship. The install-*.sh scripts call it
# once they have found that what they need is missing.
set -euo pipefail

say() { echo "apt-install.sh: $*" >&2; }

if ! command -v apt-get >/dev/null 2>&1; then
    say "no apt-get here; install by hand: $*"
    exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
    as_root() { "$@"; }
elif command -v sudo >/dev/null 2>&1; then
    as_root() { sudo "$@"; }
else
    say "installing $* needs root or sudo"
    exit 1
fi

# A package's postinst may start its service (a system Dovecot on ports 143/993) and fail
# the install if that cannot start. The tests never use such services, so forbid service
# starts for the duration, unless the machine already has its own policy.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
    as_root sh -c "printf '#!/bin/sh\nexit 101\n' > $policy && chmod 755 $policy"
    trap 'as_root rm -f "$policy"' EXIT
fi

say "installing $* with apt-get"
if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq; then
    say "apt-get update failed"
    exit 1
fi
if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -qq -y --no-install-recommends "$@" >/dev/null; then
    say "apt-get could not install $*"
    exit 1
fi
