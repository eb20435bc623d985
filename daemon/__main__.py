# SPDX-License-Identifier: MIT
import sys

from daemon.cli import main

if __name__ == "__main__":  # a process started by multiprocessing imports this module too (run/analyst.py)
    sys.exit(main())
