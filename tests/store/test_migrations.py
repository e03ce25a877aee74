"""Schema migrations: from empty, from an older version, idempotent, safe under concurrent opens."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from assistant.store import AuditStore
from assistant.store.engine import make_engine
from assistant.store.migrations import MIGRATIONS, applied_migrations, migrate
from tests.store.helpers import make_draft, make_request

ALL = [m.__name__ for m in MIGRATIONS]
REPO = Path(__file__).resolve().parents[2]


def test_open_on_empty_database_applies_every_migration(db_url):
    with AuditStore.open(db_url) as store:
        assert applied_migrations(store.engine) == ALL
        tables = set(inspect(store.engine).get_table_names())
        assert {"schema_version", "drafts", "edit_checks", "decisions"} <= tables
        assert store.counts() == {"drafts": 0, "edit_checks": 0, "decisions": 0}


def test_reopening_applies_nothing_and_keeps_rows(db_url):
    with AuditStore.open(db_url) as store:
        draft_id = store.add_draft("alice", make_request(), make_draft())
    engine = make_engine(db_url)
    try:
        assert migrate(engine) == []
    finally:
        engine.dispose()
    with AuditStore.open(db_url) as store:
        assert store.get_draft(draft_id).reply == make_draft().reply


def test_older_schema_is_upgraded_on_open_without_losing_rows(db_url):
    engine = make_engine(db_url)
    try:
        assert migrate(engine, upto="m001_initial") == ["m001_initial"]
        old = AuditStore(engine)
        draft_id = old.add_draft("alice", make_request(), make_draft())
        with engine.begin() as conn:  # no append-only triggers yet at this version
            conn.execute(text("UPDATE drafts SET username = 'alice' WHERE id = :id"), {"id": draft_id})
    finally:
        engine.dispose()
    with AuditStore.open(db_url) as store:
        assert applied_migrations(store.engine) == ALL
        assert store.get_draft(draft_id).user == "alice"
        indexes = {ix["name"] for ix in inspect(store.engine).get_indexes("drafts")}
        assert "ix_drafts_created_at" in indexes
        with pytest.raises(Exception, match="append-only"), store.engine.begin() as conn:
            conn.execute(text("UPDATE drafts SET username = 'mallory'"))


def test_unknown_target_migration_is_an_error(sqlite_url):
    engine = make_engine(sqlite_url)
    with pytest.raises(ValueError, match="m999"):
        migrate(engine, upto="m999_nothing")
    engine.dispose()


def test_concurrent_first_opens_in_threads_apply_each_migration_once(db_url):
    def open_and_write(n: int) -> int:
        with AuditStore.open(db_url) as store:
            return store.add_draft(f"agent{n}", make_request(), make_draft())

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(open_and_write, range(8)))
    assert len(set(ids)) == 8
    with AuditStore.open(db_url) as store:
        assert applied_migrations(store.engine) == ALL
        assert store.counts()["drafts"] == 8


OPEN_SCRIPT = """
import sys, time
from pathlib import Path
while not Path(sys.argv[2]).exists():
    time.sleep(0.005)
from assistant.store import AuditStore
with AuditStore.open(sys.argv[1]) as store:
    print(store.counts()["drafts"])
"""


def test_concurrent_first_opens_in_processes_apply_each_migration_once(sqlite_url, tmp_path):
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", OPEN_SCRIPT, sqlite_url, str(go)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for _ in range(6)
    ]
    go.touch()
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 6, [err for _, err in results]
    assert [out.strip() for out, _ in results] == ["0"] * 6
    engine = make_engine(sqlite_url)
    assert applied_migrations(engine) == ALL
    engine.dispose()


def test_sqlite_store_runs_in_wal_mode_with_foreign_keys(sqlite_url):
    with AuditStore.open(sqlite_url) as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_unreachable_database_is_a_clear_user_error():
    from assistant.errors import ServiceUnavailableError

    with pytest.raises(ServiceUnavailableError, match="无法打开审计数据库") as caught:
        AuditStore.open("postgresql+psycopg://agent:secret@127.0.0.1:1/audit")
    assert "secret" not in str(caught.value)
