"""A round created step by step in the chat, besides the one-line `/putaran baru NAMA | TUTUP`.

`/putaran baru` alone (or the "Buat putaran baru" button under `/putaran`, "rn") asks, one
question at a time: the name → the deadline in the staff's words (`purchasing.spoken_times`:
"Jumat 17.00", "besok jam 5 sore") → the products ("Semua produk" or typed codes) → the MOQ
policy (drop the product, or extend the round once by 24 or 48 hours) → a delivery note
("Lewati" for none) → a summary with "Buka sekarang", "Simpan sebagai draf" (then one more
question: when it opens by itself) and "Batal". While another round is open the summary
says so and offers "Simpan sebagai draf" only (a draft opens after that round closes; one
whose deadline is not after that round's is sent back to the deadline question), so the
answers are never lost to a refusal. `/putaran salin` (button "rl") starts from the
newest round's products, MOQ policy and delivery note and asks only the name and deadline;
products retired since that round are left out, and the admin is told which (an extension
stored before `purchasing.rounds.check_extension` is copied as it worked, within bounds).

The answers so far live in the admin's conversation state (`storage.people.conversations`,
{"expect": "round_step", "step": ..., "token": ...}), so they survive a restart and belong
to that admin's chat alone. Typed answers come through `typed_answer` (the router's
free-text branch asks it first); a wrong one is explained with an example and the question
stays open. Buttons "rw:<token>:<choice>" are checked again on the server: an admin only
(`guard.admin_only`), the token of the steps this admin is on, and a choice the current step
offers; anything else is "this button is no longer valid". The round itself is made by
`usecases.rounds.create_round`, which checks every rule of a plan once more.
"""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta

from handlers.admin.guard import admin_only
from handlers.contract.flow import Handler, Turn
from handlers.contract.services import Services
from messages.buttons import ForgedPayload, Verb, encode
from messages.replies import Option, Reply
from purchasing import rounds as rules
from purchasing.errors import (
    AnotherRoundOpen,
    DeadlineBeforeOpening,
    DraftNeverOpens,
    OpenAfterDeadline,
    UnknownProduct,
)
from purchasing.model import MoqPolicy, Round, RoundPlan, RoundStatus
from purchasing.spoken_times import parse_spoken_time
from purchasing.times import TimeInvalid
from storage import rounds
from storage.catalog.reads import list_products, products_with_standing
from storage.delivery import outbox
from usecases.preferences import stop_waiting, wait_for_answer
from usecases.rounds import create_round

EXPECT = "round_step"
STATE_TTL = timedelta(hours=2)
NAME_LIMIT = 80  # as the one-line form (`handlers.admin.rounds`)
NOTE_LIMIT = 500
EXAMPLE_CODES = 3
# Which step offers each button choice ("stop" is offered by every step).
CHOICES = {
    "all": "products",
    "drop": "moq",
    "e24": "moq",
    "e48": "moq",
    "skip": "note",
    "open": "summary",
    "draft": "summary",
}
EXTEND_HOURS = {"e24": 24, "e48": 48}


@dataclass(frozen=True, slots=True)
class Answers:
    """What the admin answered so far, as kept in their conversation state."""

    token: str
    step: str = "name"
    copy_of: int | None = None  # the round whose products and policy are copied
    copy_name: str = ""
    # The copied round's products retired since: [{"code": ..., "name": ...}].
    left_out: list[dict[str, str]] = field(default_factory=list)
    name: str = ""
    closes_at: str = ""  # ISO text of an aware datetime
    codes: list[str] = field(default_factory=list)  # empty: every current product
    moq_policy: str = MoqPolicy.DROP.value
    extend_hours: int = 0
    note: str = ""
    # The deadline is asked again after the summary (it passed meanwhile): back to the summary.
    from_summary: bool = False

    def state(self) -> dict[str, object]:
        return {"expect": EXPECT, **asdict(self)}

    @property
    def deadline(self) -> datetime:
        return datetime.fromisoformat(self.closes_at)

    def plan(self, opens_at: datetime) -> RoundPlan:
        return RoundPlan(
            self.name, opens_at, self.deadline, tuple(self.codes), self.note,
            MoqPolicy(self.moq_policy), self.extend_hours,
        )  # fmt: skip


def _saved(turn: Turn) -> Answers | None:
    """This admin's answers, if they are in the middle of creating a round."""
    saved = turn.person.conversation
    if saved is None or saved.state.get("expect") != EXPECT:
        return None
    fields = {key: value for key, value in saved.state.items() if key != "expect"}
    try:
        return Answers(**fields)
    except TypeError:
        return None


async def _ask(services: Services, turn: Turn, answers: Answers, **problem: object) -> Reply:
    """Save `answers` and ask the question of its step (with what was wrong, if anything)."""
    event = turn.event
    await wait_for_answer(services, event.platform, event.user_id, answers.state())
    context: dict[str, object] = {"answers": answers, "problem": "", **problem}
    buttons: list[tuple[str, str, dict[str, object]]] = []
    match answers.step:
        case "deadline" | "opens":
            context["now"] = services.now()
        case "products":
            current = await list_products(services.db, include_retired=False)
            context["product_count"] = len(current)
            context["examples"] = [product.code for product in current[:EXAMPLE_CODES]]
            buttons = [("all", "all", {"count": len(current)})]
        case "moq":
            buttons = [("drop", "drop", {})]
            buttons += [(key, "extend", {"hours": hours}) for key, hours in EXTEND_HOURS.items()]
        case "note":
            buttons = [("skip", "skip", {})]
        case "summary":
            context["deadline"] = answers.deadline
            context["product_count"] = len(answers.codes) or len(
                await list_products(services.db, include_retired=False)
            )
            open_round = await rounds.current_round(services.db, services.now())
            context["open_round"] = open_round  # then it can only be saved as a draft
            buttons = [("draft", "draft", {})]
            if open_round is None:
                buttons.insert(0, ("open", "open", {}))
    options = [
        Option(f"buttons/admin_round_step_{label}", shown, _step_payload(answers, choice))
        for choice, label, shown in [*buttons, ("stop", "stop", {})]
    ]
    reply = turn.reply(f"admin_round_step_{answers.step}", context)
    return replace(reply, options=tuple((option,) for option in options))


def _step_payload(answers: Answers, choice: str) -> str:
    return encode(Verb.ROUND_STEP, answers.token, choice)


@admin_only
async def start_new(services: Services, turn: Turn) -> list[Reply]:
    """`/putaran baru` alone, or the button "rn": the first question, the round's name."""
    return [await _ask(services, turn, Answers(token=secrets.token_hex(4)))]


@admin_only
async def start_copy(services: Services, turn: Turn) -> list[Reply]:
    """`/putaran salin` or "rl": the newest round's products, MOQ policy and delivery note;
    only the name and deadline are asked. Products retired (or gone) since are left out and
    named; when none is left, nothing is copied."""
    latest = await rounds.list_rounds(services.db)
    if not latest:
        return [turn.reply("admin_round_step_no_last")]
    last = latest[0]
    codes = [item.product_code for item in last.items]
    found, retired = await products_with_standing(services.db, codes)
    current = {product.code for product in found} - retired
    kept = [code for code in codes if code in current]
    left_out = [
        {"code": item.product_code, "name": item.name}
        for item in last.items
        if item.product_code not in current
    ]
    if not kept:
        return [turn.reply("admin_round_step_copy_none", {"round": last, "left_out": left_out})]
    policy, hours = _copied_moq_policy(last)
    answers = Answers(
        token=secrets.token_hex(4), copy_of=last.id, copy_name=last.name, left_out=left_out,
        codes=kept, moq_policy=policy.value, extend_hours=hours, note=last.delivery_note,
    )  # fmt: skip
    return [await _ask(services, turn, answers)]


def _copied_moq_policy(last: Round) -> tuple[MoqPolicy, int]:
    """The copied round's MOQ policy as it worked, within what a plan may hold now
    (`purchasing.rounds.check_extension`): a round created before that check may hold hours
    with DROP or no hours with EXTEND (both dropped: copied as DROP), or more than
    MAX_EXTEND_HOURS (extended by that much at most: copied so)."""
    if last.moq_policy is not MoqPolicy.EXTEND or last.extend_hours < rules.MIN_EXTEND_HOURS:
        return MoqPolicy.DROP, 0
    return MoqPolicy.EXTEND, min(last.extend_hours, rules.MAX_EXTEND_HOURS)


async def typed_answer(services: Services, turn: Turn) -> list[Reply] | None:
    """The answer an admin typed to the current question, if they are creating a round;
    None otherwise (then the text is read as usual). Waiting longer than STATE_TTL, or no
    longer being an admin, ends the steps."""
    answers = _saved(turn)
    if answers is None:
        return None
    saved = turn.person.conversation
    assert saved is not None
    if not turn.person.is_admin or services.now() - saved.updated_at > STATE_TTL:
        await stop_waiting(services, turn.event.platform, turn.event.user_id)
        return None
    text = " ".join(turn.args.split())
    match answers.step:
        case "name":
            return [await _answer_name(services, turn, answers, text)]
        case "deadline":
            return [await _answer_deadline(services, turn, answers, text)]
        case "products":
            return [await _answer_products(services, turn, answers, text)]
        case "note":
            if len(turn.args.strip()) > NOTE_LIMIT:
                return [await _ask(services, turn, answers, problem="too_long", limit=NOTE_LIMIT)]
            return [
                await _ask(services, turn, replace(answers, step="summary", note=turn.args.strip()))
            ]
        case "opens":
            return await _answer_opening(services, turn, answers, text)
    return [await _ask(services, turn, answers, problem="press")]  # a button is expected


async def _answer_name(services: Services, turn: Turn, answers: Answers, text: str) -> Reply:
    if not text:
        return await _ask(services, turn, answers, problem="empty")
    if len(text) > NAME_LIMIT:
        return await _ask(services, turn, answers, problem="too_long", limit=NAME_LIMIT)
    return await _ask(services, turn, replace(answers, step="deadline", name=text))


async def _answer_deadline(services: Services, turn: Turn, answers: Answers, text: str) -> Reply:
    now = services.now()
    try:
        closes_at = parse_spoken_time(text, now, services.timezone)
        rules.check_plan(RoundPlan(answers.name, now, closes_at), now)
    except (TimeInvalid, OpenAfterDeadline) as error:
        return await _ask(services, turn, answers, problem=error.key, typed=text)
    step = "summary" if answers.copy_of is not None or answers.from_summary else "products"
    return await _ask(services, turn, replace(answers, step=step, closes_at=closes_at.isoformat()))


async def _answer_products(services: Services, turn: Turn, answers: Answers, text: str) -> Reply:
    """Typed codes ("GLP-50, BRS-SPHP50"), each of which must be a current product."""
    codes = list(dict.fromkeys(code.upper() for code in text.replace(",", " ").split()))
    if not codes:
        return await _ask(services, turn, answers, problem="empty")
    try:
        rules.offered_products(codes, *await products_with_standing(services.db, codes))
    except UnknownProduct as error:
        return await _ask(services, turn, answers, problem=error.key, **error.params)
    return await _ask(services, turn, replace(answers, step="moq", codes=codes))


async def _answer_opening(
    services: Services, turn: Turn, answers: Answers, text: str
) -> list[Reply]:
    """When a round saved as a draft opens by itself: ahead, and before its deadline."""
    now = services.now()
    try:
        opens_at = parse_spoken_time(text, now, services.timezone)
        rules.check_plan(answers.plan(opens_at), now)
    except (TimeInvalid, DeadlineBeforeOpening) as error:
        return [await _ask(services, turn, answers, problem=error.key, typed=text)]
    except OpenAfterDeadline as error:
        again = replace(answers, step="deadline", from_summary=True)
        return [await _ask(services, turn, again, problem=error.key, typed="")]
    if opens_at <= now:
        return [await _ask(services, turn, answers, problem="opens_past", typed=text)]
    try:
        draft = await create_round(services, answers.plan(opens_at))
    except DraftNeverOpens as error:  # a round opened, or was extended, since the summary
        return [await _deadline_again(services, turn, answers, error)]
    await stop_waiting(services, turn.event.platform, turn.event.user_id)
    waits_for = await rounds.current_round(services.db, now)
    return [turn.reply("admin_round_drafted", {"round": draft, "waits_for": waits_for})]


@admin_only
async def press(services: Services, turn: Turn) -> list[Reply]:
    """ "rw:<token>:<choice>": a button of the current step of this admin's own steps."""
    assert turn.payload is not None
    token, choice = turn.payload.str_arg(0), turn.payload.str_arg(1)
    if choice != "stop" and choice not in CHOICES:
        raise ForgedPayload(turn.payload)
    answers = _saved(turn)
    if answers is None or answers.token != token:
        return [turn.reply("admin_round_step_stale")]
    if choice == "stop":
        await stop_waiting(services, turn.event.platform, turn.event.user_id)
        return [turn.reply("admin_round_step_stopped", {"answers": answers})]
    if CHOICES[choice] != answers.step:
        return [turn.reply("admin_round_step_stale"), await _ask(services, turn, answers)]
    match choice:
        case "all":
            return [await _ask(services, turn, replace(answers, step="moq", codes=[]))]
        case "drop" | "e24" | "e48":
            policy = MoqPolicy.DROP if choice == "drop" else MoqPolicy.EXTEND
            hours = EXTEND_HOURS.get(choice, 0)
            chosen = replace(answers, step="note", moq_policy=policy.value, extend_hours=hours)
            return [await _ask(services, turn, chosen)]
        case "skip":
            return [await _ask(services, turn, replace(answers, step="summary", note=""))]
        case "draft":
            return [await _save_as_draft(services, turn, answers)]
    return await _open_now(services, turn, answers)


async def _save_as_draft(services: Services, turn: Turn, answers: Answers) -> Reply:
    """ "Simpan sebagai draf": when it opens is asked next, unless its deadline is not after
    the open round's (it would never open): then the deadline is asked again."""
    open_rounds = await rounds.list_rounds(services.db, RoundStatus.OPEN)
    try:
        rules.check_draft_can_open(answers.plan(services.now()), open_rounds)
    except DraftNeverOpens as error:
        return await _deadline_again(services, turn, answers, error)
    return await _ask(services, turn, replace(answers, step="opens"))


async def _deadline_again(
    services: Services, turn: Turn, answers: Answers, error: DraftNeverOpens
) -> Reply:
    again = replace(answers, step="deadline", from_summary=True)
    return await _ask(services, turn, again, problem=error.key, typed="", **error.params)


async def _open_now(services: Services, turn: Turn, answers: Answers) -> list[Reply]:
    """ "Buka sekarang": created and opened by the use case; a deadline that passed while the
    admin was deciding is asked again; a round opened meanwhile brings the summary back,
    answers kept, with "Simpan sebagai draf" only; any other refusal leaves the summary as
    it was."""
    try:
        opened = await create_round(services, answers.plan(services.now()), open_now=True)
    except OpenAfterDeadline:
        again = replace(answers, step="deadline", from_summary=True)
        return [await _ask(services, turn, again, problem="open_after_deadline", typed="")]
    except AnotherRoundOpen:
        return [await _ask(services, turn, answers, problem="another_round_open")]
    await stop_waiting(services, turn.event.platform, turn.event.user_id)
    queued = await outbox.delivery_counts(services.db, dedupe_prefix=f"round_opened:{opened.id}:")
    return [turn.reply("admin_round_opened", {"round": opened, "queued": sum(queued.values())})]


def start_options() -> tuple[Option, ...]:
    """The two buttons under `/putaran` that start the steps."""
    return (
        Option("buttons/admin_round_step_new", payload=encode(Verb.ROUND_STEPS_NEW)),
        Option("buttons/admin_round_step_copy", payload=encode(Verb.ROUND_STEPS_COPY)),
    )


COMMANDS: dict[str, Handler] = {}
CALLBACKS: dict[Verb, Handler] = {
    Verb.ROUND_STEPS_NEW: start_new,
    Verb.ROUND_STEPS_COPY: start_copy,
    Verb.ROUND_STEP: press,
}
