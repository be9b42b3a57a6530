"""The HTTP client of every Bot API call but `getUpdates`: a few lanes, one connection each.

PTB's own client (`HTTPXRequest`) shares one httpx pool among all the updates handled at
once. With many connections in it, httpcore looks at every connection, and asks each idle
one's socket whether it is still open, each time a request starts or ends
(`AsyncConnectionPool._assign_requests_to_connections`), so a reply cost more the more
connections the pool held: with 64 it spent a fifth of the bot's CPU choosing one
(`bench.updates`). Here each lane is a `HTTPXRequest` of ONE connection, and a request takes
a free lane (the one freed last, whose connection is the likeliest still open) or waits for
one: the bookkeeping of a request no longer grows with the number of connections.

Everything else is PTB's: each lane turns httpx's errors into `TelegramError`s, uses PTB's
timeouts (a lane waited for longer than the pool timeout raises `TimedOut`, as PTB's full
pool does) and its longer write timeout for uploads. The lanes share one TLS context (the
CA bundle is read once, not once per lane).
"""

from __future__ import annotations

import asyncio
from collections import deque

import httpx
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import TimedOut
from telegram.request import BaseRequest, HTTPXRequest, RequestData

POOL_TIMEOUT_SECONDS = 1.0  # PTB's default: how long a request may wait for a connection


class LanesRequest(BaseRequest):
    """`lanes` connections to the Bot API, each its own httpx client."""

    def __init__(self, lanes: int, *, pool_timeout: float | None = POOL_TIMEOUT_SECONDS) -> None:
        if lanes < 1:
            raise ValueError("lanes must be a positive integer")
        shared = {"verify": httpx.create_ssl_context()}
        self._lanes = [
            HTTPXRequest(connection_pool_size=1, pool_timeout=pool_timeout, httpx_kwargs=shared)
            for _ in range(lanes)
        ]
        self._pool_timeout = pool_timeout
        self._free = list(self._lanes)  # a stack: the lane freed last goes out first
        self._waiting: deque[asyncio.Future[HTTPXRequest]] = deque()

    @property
    def read_timeout(self) -> float | None:
        return self._lanes[0].read_timeout

    async def initialize(self) -> None:
        for lane in self._lanes:
            await lane.initialize()

    async def shutdown(self) -> None:
        for lane in self._lanes:
            await lane.shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        wait = self._pool_timeout if isinstance(pool_timeout, DefaultValue) else pool_timeout
        lane = self._free.pop() if self._free else await self._wait_for_lane(wait)
        try:
            return await lane.do_request(
                url, method, request_data, read_timeout, write_timeout, connect_timeout
            )
        finally:
            self._release(lane)

    async def _wait_for_lane(self, wait: float | None) -> HTTPXRequest:
        waiter: asyncio.Future[HTTPXRequest] = asyncio.get_running_loop().create_future()
        self._waiting.append(waiter)
        try:
            async with asyncio.timeout(wait):
                return await waiter
        except BaseException as error:
            if waiter.done() and not waiter.cancelled():
                self._release(waiter.result())  # handed over just as the wait ended
            else:
                waiter.cancel()
            if isinstance(error, TimeoutError):
                raise TimedOut(
                    "Pool timeout: every connection to Telegram is busy; the request was not sent"
                ) from error
            raise

    def _release(self, lane: HTTPXRequest) -> None:
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_result(lane)
                return
        self._free.append(lane)
