"""Fixtures for the audit store: real SQLite files and a real PostgreSQL 15 server on 127.0.0.1."""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

from assistant.store import AuditStore

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
_db_numbers = itertools.count(1)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_pg_user(args: list[str]) -> list[str]:
    """initdb refuses root: run the server's commands as the `postgres` system user then."""
    if os.geteuid() != 0:
        return args
    return ["runuser", "-u", "postgres", "--", *args]


@pytest.fixture(scope="session")
def pg_server():
    """A throwaway PostgreSQL cluster for the session; yields its base URL (no database)."""
    # PostgreSQL is part of the test environment (Debian's postgresql-15): a missing server fails loudly.
    assert (PG_BIN / "initdb").exists(), (
        f"PostgreSQL binaries not found in {PG_BIN}: apt-get install postgresql"
    )
    root = Path(tempfile.mkdtemp(prefix="audit-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    data, port = root / "data", _free_port()
    run = {"check": True, "capture_output": True, "timeout": 120}
    subprocess.run(_as_pg_user([str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                                "-E", "UTF8", "--locale=C", "--no-sync"]), **run)  # fmt: skip
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100"
    subprocess.run(_as_pg_user([str(PG_BIN / "pg_ctl"), "-D", str(data), "-o", options, "-l",
                                str(root / "server.log"), "-w", "-t", "60", "start"]), **run)  # fmt: skip
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        stop = [str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]
        subprocess.run(_as_pg_user(stop), capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)


def new_pg_database(base_url: str) -> str:
    import psycopg

    name = f"audit_{os.getpid()}_{next(_db_numbers)}"
    plain = base_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(f"{plain}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base_url}/{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    """A fresh, empty database URL: a SQLite file, then a new database on the PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store' / 'audit.db'}"
    return new_pg_database(request.getfixturevalue("pg_server"))


@pytest.fixture
def pg_url(pg_server) -> str:
    """A fresh, empty database on the PostgreSQL server, for what exists on PostgreSQL only."""
    return new_pg_database(pg_server)


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'audit.db'}"


@pytest.fixture
def store(db_url):
    with AuditStore.open(db_url) as opened:
        yield opened
