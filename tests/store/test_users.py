"""The users file: argon2 hashes, roles, mode 0600, atomic writes; the `assistant users` command."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from assistant.errors import InputError
from assistant.users import add_user, list_users, role_of, verify

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def users_path(tmp_path) -> Path:
    return tmp_path / "conf" / "users.json"


def test_password_is_stored_as_argon2_hash_not_plaintext(users_path):
    add_user("alice", "correct horse", "agent", path=users_path)
    raw = users_path.read_text(encoding="utf-8")
    assert "correct horse" not in raw
    assert json.loads(raw)["users"]["alice"]["hash"].startswith("$argon2id$")


def test_users_file_is_private(users_path):
    add_user("alice", "correct horse", "agent", path=users_path)
    assert stat.S_IMODE(users_path.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("name", "password", "expected"),
    [
        pytest.param("alice", "correct horse", True, id="right-password"),
        pytest.param("alice", "correct horsf", False, id="wrong-password"),
        pytest.param("alice", "", False, id="empty-password"),
        pytest.param("mallory", "correct horse", False, id="unknown-user"),
        pytest.param("", "correct horse", False, id="empty-name"),
    ],
)
def test_verify(users_path, name, password, expected):
    add_user("alice", "correct horse", "agent", path=users_path)
    assert verify(name, password, path=users_path) is expected


def test_verify_without_users_file_refuses(users_path):
    assert verify("alice", "correct horse", path=users_path) is False


def test_roles(users_path):
    add_user("alice", "password-a", "agent", path=users_path)
    add_user("lena", "password-l", "lead", path=users_path)
    assert (role_of("alice", path=users_path), role_of("lena", path=users_path)) == ("agent", "lead")
    assert role_of("nobody", path=users_path) is None
    assert [(u.name, u.role) for u in list_users(path=users_path)] == [("alice", "agent"), ("lena", "lead")]


@pytest.mark.parametrize(
    ("name", "password", "role", "message"),
    [
        pytest.param("alice", "short", "agent", "至少", id="short-password"),
        pytest.param("alice", "long enough", "admin", "未知角色", id="unknown-role"),
        pytest.param("al ice", "long enough", "agent", "用户名", id="space-in-name"),
    ],
)
def test_bad_user_is_refused(users_path, name, password, role, message):
    with pytest.raises(InputError, match=message):
        add_user(name, password, role, path=users_path)
    assert not users_path.exists()


def test_existing_user_needs_replace_to_reset_password(users_path):
    add_user("alice", "first password", "agent", path=users_path)
    with pytest.raises(InputError, match="已存在"):
        add_user("alice", "second password", "lead", path=users_path)
    assert verify("alice", "first password", path=users_path)
    add_user("alice", "second password", "lead", replace=True, path=users_path)
    assert verify("alice", "second password", path=users_path)
    assert not verify("alice", "first password", path=users_path)
    assert role_of("alice", path=users_path) == "lead"


def test_concurrent_adds_lose_no_user(users_path):
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda n: add_user(f"agent{n}", f"password{n}", "agent", path=users_path), range(8)))
    assert len(list_users(path=users_path)) == 8
    assert not [p for p in users_path.parent.iterdir() if p.name.startswith(".users.json.")]


def _cli(*args: str, stdin: str = "", env_extra: dict | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "assistant", *args], input=stdin, capture_output=True,
                          text=True, timeout=120, cwd=REPO, env=env)  # fmt: skip


def test_cli_users_add_reads_password_from_stdin_and_list_shows_no_hash(users_path):
    env = {"ASSISTANT_USERS_FILE": str(users_path)}
    added = _cli(
        "users", "add", "lena", "--role", "lead", "--password-stdin", stdin="s3cret-pass\n", env_extra=env
    )
    assert added.returncode == 0, added.stderr
    assert "lena" in added.stdout and "s3cret-pass" not in added.stdout
    assert verify("lena", "s3cret-pass", path=users_path)
    listed = _cli("users", "list", "--json", env_extra=env)
    assert json.loads(listed.stdout)[0] | {"created_at": ""} == {
        "name": "lena",
        "role": "lead",
        "created_at": "",
    }
    assert "argon2" not in listed.stdout


def test_cli_users_add_refuses_password_in_argv(users_path):
    env = {"ASSISTANT_USERS_FILE": str(users_path)}
    result = _cli("users", "add", "lena", "--password", "s3cret-pass", env_extra=env)
    assert result.returncode != 0
    assert not users_path.exists()


def test_cli_users_add_bad_role_is_one_clear_line(users_path):
    env = {"ASSISTANT_USERS_FILE": str(users_path)}
    result = _cli(
        "users", "add", "lena", "--role", "boss", "--password-stdin", stdin="s3cret-pass\n", env_extra=env
    )
    assert result.returncode == 2
    assert "未知角色" in result.stderr and "Traceback" not in result.stderr
