"""The guard's disk cache: what is slow to derive from a pack and the same every time.

It holds the prefilter's compiled Hyperscan databases (`prefilter`) and the marks of pack files
already validated (`loader`), each named by a hash of everything it was derived from, including
the code that derives it (`key`). Files are written atomically and only the most recently used of
each kind are kept; a cache that cannot be read or written only costs the work it would save.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType

CACHE_SIZE = 16  # files of each kind kept, the most recently used (a database is 3-4 MB)


def cache_dir() -> Path:
    """`$GUARDRAILS_CACHE`, else `~/.cache/guardrails`, else (no home, or a read-only one) a
    folder of this user's own in the temporary directory."""
    if os.environ.get("GUARDRAILS_CACHE"):
        return Path(os.environ["GUARDRAILS_CACHE"])
    try:
        home = Path.home() / ".cache" / "guardrails"
        home.mkdir(parents=True, exist_ok=True)
        if os.access(home, os.W_OK):
            return home
    except (OSError, RuntimeError):  # RuntimeError: no home directory
        pass
    return _private_temporary()


def _private_temporary() -> Path:
    """A cache folder in the temporary directory that only this user can write (what it holds is
    trusted: another user must not be able to plant a database or a mark)."""
    uid = getattr(os, "getuid", lambda: None)()
    folder = Path(tempfile.gettempdir()) / f"guardrails-cache-{uid if uid is not None else 'user'}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        info = folder.stat()
        if uid is None or (info.st_uid == uid and not info.st_mode & 0o022):
            return folder
    except OSError:
        pass
    return Path(tempfile.mkdtemp(prefix="guardrails-cache-"))  # this process's own


def key(code: Iterable[ModuleType], sources: list) -> str:
    """A name for what is derived from `sources` by `code` (the modules whose source decides it)."""
    digest = hashlib.sha256(b"".join(Path(module.__file__).read_bytes() for module in code)).hexdigest()
    return hashlib.sha256(json.dumps([digest, *sources], ensure_ascii=False).encode()).hexdigest()[:32]


def touch(path: Path) -> None:
    """Mark `path` recently used (kept when the cache is pruned); no error if it cannot be."""
    with contextlib.suppress(OSError):
        os.utime(path)


def store(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically (a temporary file renamed), then keep only the
    `CACHE_SIZE` most recently used files of its kind (suffix); a cache that cannot be written is
    no error."""
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as out:
            temporary = out.name
            out.write(data)
        os.replace(temporary, path)
        for stale in sorted(path.parent.glob("*" + path.suffix), key=_modified, reverse=True)[CACHE_SIZE:]:
            stale.unlink(missing_ok=True)
    except OSError:
        if temporary:
            Path(temporary).unlink(missing_ok=True)


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
