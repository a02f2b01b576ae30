"""Writing a file so that a crash or a full disk never leaves it half written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["write_atomic"]


def write_atomic(path: str | os.PathLike[str], content: bytes, *, overwrite: bool = True) -> Path:
    """Write ``content`` to ``path`` through a temporary file in the same folder, flushed to disk
    and then renamed over ``path``: an existing file is replaced only by a complete one.

    Raises
    ------
    FileExistsError
        When ``overwrite`` is False and ``path`` exists (checked before writing and again just
        before the rename, in case someone wrote it meanwhile).
    """
    p = Path(path)
    if not overwrite and p.exists():
        raise FileExistsError(f"{p} exists; not overwritten")
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        if not overwrite and p.exists():
            raise FileExistsError(f"{p} exists; not overwritten")
        os.replace(tmp, p)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return p
