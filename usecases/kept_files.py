"""Files people send in the chat (proofs of transfer, photos of damaged goods), kept next to
the database in `bukti/` under their SHA-256, so the same file sent twice is kept once and
`belanja-bareng backup` copies the folder along with the database."""

from __future__ import annotations

import asyncio
import hashlib
import shutil
from pathlib import Path

PROOFS_DIR = "bukti"  # next to the database: files people sent
# Kept files passed on as a picture in the chat (Telegram's sendPhoto), not as a file: the
# photos treasurers take of a transfer or of damaged goods. A PDF stays a document.
PICTURE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png"})


def proofs_folder(database: Path) -> Path:
    """Where the files sent to the bot of the database at `database` are kept."""
    return database.parent / PROOFS_DIR


async def place_for(database: Path, file: Path, name: str) -> tuple[str, Path]:
    """The SHA-256 of `file` (sent as `name`) and where it is kept."""
    digest = hashlib.sha256(await asyncio.to_thread(file.read_bytes)).hexdigest()
    return digest, proofs_folder(database) / f"{digest}{Path(name).suffix.lower()}"


def shown_as_picture(kept: Path) -> bool:
    """Whether a kept file is passed on as a picture (`Reply.picture`) rather than a file."""
    return kept.suffix.lower() in PICTURE_SUFFIXES


async def keep(file: Path, target: Path) -> None:
    """Copy `file` to `target` unless it is there; a crash never leaves half a file there."""
    await asyncio.to_thread(_keep, file, target)


async def copy_proofs(database: Path, destination: Path) -> int:
    """Copy the kept files of the database at `database` missing from `destination` (named
    by their SHA-256, so one folder serves every backup); how many were copied."""
    return await asyncio.to_thread(_copy_missing, proofs_folder(database), destination)


def _copy_missing(source: Path, destination: Path) -> int:
    if not source.is_dir():
        return 0
    kept = [f for f in source.iterdir() if f.is_file() and f.suffix != ".part"]
    missing = [f for f in kept if not (destination / f.name).exists()]
    for file in missing:
        _keep(file, destination / file.name)
    return len(missing)


def _keep(file: Path, target: Path) -> None:
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    shutil.copy2(file, partial)
    partial.replace(target)
