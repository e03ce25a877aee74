"""Schema migrations: a list of named functions, applied in order on open (simonw/llm style).

Each function gets a Connection inside the one transaction that also records it in
`schema_version`, so a step is applied whole or not at all. The whole run holds a lock (SQLite:
`BEGIN IMMEDIATE`; PostgreSQL: a transaction-level advisory lock), so processes opening a new
store at the same moment apply each step exactly once. Never edit a released step: add a new one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Connection,
    DateTime,
    Engine,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    insert,
    select,
    text,
)

from assistant.store.engine import is_sqlite, write_connection
from assistant.store.schema import AUDIT_TABLES, schema_version

Migration = Callable[[Connection], None]
MIGRATIONS: list[Migration] = []
PG_MIGRATION_LOCK = 0x61756469  # any constant bigint shared by every process of this app


def migration(fn: Migration) -> Migration:
    MIGRATIONS.append(fn)
    return fn


def _common(name: str, metadata: MetaData, *columns) -> Table:
    return Table(
        name,
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("username", String(100), nullable=False),
        *columns,
    )


@migration
def m001_initial(conn: Connection) -> None:
    metadata = MetaData()
    _common(
        "drafts",
        metadata,
        *(Column(n, Text, nullable=False) for n in ("message", "reply")),
        Column("history", JSON, nullable=False),
        Column("channel", String(20), nullable=False),
        Column("drafter", String(50), nullable=False),
        Column("prompt", String(200)),
        *(Column(n, JSON, nullable=False) for n in ("sources", "guard", "hints", "timings_ms")),
        Column("verdict", String(10), nullable=False),
        Column("attempts", Integer, nullable=False),
        Column("notice", Text),
    )
    _common(
        "edit_checks",
        metadata,
        Column("draft_id", Integer, ForeignKey("drafts.id"), nullable=False),
        Column("text", Text, nullable=False),
        Column("guard", JSON, nullable=False),
        Column("verdict", String(10), nullable=False),
    )
    _common(
        "decisions",
        metadata,
        Column("draft_id", Integer, ForeignKey("drafts.id"), nullable=False, unique=True),
        Column("action", String(10), nullable=False),
        *(Column(n, Text, nullable=False) for n in ("original_text", "final_text", "diff")),
        Column("guard", JSON, nullable=False),
        Column("verdict", String(10), nullable=False),
        Column("reason_code", String(30)),
        Column("reason", Text),
        CheckConstraint("action IN ('approve', 'reject')", name="decisions_action"),
    )
    metadata.create_all(conn)


@migration
def m002_append_only(conn: Connection) -> None:
    """Refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL) of audit rows in the database itself."""
    if is_sqlite(conn):
        for table in AUDIT_TABLES:
            for op in ("UPDATE", "DELETE"):
                conn.execute(
                    text(
                        f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
                        f"BEGIN SELECT RAISE(ABORT, 'audit rows are append-only: {table}'); END"
                    )
                )
        return
    if conn.dialect.name != "postgresql":
        return  # other databases: append-only by convention (no code path updates or deletes)
    conn.execute(
        text(
            "CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION 'audit rows are append-only: % on %', TG_OP, TG_TABLE_NAME; END $$"
        )
    )
    for table in AUDIT_TABLES:
        conn.execute(
            text(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION audit_append_only()"
            )
        )
        conn.execute(
            text(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()"
            )
        )


@migration
def m003_time_and_draft_indexes(conn: Connection) -> None:
    metadata = MetaData()
    drafts = Table("drafts", metadata, Column("created_at", DateTime(timezone=True)))
    checks = Table("edit_checks", metadata, Column("draft_id", Integer))
    Index("ix_drafts_created_at", drafts.c.created_at).create(conn)
    Index("ix_edit_checks_draft_id", checks.c.draft_id).create(conn)


def applied_migrations(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        if not engine.dialect.has_table(conn, schema_version.name):
            return []
        return list(
            conn.scalars(
                select(schema_version.c.name).order_by(schema_version.c.applied_at, schema_version.c.name)
            )
        )


def migrate(engine: Engine, upto: str | None = None) -> list[str]:
    """Apply the missing migrations (up to and including `upto`); return the names applied now."""
    names = [m.__name__ for m in MIGRATIONS]
    if upto is not None and upto not in names:
        raise ValueError(f"unknown migration {upto!r}")
    done: list[str] = []
    with write_connection(engine) as conn, conn.begin():
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_MIGRATION_LOCK})
        schema_version.create(conn, checkfirst=True)
        applied = set(conn.scalars(select(schema_version.c.name)))
        for step in MIGRATIONS:
            if step.__name__ not in applied:
                step(conn)
                now = datetime.now(UTC)
                conn.execute(insert(schema_version).values(name=step.__name__, applied_at=now))
                done.append(step.__name__)
            if step.__name__ == upto:
                break
    return done
