"""The users file: names, roles and argon2 password hashes, never plaintext.

A JSON file at `settings.resolved_users_file` (mode 0600), rewritten atomically (temporary file
+ os.replace) under an exclusive lock, so concurrent `assistant users add` runs lose nothing.
Gradio's `launch(auth=verify)` calls `verify(name, password)`.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from assistant.errors import InputError
from assistant.fileio import atomic_write_text

Role = Literal["agent", "lead"]
ROLES: tuple[Role, ...] = ("agent", "lead")
MIN_PASSWORD_CHARS = 8
NAME_PATTERN = re.compile(r"^[\w.@-]{1,64}$")
FILE_MODE = 0o600


@dataclass(frozen=True)
class User:
    name: str
    role: Role
    created_at: str


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A hash to verify against for unknown users, so they cost as much time as known ones."""
    return _hasher().hash("unknown-user-placeholder")


def users_file(path: Path | None = None) -> Path:
    if path is not None:
        return Path(path)
    from assistant.settings import get_settings

    return get_settings().resolved_users_file


def _read(path: Path) -> dict[str, dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise InputError(f"用户文件 {path} 无法读取：{exc}") from None
    users = data.get("users") if isinstance(data, dict) else None
    if not isinstance(users, dict):
        raise InputError(f"用户文件 {path} 格式不对：缺少 users。")
    return users


def _write(path: Path, users: dict[str, dict]) -> None:
    atomic_write_text(
        path, json.dumps({"version": 1, "users": users}, ensure_ascii=False, indent=2), mode=FILE_MODE
    )


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, FILE_MODE)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _validate(name: str, password: str, role: str) -> None:
    if not NAME_PATTERN.match(name or ""):
        raise InputError("用户名只能包含字母、数字、汉字、下划线、点、@ 和 -，最长 64 个字符。")
    if role not in ROLES:
        raise InputError(f"未知角色“{role}”，可选：{'、'.join(ROLES)}。")
    if len(password or "") < MIN_PASSWORD_CHARS:
        raise InputError(f"密码至少需要 {MIN_PASSWORD_CHARS} 个字符。")


def add_user(name: str, password: str, role: str, *, replace: bool = False, path: Path | None = None) -> User:
    """Add a user (or, with replace=True, reset an existing one's password and role)."""
    _validate(name, password, role)
    target = users_file(path)
    with _locked(target):
        users = _read(target)
        if name in users and not replace:
            raise InputError(f"用户“{name}”已存在；如需重设密码，请加 --replace。")
        created = users.get(name, {}).get("created_at") or datetime.now(UTC).isoformat(timespec="seconds")
        users[name] = {"role": role, "hash": _hasher().hash(password), "created_at": created}
        _write(target, users)
    return User(name=name, role=role, created_at=created)


def verify(name: str, password: str, path: Path | None = None) -> bool:
    """True when the password is right. Unknown users cost a hash check too."""
    entry = _read(users_file(path)).get(name or "")
    stored = entry.get("hash") if isinstance(entry, dict) else None
    try:
        return _hasher().verify(stored or _dummy_hash(), password or "") and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def role_of(name: str, path: Path | None = None) -> Role | None:
    entry = _read(users_file(path)).get(name or "")
    role = entry.get("role") if isinstance(entry, dict) else None
    return role if role in ROLES else None


def list_users(path: Path | None = None) -> list[User]:
    users = _read(users_file(path))
    return [
        User(name=name, role=entry.get("role", "agent"), created_at=entry.get("created_at", ""))
        for name, entry in sorted(users.items())
    ]


def has_users(path: Path | None = None) -> bool:
    return bool(_read(users_file(path)))
