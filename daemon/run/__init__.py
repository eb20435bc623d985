# SPDX-License-Identifier: MIT
"""Running: one cycle over the watched folders (cycle), the long-running loop with IDLE, signals and
back-off (loop), its periodic jobs on a steady clock (timers), systemd's notifications (notify), the
one-instance lock (lock). Imports every room below; only the command line imports it.
"""
