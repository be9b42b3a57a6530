"""The queue of updates the bot fetches with getUpdates, with Telegram's offset rules.

An update stays pending until a later getUpdates passes an `offset` above its id. A long
poll (`timeout` > 0) waits on an event set whenever an update arrives or the server closes.
"""

import asyncio


class UpdateQueue:
    def __init__(self) -> None:
        self._pending: list[dict[str, object]] = []
        self._next_id = 1
        self._arrived = asyncio.Event()
        self._closed = False

    @property
    def pending(self) -> list[dict[str, object]]:
        return list(self._pending)

    def stamp(self, body: dict[str, object]) -> dict[str, object]:
        """The complete Update for `body`, with the next update id (not queued)."""
        update: dict[str, object] = {"update_id": self._next_id, **body}
        self._next_id += 1
        return update

    def put(self, update: dict[str, object]) -> None:
        self._pending.append(update)
        self._wake()

    def close(self) -> None:
        self._closed = True
        self._wake()

    def drop_all(self) -> None:
        self._pending.clear()

    async def fetch(self, offset: int, limit: int, wait_seconds: float) -> list[dict[str, object]]:
        self._confirm(offset)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait_seconds
        while not self._pending and not self._closed and loop.time() < deadline:
            arrived = self._arrived
            try:
                async with asyncio.timeout_at(deadline):
                    await arrived.wait()
            except TimeoutError:
                break
        return self._pending[: max(1, min(limit, 100))]

    def _confirm(self, offset: int) -> None:
        if offset > 0:
            self._pending = [u for u in self._pending if int(str(u["update_id"])) >= offset]
        elif offset < 0:
            self._pending = self._pending[offset:]

    def _wake(self) -> None:
        self._arrived.set()
        self._arrived = asyncio.Event()
