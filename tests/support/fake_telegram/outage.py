"""A Bot API outage: from `begin()` on, every call is answered 502 Bad Gateway for a while.

The span is measured on the fake's own clock, so a test in virtual time (the sender's tests)
decides how long the outage lasts without waiting for it. Planned faults (`fail_next`,
`block_chat`) still apply outside the outage.
"""

from collections.abc import Callable

from tests.support.fake_telegram.faults import FaultPlan, fault_error
from tests.support.fake_telegram.server import FakeTelegram


class Outage(FaultPlan):
    def __init__(self, clock: Callable[[], float], seconds: float) -> None:
        super().__init__()
        self._clock = clock
        self.seconds = seconds
        self.began: float | None = None
        self.refused: list[str] = []  # the methods refused, in order

    def begin(self) -> None:
        """The Bot API goes down now (once: a second call changes nothing)."""
        if self.began is None:
            self.began = self._clock()

    @property
    def down(self) -> bool:
        return self.began is not None and self._clock() < self.began + self.seconds

    def check(self, method: str, chat_id: int | None) -> None:
        if self.down:
            self.refused.append(method)
            raise fault_error("server_error")
        super().check(method, chat_id)


def plan_outage(fake: FakeTelegram, seconds: float) -> Outage:
    """An outage of `seconds` on `fake`'s clock, starting when the test calls `begin()`."""
    outage = Outage(fake.clock, seconds)
    fake.state.faults = outage
    return outage
