"""A close child that closes the due rounds as `bot.close_child` does, then is killed before
it can say so (as when the service stops, or the bot runs out of patience, just after).

    python -m tests.support.close_then_die   (the job as one line of JSON on its stdin)
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys

from bot.close_child import CloseJob, close_as_job


def main() -> None:
    job = CloseJob(**json.loads(sys.stdin.buffer.read()))
    asyncio.run(close_as_job(job))
    os.kill(os.getpid(), signal.SIGKILL)


if __name__ == "__main__":
    main()
