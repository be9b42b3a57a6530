"""The aiohttp server on 127.0.0.1 that answers Bot API requests from the bot's state.

Requests go to `/bot<token>/<method>`; each is recorded, checked for planned faults, served
by the method table and answered as `{"ok": true, "result": ...}` or Telegram's error JSON.
File downloads are GETs of `/file/bot<token>/<file_path>` (see `files`).
Handlers are cancelled when the client disconnects, so long polls and held requests end
with the client; closing the server releases whatever still waits. With `response_delay`
(seconds, default 0) each request waits that long before it is recorded and handled, as if
it had crossed a network: the bot sees every answer that much later.
"""

import asyncio
import contextlib
from collections.abc import Callable

from aiohttp import web

from tests.support.fake_telegram.api import method_named
from tests.support.fake_telegram.faults import HoldRequest, ProxyPage
from tests.support.fake_telegram.recorder import Call, CallLog
from tests.support.fake_telegram.state import BotState
from tests.support.fake_telegram.wire import ApiError, error_response, ok_response, read_request

MAX_UPLOAD_BYTES = 64 * 1024 * 1024


class BotApiServer:
    def __init__(
        self,
        token: str,
        state: BotState,
        log: CallLog,
        clock: Callable[[], float],
        max_hold: float,
    ) -> None:
        self.token = token
        self.state = state
        self.log = log
        self.clock = clock
        self.max_hold = max_hold
        self.port = 0
        self.response_delay = 0.0
        self._closing = asyncio.Event()
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application(client_max_size=MAX_UPLOAD_BYTES)
        app.router.add_route("*", "/bot{token}/{method}", self._serve)
        app.router.add_route("GET", "/file/bot{token}/{file_path:.+}", self._serve_file)
        app.router.add_route("*", "/{tail:.*}", self._not_found)
        self._runner = web.AppRunner(
            app, handler_cancellation=True, access_log=None, shutdown_timeout=1.0
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def close(self) -> None:
        self._closing.set()
        self.state.updates.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _serve(self, request: web.Request) -> web.Response:
        name = request.match_info["method"]
        try:
            api_request = await read_request(request)
        except ApiError as error:
            return error_response(error)
        if self.response_delay > 0:
            await asyncio.sleep(self.response_delay)
        call = Call(name, api_request.params, self.clock(), api_request.files)
        await self.log.received(call)
        try:
            if request.match_info["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            method = method_named(name)
            chat_id = api_request.params.get("chat_id")
            self.state.faults.check(name, chat_id if isinstance(chat_id, int) else None)
            result = await method(self.state, api_request)
        except HoldRequest:
            await self._hold()
            return error_response(ApiError(502, "Bad Gateway"))
        except ProxyPage as page:
            await self.log.answered(call, 502, None, "proxy page")
            return web.Response(status=502, body=page.page, content_type="text/html")
        except ApiError as error:
            await self.log.answered(call, error.status, None, error.description)
            return error_response(error)
        await self.log.answered(call, 200, result, "")
        return ok_response(result)

    async def _serve_file(self, request: web.Request) -> web.Response:
        """A file download (not a Bot API call, so not in the call log: see `files.downloads`)."""
        document = None
        if request.match_info["token"] == self.token:
            document = self.state.files.download(request.match_info["file_path"])
        if document is None:
            return error_response(ApiError(404, "Not Found"))
        return web.Response(body=document.content, content_type="application/octet-stream")

    async def _not_found(self, request: web.Request) -> web.Response:
        return error_response(ApiError(404, "Not Found"))

    async def _hold(self) -> None:
        """Keep a request open until the client gives up, the server closes or max_hold."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(self.max_hold):
                await self._closing.wait()
