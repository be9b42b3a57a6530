"""Replies go out through a few lanes, one connection each: many at once all arrive, one that
waits too long for a lane fails as PTB's full pool does (unsent), and a wait given up frees
nothing it did not take."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from telegram import Bot
from telegram.error import TimedOut

from bot.telegram.lanes import LanesRequest
from tests.support.fake_telegram import FakeTelegram

ROUND_TRIP = 0.2  # the fake answers every request this much later


@asynccontextmanager
async def bot_with_lanes(fake: FakeTelegram, lanes: LanesRequest) -> AsyncIterator[Bot]:
    async with Bot(fake.token, base_url=fake.base_url, request=lanes) as bot:
        yield bot


async def test_ten_replies_at_once_through_three_lanes_each_arrive_once() -> None:
    async with FakeTelegram(response_delay=ROUND_TRIP) as fake:
        people = [fake.user(6000 + n, f"Bendahara {n}") for n in range(10)]
        async with bot_with_lanes(fake, LanesRequest(3, pool_timeout=None)) as bot:
            await asyncio.gather(
                *(bot.send_message(person.id, f"Pesanan {n}") for n, person in enumerate(people))
            )

        sent = {int(str(call.params["chat_id"])): call.params["text"]
                for call in fake.calls_to("sendMessage") if call.ok}  # fmt: skip
        assert sent == {6000 + n: f"Pesanan {n}" for n in range(10)}
        assert len(fake.calls_to("sendMessage")) == 10


async def test_a_reply_that_waits_longer_than_the_pool_timeout_is_refused_unsent() -> None:
    async with FakeTelegram(response_delay=ROUND_TRIP) as fake:
        siti, budi = fake.user(6001, "Siti"), fake.user(6002, "Budi")
        async with bot_with_lanes(fake, LanesRequest(1, pool_timeout=0.05)) as bot:
            first = asyncio.create_task(bot.send_message(siti.id, "Pesanan diterima"))
            await asyncio.sleep(0)  # it has taken the only lane, for a round trip
            with pytest.raises(TimedOut, match="Pool timeout"):
                await bot.send_message(budi.id, "Pesanan diterima")
            await first
            await bot.send_message(budi.id, "Pesanan diterima")  # the lane is free again

        chats = [call.params["chat_id"] for call in fake.calls_to("sendMessage")]
        assert [int(str(chat)) for chat in chats] == [siti.id, budi.id]


async def test_a_wait_given_up_leaves_every_lane_to_the_others() -> None:
    async with FakeTelegram(response_delay=ROUND_TRIP) as fake:
        siti, budi = fake.user(6001, "Siti"), fake.user(6002, "Budi")
        async with bot_with_lanes(fake, LanesRequest(1, pool_timeout=2.0)) as bot:
            first = asyncio.create_task(bot.send_message(siti.id, "satu"))
            await asyncio.sleep(0)  # it has taken the only lane
            given_up = asyncio.create_task(bot.send_message(budi.id, "dua"))
            await asyncio.sleep(0)  # it is waiting for the lane now
            given_up.cancel()
            with pytest.raises(asyncio.CancelledError):
                await given_up
            await first
            await bot.send_message(budi.id, "tiga")

        texts = [call.params["text"] for call in fake.calls_to("sendMessage")]
        assert texts == ["satu", "tiga"]


def test_a_request_needs_at_least_one_lane() -> None:
    with pytest.raises(ValueError, match="positive"):
        LanesRequest(0)
