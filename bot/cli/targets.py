"""Where a command writes: checked before any work is done, each fault told in one line.

`export --out DIR` and `report ... --out DIR` write into a folder (`check_folder`: made if
missing); `report ... --chart FILE.png` writes one file (`check_file`); `backup PATH` writes
one new file that is not the database itself (`check_backup_target`). A path that cannot
serve is refused with `CannotWrite` (the path and the OS's words for what is wrong, as
`DatabaseFolderUnusable` does), `BackupIsDatabase` or `BackupExists`, before the report is
printed or anything is written, so a refused command leaves nothing half done.

What goes wrong only while writing (the disk fills up, the folder is removed meanwhile)
reaches `bot.cli.app.main` as an `OSError` naming the file; `file_problem` tells it as
`FileUnusable` instead of an unexpected failure.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from bot.cli.errors import BackupExists, BackupIsDatabase, CannotRead, CannotWrite, FileUnusable


def check_readable(*paths: Path) -> None:
    """Files this user may read, each: the first that is missing, a folder or unreadable is
    refused (`CannotRead`) before anything is read."""
    for path in paths:
        if not path.exists():
            code = errno.ENOENT
        elif path.is_dir():
            code = errno.EISDIR
        elif not os.access(path, os.R_OK):
            code = errno.EACCES
        else:
            continue
        raise CannotRead(path=str(path), detail=os.strerror(code))


def check_folder(folder: Path) -> None:
    """A folder this user may write files into, made (with its parents) if missing."""
    if folder.exists() and not folder.is_dir():
        raise _cannot(folder, errno.ENOTDIR, "folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _cannot(folder, error.errno, "folder") from error
    if not os.access(folder, os.W_OK | os.X_OK):
        raise _cannot(folder, errno.EACCES, "folder")


def check_file(path: Path) -> None:
    """A file this user may write (replacing it if it is there), its folder made if missing."""
    if path.is_dir():
        raise _cannot(path, errno.EISDIR, "file")
    check_folder(path.parent)
    if path.exists() and not os.access(path, os.W_OK):
        raise _cannot(path, errno.EACCES, "file")


def check_backup_target(path: Path, database: Path) -> None:
    """A new file for a copy of `database`: never the database itself (however the path is
    written: relative, through a link) and never a file that is there already."""
    if path.is_dir():
        raise _cannot(path, errno.EISDIR, "file")
    if _same_file(path, database):
        raise BackupIsDatabase(path=str(path))
    if path.exists() or path.is_symlink():
        raise BackupExists(path=str(path))
    check_folder(path.parent)


def file_problem(error: Exception) -> Exception:
    """`FileUnusable` for an OSError that names its file (what the OS said), else `error`."""
    if isinstance(error, OSError) and error.filename is not None:
        detail = error.strerror or type(error).__name__
        return FileUnusable(path=os.fsdecode(error.filename), detail=detail)
    return error


def _same_file(path: Path, database: Path) -> bool:
    if path.resolve() == database.resolve():
        return True
    try:
        return path.exists() and os.path.samefile(path, database)  # a hard link too
    except OSError:
        return False


def _cannot(path: Path, code: int | None, wanted: str) -> CannotWrite:
    detail = os.strerror(code) if code is not None else "?"
    return CannotWrite(path=str(path), detail=detail, wanted=wanted)
