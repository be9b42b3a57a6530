"""A person's language is chosen once: their chat app's language at first contact, or /bahasa
later; the bot then speaks it in everything it sends them, not only in its replies."""

from __future__ import annotations

from messages import Renderer
from purchasing.model import Rep
from storage.people import preferences, reps
from tests.support.clock import Clock
from tests.support.fixtures.chat import ChatUser, payloads
from tests.support.fixtures.schedule import queued, rendered


async def test_a_treasurer_whose_phone_is_in_english_gets_the_announcement_in_english(
    chat_admin: ChatUser, chat_renderer: Renderer, chat_clock: Clock
) -> None:
    db = chat_admin.services.db
    await reps.add_rep(db, Rep("telegram", "5201", "DT", display_name="Mrs Ani"), chat_clock())
    await reps.add_rep(db, Rep("telegram", "5202", "KKPITB", display_name="Pak Dedi"), chat_clock())
    ani = ChatUser(chat_admin.services, chat_renderer, "5201", "Mrs Ani", language_hint="en-GB")
    dedi = ChatUser(chat_admin.services, chat_renderer, "5202", "Pak Dedi", language_hint="en")

    await ani.send("/pesanan")  # first contact, from a phone set to English
    await dedi.send("/pesanan")
    offered = payloads(await dedi.send("/bahasa"))
    await dedi.press(next(p for p in offered if p.endswith(":id")))  # then he picks Indonesian
    await chat_admin.send("/putaran baru Putaran Januari | 2026-12-05 17:00")

    assert (await preferences.get_prefs(db, "telegram", "5201")).language == "en"
    announced = {m.chat_id: m for m in await queued(db) if m.chat_id in ("5201", "5202")}
    assert announced["5201"].payload["language"] == "en"
    assert "Putaran Januari is open!" in rendered(announced["5201"], chat_renderer)
    assert announced["5202"].payload["language"] == "id"
    assert "Putaran Januari dibuka!" in rendered(announced["5202"], chat_renderer)


async def test_a_phone_language_we_do_not_speak_leaves_the_choice_open(
    chat_admin: ChatUser, chat_renderer: Renderer, chat_clock: Clock
) -> None:
    db = chat_admin.services.db
    await reps.add_rep(db, Rep("telegram", "5203", "DT", display_name="Ibu Sri"), chat_clock())
    sri = ChatUser(chat_admin.services, chat_renderer, "5203", "Ibu Sri", language_hint="jv")

    await sri.send("/pesanan")

    assert (await preferences.get_prefs(db, "telegram", "5203")).language is None
