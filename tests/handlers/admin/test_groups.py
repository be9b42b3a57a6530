"""Broadcasts, the linked JUK group, and progress posts toward volume prices."""

from __future__ import annotations

from handlers import groups as group_flow
from handlers.contract.events import ChatKind, IncomingEvent
from handlers.contract.flow import Turn
from handlers.contract.identity import identify
from handlers.contract.services import Services
from handlers.router import handle
from messages.outbox_codec import decode_reply
from purchasing.model import CommitmentChange, Round
from storage.delivery import outbox
from storage.people import groups
from tests.support.clock import Clock
from tests.support.fixtures.admin import GroupChat, outbox_total
from tests.support.fixtures.chat import ChatUser, quantities, render_reply
from usecases.notices.announcements import Milestone, progress_posts
from usecases.notices.audience import group_recipients
from usecases.notices.posts import queue_posts


def _broadcast_event(admin: ChatUser, text: str) -> IncomingEvent:
    return IncomingEvent(
        platform="telegram", user_id=admin.user_id, display_name=admin.display_name,
        chat_id=admin.user_id, chat_kind=ChatKind.PRIVATE, text=text, message_id="77",
    )  # fmt: skip


async def test_admin_broadcasts_to_3_reps_and_a_group_4_rows_and_twice_queues_nothing_new(
    chat_admin: ChatUser, admin_reps: list[ChatUser], admin_group: GroupChat, chat_clock: Clock
) -> None:
    services = chat_admin.services
    await admin_group.send(chat_admin, "/hubungkan")
    event = _broadcast_event(chat_admin, "/siaran Rapat JUK hari Kamis jam 9 di Dinas")

    first = await handle(services, event)
    second = await handle(services, event)

    assert [r.template for r in first] == ["admin_broadcast_queued"]
    assert first[0].context == {"queued": 4, "recipients": 4}
    assert second[0].context == {"queued": 0, "recipients": 4}
    assert await outbox_total(services, "broadcast:") == 4
    due = await outbox.due_messages(services.db, chat_clock())
    [progress] = [m for m in due if m.kind == "broadcast_progress"]
    sent = [m for m in due if m.kind == "broadcast"]
    assert progress.chat_id == chat_admin.user_id  # edited in place as the broadcast goes out
    assert sorted(m.chat_id for m in sent) == sorted(["5101", "5102", "5103", admin_group.chat_id])
    replies = {m.chat_id: decode_reply(m.payload) for m in sent}
    assert replies["5101"].context == {"text": "Rapat JUK hari Kamis jam 9 di Dinas"}
    assert (replies["5101"].language, replies["5102"].language) == ("id", "en")


async def test_a_broadcast_too_long_says_so_and_the_help_says_who_receives_one(
    chat_admin: ChatUser, admin_reps: list[ChatUser]
) -> None:
    too_long = await chat_admin.send("/siaran " + "x" * 3001)
    too_long_text = chat_admin.last_text
    await chat_admin.send("/bantuan")

    assert [r.template for r in too_long] == ["admin_broadcast_usage"]
    assert too_long_text.startswith(
        "Teks siaran terlalu panjang: 3.001 karakter, paling banyak 3.000"
    )
    assert await outbox_total(chat_admin.services, "broadcast:") == 0
    assert (
        "/siaran TEKS — kirim pesan ke semua pengurus koperasi, perwakilan pemasok dan grup"
        in chat_admin.last_text
    )


async def test_admin_links_a_group_and_an_order_past_sugar_moq_queues_one_progress_post_once(
    chat_admin: ChatUser, admin_group: GroupChat, chat_round: Round
) -> None:
    services = chat_admin.services
    linked = await admin_group.send(chat_admin, "/hubungkan")
    assert [r.template for r in linked] == ["group_linked"]
    assert [g.chat_id for g in await groups.linked_groups(services.db)] == [admin_group.chat_id]

    await chat_admin.send("/pesankan DT GLP-50 3")
    assert await outbox_total(services, "progress:") == 0

    await chat_admin.send("/pesankan KKPITB GLP-50 2")
    await chat_admin.send("/pesankan KOPERTIS4 GLP-50 1")
    sugar = chat_round.item("GLP-50")
    assert sugar is not None
    the_same_step_again = Milestone(CommitmentChange(old=0, new=2, item=sugar, total=5), "moq")
    readers = await group_recipients(services.db, services.default_language)
    again = progress_posts(chat_round.id, [the_same_step_again], readers)
    assert await queue_posts(services.db, again, services.now()) == 0

    [post] = await outbox.due_messages(services.db, services.now())
    assert (post.kind, post.chat_id) == ("progress", admin_group.chat_id)
    assert post.dedupe_key.startswith(f"progress:{chat_round.id}:GLP-50:moq:")
    reply = decode_reply(post.payload)
    assert reply.template == "announce_progress"
    assert reply.context["milestone"] == "moq" and reply.context["total"] == 5
    assert "DT" not in str(reply.context) and "KKPITB" not in str(reply.context)

    await chat_admin.send("/pesankan DT GLP-50 7")
    assert await outbox_total(services, "progress:") == 2
    assert await outbox_total(services, f"progress:{chat_round.id}:GLP-50:tier10:") == 1


async def test_progress_is_not_posted_without_a_linked_group_or_below_the_moq(
    chat_admin: ChatUser, chat_round: Round
) -> None:
    await chat_admin.send("/pesankan DT GLP-50 12")
    assert await outbox_total(chat_admin.services) == 0


async def test_ordering_command_in_a_group_answers_with_a_private_chat_button(
    chat_services: Services, chat_treasurer: ChatUser, admin_group: GroupChat, chat_round: Round
) -> None:
    event = IncomingEvent(
        platform="telegram", user_id=chat_treasurer.user_id, display_name="Bu Siti",
        chat_id=admin_group.chat_id, chat_kind=ChatKind.GROUP, text="/pesanan",
    )  # fmt: skip
    turn = Turn(event=event, person=await identify(chat_services, event))

    replies = await group_flow.redirect_to_private(chat_services, turn)

    assert [reply.template for reply in replies] == ["group_use_private_chat"]
    [option] = replies[0].flat_options
    assert option.open_private_chat and option.payload == ""


async def test_in_the_group_a_treasurer_sees_and_changes_no_order_only_a_private_chat_button(
    chat_treasurer: ChatUser, admin_group: GroupChat, chat_round: Round
) -> None:
    await chat_treasurer.send("/pesan GLP-50 6")
    code, round_id = "GLP-50", chat_round.id

    typed = [
        await admin_group.send(chat_treasurer, command)
        for command in (
            "/start",
            "/mulai",
            "/saya",
            "/koperasi",
            "/bahasa",
            "/terima",
            "/cari gula",
        )
    ]
    pressed = [
        await admin_group.press(chat_treasurer, payload)  # buttons of a menu shown before
        for payload in (f"o:{round_id}", f"q:{round_id}:{code}:+10:DT", f"p:{round_id}:{code}")
    ]

    for replies in typed + pressed:
        assert [reply.template for reply in replies] == ["group_use_private_chat"]
        assert "Rp" not in admin_group.last_text and "karung" not in admin_group.last_text
    assert await quantities(chat_treasurer.services.db, round_id) == {("DT", code): 6}
    helped = await admin_group.send(chat_treasurer, "/bantuan")
    assert [reply.template for reply in helped] == ["help"]


async def test_only_an_admin_links_a_group_and_only_from_the_group(
    chat_stranger: ChatUser, chat_admin: ChatUser, admin_group: GroupChat
) -> None:
    refused = await admin_group.send(chat_stranger, "/hubungkan")
    in_private = await chat_admin.send("/link")

    assert [r.template for r in refused] == ["errors/not_admin"]
    assert [r.template for r in in_private] == ["group_link_only_in_group"]
    assert await groups.linked_groups(chat_admin.services.db) == []

    await admin_group.send(chat_admin, "/hubungkan")
    again = await admin_group.send(chat_admin, "/hubungkan")
    assert again[0].context == {"already": True}


async def test_admin_commands_in_a_group_point_to_the_private_chat(
    chat_admin: ChatUser, admin_group: GroupChat, chat_round: Round
) -> None:
    replies = await admin_group.send(chat_admin, "/rekap")

    assert [r.template for r in replies] == ["group_use_private_chat"]
    assert await outbox_total(chat_admin.services) == 0


async def test_an_order_past_the_moq_and_its_progress_post_are_saved_together_or_not_at_all(
    chat_admin: ChatUser,
    chat_treasurer: ChatUser,
    admin_group: GroupChat,
    chat_round: Round,
) -> None:
    await admin_group.send(chat_admin, "/hubungkan")
    db = chat_treasurer.services.db
    await db.execute("ALTER TABLE outbox RENAME TO outbox_away")  # the post cannot be queued

    refused = await chat_treasurer.send("GLP-50 6")
    nothing = await quantities(db, chat_round.id)
    await db.execute("ALTER TABLE outbox_away RENAME TO outbox")
    replies = await chat_treasurer.send("GLP-50 6")

    assert [reply.template for reply in refused] == ["errors/internal"]
    assert ("DT", "GLP-50") not in nothing
    assert [reply.template for reply in replies] == ["order_result"]
    assert (await quantities(db, chat_round.id))[("DT", "GLP-50")] == 6
    assert await outbox_total(chat_admin.services, "progress:") == 1


async def test_the_groups_round_announcement_points_to_the_private_chat_not_to_katalog(
    chat_admin: ChatUser, admin_reps: list[ChatUser], admin_group: GroupChat, chat_clock: Clock
) -> None:
    await admin_group.send(chat_admin, "/hubungkan")
    await chat_admin.send("/putaran baru Putaran Desember | Jumat 17.00")

    posts = {
        m.chat_id: decode_reply(m.payload)
        for m in await outbox.due_messages(chat_admin.services.db, chat_clock())
        if m.kind == "round_opened"
    }
    in_group = render_reply(chat_admin.renderer, posts[admin_group.chat_id])
    in_private = render_reply(chat_admin.renderer, posts["5101"])

    assert "/katalog" not in in_group
    assert "buka obrolan pribadi dengan saya: tekan tombol di bawah" in in_group
    assert "Kirim /katalog untuk melihat produk dan harga" in in_private


async def test_a_command_redirected_from_the_group_is_not_said_to_be_about_ordering(
    chat_admin: ChatUser, admin_group: GroupChat, chat_round: Round
) -> None:
    await admin_group.send(chat_admin, "/rekap")
    typed = admin_group.last_text
    await admin_group.press(chat_admin, f"am:{chat_round.id}")
    pressed = admin_group.last_text

    assert "Pemesanan" not in typed + pressed
    assert typed.startswith("Perintah itu saya jawab di obrolan pribadi")
    assert pressed.startswith("Tombol itu saya jawab di obrolan pribadi")


async def test_an_unknown_command_in_the_group_gets_the_groups_short_help(
    chat_treasurer: ChatUser, admin_group: GroupChat, chat_round: Round
) -> None:
    replies = await admin_group.send(chat_treasurer, "/xyz")

    assert [reply.template for reply in replies] == ["help"]
    assert admin_group.last_text.startswith(
        "Bantuan Belanja Bareng\nMaaf, saya tidak mengenal perintah itu.\nDi grup saya hanya"
    )
    assert "Perintah lain, seperti memesan" in admin_group.last_text
    [button] = replies[0].flat_options
    assert button.open_private_chat
