"""On WhatsApp, where a bot cannot post in groups, each treasurer reads group posts privately."""

from __future__ import annotations

from handlers.contract.services import Services
from purchasing.model import Rep
from storage.people import groups, reps
from tests.support.builders import NOW
from usecases.notices.audience import group_chats, group_recipients


def test_telegram_groups_stay_groups_and_whatsapp_treasurers_are_each_written_to() -> None:
    chats = group_chats(
        [("telegram", "-100"), ("whatsapp", "120363-group")],
        [("telegram", "11"), ("whatsapp", "628111"), ("whatsapp", "628111"), ("whatsapp", "628")],
    )

    assert chats == [("telegram", "-100"), ("whatsapp", "628111"), ("whatsapp", "628")]


async def test_a_progress_post_reaches_the_linked_group_and_the_whatsapp_treasurer(
    chat_services: Services,
) -> None:
    db = chat_services.db
    await groups.link_group(db, "telegram", "-1001", "telegram:9001", NOW)
    await reps.add_rep(db, Rep("whatsapp", "628111", "DT"), NOW)
    await reps.add_rep(db, Rep("telegram", "5101", "KKPITB"), NOW)

    recipients = await group_recipients(chat_services.db, chat_services.default_language)

    assert [(r.platform, r.chat_id, r.is_group) for r in recipients] == [
        ("telegram", "-1001", True),
        ("whatsapp", "628111", False),
    ]
