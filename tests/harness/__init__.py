# SPDX-License-Identifier: MIT
"""The real servers the tests, bench/ and `make demo` run relance against, each started on free
loopback ports in a directory of its own: Dovecot (dovecot, its configuration in dovecot_config),
Radicale (radicale), a TCP relay that drops, freezes or rewrites a link (tcpproxy), and relance
itself as a subprocess (daemon_process)."""
