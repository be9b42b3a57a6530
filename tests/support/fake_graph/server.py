"""`FakeGraph` as a real HTTP server on 127.0.0.1, for a bot pointed at it by its config.

`served(fake)` answers every request with `fake.handle` on a free port and makes the fake
expect requests at that address (`FakeGraph.api_url`) while it runs: a config with
`[whatsapp] api_url` set to the address it yields reaches it through the bot's own HTTP
client, as it would reach a local test server or a proxy. Media URLs still name Meta's file
host, so stories with files keep the in-process `fake.session()`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from aiohttp import web

from tests.support.fake_graph.api import FakeGraph

HOST = "127.0.0.1"


@asynccontextmanager
async def served(fake: FakeGraph, path: str = "") -> AsyncIterator[str]:
    """Serve `fake` on 127.0.0.1 under `path` ("/graph"); its address, without a slash."""

    async def answer(request: web.Request) -> web.Response:
        forwarded = httpx.Request(
            request.method,
            str(request.url),
            headers=list(request.headers.items()),
            content=await request.read(),
        )
        answered = fake.handle(forwarded)
        headers = {"Content-Type": answered.headers.get("Content-Type", "application/json")}
        return web.Response(status=answered.status_code, body=answered.content, headers=headers)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", answer)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, HOST, 0)
    await site.start()
    address = runner.addresses[0]
    before, fake.api_url = fake.api_url, f"http://{HOST}:{address[1]}{path}"
    try:
        yield fake.api_url
    finally:
        fake.api_url = before
        await runner.cleanup()
