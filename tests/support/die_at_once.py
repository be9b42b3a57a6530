"""A close child killed before it closes anything (out of memory, or the service stops).

python -m tests.support.die_at_once   (the job on its stdin, read and ignored)
"""

from __future__ import annotations

import os
import signal
import sys


def main() -> None:
    sys.stdin.buffer.read()
    os.kill(os.getpid(), signal.SIGKILL)


if __name__ == "__main__":
    main()
