"""Who the bot's own messages go to: `load_audience` reads every rep, admin, linked group
and language preference and the retired coops in five SELECTs (inside the close's or the
reminder's transaction)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from purchasing.model import Rep, RepRole
from storage.database import Connection

ChatKey = tuple[str, str]  # (platform, user or chat id)


@dataclass(frozen=True, slots=True)
class Audience:
    """Everyone the bot may write to on its own initiative."""

    reps: tuple[Rep, ...] = ()
    admins: tuple[ChatKey, ...] = ()
    groups: tuple[ChatKey, ...] = ()
    languages: Mapping[ChatKey, str] = field(default_factory=dict)
    # Coops that left the JUK (`storage.catalog.retirement.retire_coops`): their reps still get
    # the bill of a round they ordered in, but no reminders.
    retired_coops: frozenset[str] = frozenset()
    # reps by (role, coop), built once: a close asks for one coop's treasurers per bill, and
    # scanning every rep each time made a 10,000-coop close quadratic.
    _by_coop: dict[tuple[RepRole, str], list[Rep]] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        for rep in self.reps:
            self._by_coop.setdefault((rep.role, rep.coop_code), []).append(rep)

    def language(self, platform: str, user_id: str, default: str) -> str:
        return self.languages.get((platform, user_id), default)

    def treasurers(self, coop_code: str | None = None) -> list[Rep]:
        """Reps who order for a coop (of `coop_code`, or of any coop)."""
        if coop_code is not None:
            return list(self._by_coop.get((RepRole.TREASURER, coop_code), ()))
        return [rep for rep in self.reps if rep.role is RepRole.TREASURER]

    def supplier_reps(self, supplier_code: str) -> list[Rep]:
        return list(self._by_coop.get((RepRole.SUPPLIER, supplier_code), ()))


async def load_audience(conn: Connection) -> Audience:
    rep_rows = await conn.fetch_all("SELECT * FROM reps ORDER BY coop_code, platform, user_id")
    admin_rows = await conn.fetch_all(
        "SELECT platform, user_id FROM admins ORDER BY platform, user_id"
    )
    group_rows = await conn.fetch_all(
        "SELECT platform, chat_id FROM linked_groups ORDER BY platform, at, chat_id"
    )
    language_rows = await conn.fetch_all(
        "SELECT platform, user_id, language FROM user_prefs WHERE language IS NOT NULL"
    )
    retired_rows = await conn.fetch_all("SELECT code FROM coops WHERE retired_at IS NOT NULL")
    return Audience(
        reps=tuple(
            Rep(
                platform=row["platform"],
                user_id=row["user_id"],
                coop_code=row["coop_code"],
                role=RepRole(row["role"]),
                display_name=row["display_name"],
            )
            for row in rep_rows
        ),
        admins=tuple((row["platform"], row["user_id"]) for row in admin_rows),
        groups=tuple((row["platform"], row["chat_id"]) for row in group_rows),
        languages={(row["platform"], row["user_id"]): row["language"] for row in language_rows},
        retired_coops=frozenset(row["code"] for row in retired_rows),
    )
