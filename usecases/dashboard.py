"""The web dashboard's sign-in without passwords, and what its pages read.

An admin's `/dasbor` asks `make_link` for a one-use sign-in token (valid `LINK_MINUTES`);
the link `<public_url>/masuk/<token>` opened and confirmed in a browser is `sign_in`, which
uses the link up (once, even when two browsers race) and starts a session (valid
`SESSION_HOURS`) whose token lives in an HttpOnly cookie. `session` checks it on every page;
`sign_out` ends one session, `sign_out_everywhere` (`/dasbor keluar`) every session and
unused link of the admin. Tokens are random (`secrets.token_urlsafe`) and only their SHA-256
is stored (`storage.dashboard_sessions`). A session or link of someone who is no longer an
admin is refused.

The pages only read: the round's recap is `usecases.recap.read_recap` (the figures of the
chat's `/rekap`), the rounds list `storage.rounds.round_headings` (no products), bills
`usecases.payments`, reports `usecases.reports`.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from purchasing.model import Round
from purchasing.settlement import BillDue
from storage import dashboard_sessions, payments, rounds
from storage.dashboard_sessions import SignedIn
from storage.rounds import RoundHeading
from usecases.context import UseCaseContext
from usecases.recap import Recap, read_recap

LINK_MINUTES = 15
SESSION_HOURS = 12
TOKEN_BYTES = 32

__all__ = ["SignedIn"]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class SignInLink:
    token: str
    expires_at: datetime


async def make_link(
    ctx: UseCaseContext, platform: str, user_id: str, minutes: int = LINK_MINUTES
) -> SignInLink:
    """A fresh one-use sign-in token for this admin (the handler checked they are one)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    now = ctx.now()
    expires = now + timedelta(minutes=minutes)
    await dashboard_sessions.add_link(ctx.db, token_hash(token), platform, user_id, now, expires)
    return SignInLink(token, expires)


async def check_link(ctx: UseCaseContext, token: str) -> SignedIn | None:
    """Whose link this is while it can still sign in; nothing is used up."""
    return await dashboard_sessions.link_admin(ctx.db, token_hash(token), ctx.now())


@dataclass(frozen=True, slots=True)
class Session:
    token: str
    who: SignedIn
    expires_at: datetime


async def sign_in(ctx: UseCaseContext, token: str, hours: int = SESSION_HOURS) -> Session | None:
    """Use the link up and start a session; None when the link cannot sign in."""
    now = ctx.now()
    async with ctx.db.transaction() as tx:
        who = await dashboard_sessions.use_link(tx, token_hash(token), now)
        if who is None:
            return None
        session_token = secrets.token_urlsafe(TOKEN_BYTES)
        expires = now + timedelta(hours=hours)
        await dashboard_sessions.add_session(tx, token_hash(session_token), who, now, expires)
    return Session(session_token, who, expires)


async def session(ctx: UseCaseContext, token: str) -> SignedIn | None:
    """Who this session cookie signs in, or None (unknown, expired, revoked, not an admin)."""
    if not token:
        return None
    return await dashboard_sessions.session_admin(ctx.db, token_hash(token), ctx.now())


async def sign_out(ctx: UseCaseContext, token: str) -> None:
    await dashboard_sessions.revoke_session(ctx.db, token_hash(token), ctx.now())


async def sign_out_everywhere(ctx: UseCaseContext, platform: str, user_id: str) -> int:
    """End every session and unused link of this admin; how many sessions were live."""
    return await dashboard_sessions.revoke_sessions_of(ctx.db, platform, user_id, ctx.now())


async def open_round(ctx: UseCaseContext) -> Recap | None:
    """The open round's recap, as `/rekap` without a number shows it; None: no open round."""
    round_ = await rounds.current_round(ctx.db, ctx.now())
    return None if round_ is None else await read_recap(ctx.db, round_)


async def round_recap(ctx: UseCaseContext, round_id: int) -> Recap | None:
    """Round `round_id`'s recap, as `/rekap <id>` shows it; None: no such round."""
    round_ = await rounds.get_round(ctx.db, round_id)
    return None if round_ is None else await read_recap(ctx.db, round_)


async def all_rounds(ctx: UseCaseContext) -> list[RoundHeading]:
    """Every round (what the list shows of it, not its products), newest first."""
    found = await rounds.round_headings(ctx.db)
    return sorted(found, key=lambda r: (r.opens_at, r.id), reverse=True)


@dataclass(frozen=True, slots=True)
class Settlement:
    """A closed round's bills and what has been paid against them."""

    round: Round
    bills: tuple[BillDue, ...]

    @property
    def total(self) -> int:
        return sum(bill.total for bill in self.bills)

    @property
    def paid(self) -> int:
        """Paid towards the bills: a bill's overpayment is not part of it (see `overpaid`)."""
        return sum(min(bill.paid, bill.total) for bill in self.bills)

    @property
    def overpaid(self) -> int:
        """Paid beyond the bills, to be returned to the coops (or set against their next)."""
        return sum(max(bill.paid - bill.total, 0) for bill in self.bills)

    @property
    def owing(self) -> tuple[BillDue, ...]:
        return tuple(bill for bill in self.bills if not bill.settled)


async def settlement(ctx: UseCaseContext, round_id: int) -> Settlement | None:
    round_ = await rounds.get_round(ctx.db, round_id)
    if round_ is None:
        return None
    return Settlement(round_, tuple(await payments.bills_due(ctx.db, round_id)))
