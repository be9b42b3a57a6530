"""`/dasbor` in the chat: a personal link for an admin in their private chat, a plain "no"
for everyone else, and a plain answer where the dashboard is off; and its `[dashboard]`
config."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import Config, ConfigError, DashboardConfig, load_config
from bot.dashboard.serving import with_dashboard
from purchasing.model import Rep, RepRole, Round
from storage.people import reps
from tests.bot.dashboard.conftest import LINK, Dash
from tests.support.clock import Clock
from tests.support.fixtures.admin import GroupChat
from tests.support.fixtures.chat import ChatUser


async def test_a_treasurer_asking_for_the_dashboard_is_told_it_is_for_dinas_admins(
    chat_treasurer: ChatUser, dash: Dash
) -> None:
    replies = await chat_treasurer.send("/dasbor")

    assert [reply.template for reply in replies] == ["errors/dashboard_not_admin"]
    assert "dasbor web hanya untuk admin Dinas" in chat_treasurer.last_text
    assert not LINK.search(chat_treasurer.last_text)


async def test_an_admin_asking_in_the_group_gets_no_link_there(
    dash: Dash, admin_group: GroupChat
) -> None:
    await admin_group.send(dash.admin, "/dasbor")

    assert not LINK.search(admin_group.last_text)


async def test_where_the_dashboard_is_off_dasbor_says_so(chat_admin: ChatUser) -> None:
    replies = await chat_admin.send("/dashboard")

    assert [reply.template for reply in replies] == ["admin_dashboard_off"]
    assert "Dasbor web tidak aktif" in chat_admin.last_text


async def test_dasbor_with_an_unknown_word_explains_both_uses_and_makes_no_link(
    dash: Dash, chat_round: Round
) -> None:
    replies = await dash.admin.send("/dasbor masuk")

    assert [reply.template for reply in replies] == ["admin_dashboard_usage"]
    assert "/dasbor keluar" in dash.admin.last_text
    assert not LINK.search(dash.admin.last_text)


async def test_each_dasbor_gives_a_new_link_and_the_database_keeps_only_hashes(
    dash: Dash,
) -> None:
    first, second = await dash.link(), await dash.link()

    assert first != second
    rows = await dash.services.db.fetch_all("SELECT token_hash FROM dashboard_links")
    stored = {row["token_hash"] for row in rows}
    assert len(stored) == 2
    for link in (first, second):
        assert link.rsplit("/", 1)[1] not in stored


async def test_a_removed_admin_gets_no_link(dash: Dash) -> None:
    await reps.add_admin(dash.services.db, "telegram", "9002", "Pak Hadi", "config", dash.clock())
    await reps.remove_admin(dash.services.db, "telegram", "9001")

    replies = await dash.admin.send("/dasbor")

    assert [reply.template for reply in replies] == ["errors/dashboard_not_admin"]


def test_an_enabled_dashboard_needs_its_public_address(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[dashboard]\nenabled = true\n", encoding="utf-8")

    with pytest.raises(ConfigError) as raised:
        load_config(path, {})

    assert raised.value.key == "config_required"
    path.write_text(
        '[dashboard]\nenabled = true\npublic_url = "https://dasbor.example.org/"\n',
        encoding="utf-8",
    )
    settings = load_config(path, {}).dashboard
    assert (settings.public_url, settings.secure_cookie) == ("https://dasbor.example.org", True)


async def test_a_link_works_for_the_configured_minutes(chat_admin: ChatUser) -> None:
    settings = DashboardConfig(enabled=True, public_url="https://dasbor.example", link_minutes=2)
    services = with_dashboard(chat_admin.services, Config(dashboard=settings))
    admin = ChatUser(services, chat_admin.renderer, chat_admin.user_id, chat_admin.display_name)

    [reply] = await admin.send("/dasbor")

    assert reply.context["minutes"] == 2 and "2 menit" in admin.last_text
    assert reply.context["expires_at"] == services.now() + timedelta(minutes=2)


async def test_a_suppliers_rep_asking_for_the_dashboard_is_not_sent_to_a_coops_order(
    chat_admin: ChatUser, chat_clock: Clock, dash: Dash
) -> None:
    rep = Rep("telegram", "7001", "BULOG", RepRole.SUPPLIER, "Pak Joko")
    await reps.add_rep(chat_admin.services.db, rep, chat_clock())
    joko = ChatUser(dash.services, chat_admin.renderer, "7001", "Pak Joko")

    replies = await joko.send("/dasbor")

    assert [reply.template for reply in replies] == ["errors/dashboard_not_admin"]
    assert "/pesanan" not in joko.last_text and not LINK.search(joko.last_text)
