"""The record of every Bot API call, and waiting (without sleeping) until a call arrives."""

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.support.fake_telegram.wire import UploadedFile


@dataclass
class Call:
    """One request the bot made. `status` and `result` are set once it has been answered."""

    method: str
    params: dict[str, object]
    at: float
    files: dict[str, UploadedFile] = field(default_factory=dict)
    status: int | None = None
    result: object = None
    description: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == 200


@dataclass(frozen=True)
class ErrorAnswer:
    """An error the fake answered, e.g. a 400 the bot provoked."""

    method: str
    params: dict[str, object]
    status: int
    description: str


CallPredicate = Callable[[Call], bool]


class CallLog:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.errors: list[ErrorAnswer] = []
        self.mark = 0
        self._changed = asyncio.Condition()

    async def received(self, call: Call) -> None:
        self.calls.append(call)
        await self._notify()

    async def answered(self, call: Call, status: int, result: object, description: str) -> None:
        call.status, call.result, call.description = status, result, description
        if status != 200:
            self.errors.append(ErrorAnswer(call.method, call.params, status, description))
        await self._notify()

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    def set_mark(self) -> int:
        self.mark = len(self.calls)
        return self.mark

    def find(self, method: str, predicate: CallPredicate | None, since: int) -> Call | None:
        for call in self.calls[since:]:
            answered = call.method.lower() == method.lower() and call.status is not None
            if answered and (predicate is None or predicate(call)):
                return call
        return None

    async def wait_for_in_flight(self, method: str, within: float) -> None:
        """Until a call to `method` has arrived and is still waiting for its answer."""

        def in_flight() -> bool:
            return any(c.method.lower() == method.lower() and c.status is None for c in self.calls)

        try:
            async with asyncio.timeout(within), self._changed:
                await self._changed.wait_for(in_flight)
        except TimeoutError:
            raise AssertionError(f"no {method} call in flight within {within}s") from None

    async def wait_for(
        self, method: str, predicate: CallPredicate | None, within: float, since: int | None
    ) -> Call:
        start = self.mark if since is None else since
        found: Call | None = None

        def arrived() -> bool:
            nonlocal found
            found = self.find(method, predicate, start)
            return found is not None

        try:
            async with asyncio.timeout(within), self._changed:
                await self._changed.wait_for(arrived)
        except TimeoutError:
            seen = [f"{call.method}({call.params})" for call in self.calls[start:]]
            raise AssertionError(
                f"no answered {method} call matching within {within}s; calls since: {seen}"
            ) from None
        assert found is not None
        return found
