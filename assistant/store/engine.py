"""One SQLAlchemy engine for the audit store: SQLite (WAL, busy timeout, foreign keys) or any URL.

SQLite transactions are begun explicitly: reads with a plain `BEGIN`, writes with `BEGIN IMMEDIATE`
(see `write_connection`), so two writers never deadlock on a lock upgrade; they queue on the busy
timeout instead.
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

SQLITE_BUSY_TIMEOUT_MS = 30_000


def _json_dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def is_sqlite(engine: Engine | Connection) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(url: str) -> Engine:
    """Create the engine for `url`; for a SQLite file, create its folder first."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, json_serializer=_json_dumps, pool_pre_ping=True)
    database = parsed.database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url, json_serializer=_json_dumps, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
    )
    event.listen(engine, "connect", _on_sqlite_connect)
    event.listen(engine, "begin", _on_sqlite_begin)
    return engine


def _on_sqlite_connect(dbapi_connection, _record) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN; pysqlite's own implicit BEGIN is switched off.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        _ensure_wal(cursor)
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def _ensure_wal(cursor) -> None:
    """Switch the file to WAL (persistent: once per database).

    SQLite answers a journal-mode change with "database is locked" at once, without its busy
    handler, while another connection holds the file: concurrent first opens of a new store hit
    that. So check first, and retry the switch within the busy timeout.
    """
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _on_sqlite_begin(connection: Connection) -> None:
    mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")


def write_connection(engine: Engine) -> Connection:
    """A connection whose transactions take the write lock up front (SQLite); plain elsewhere."""
    connection = engine.connect()
    if is_sqlite(engine):
        connection.execution_options(sqlite_begin="IMMEDIATE")
    return connection
