"""The audit tables as the queries see them (the current schema).

The DDL that creates them lives in `migrations.py`, one named step at a time; when a migration
changes a table, change its shape here too.
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, ForeignKey, Integer, MetaData, String, Table, Text

metadata = MetaData()

schema_version = Table(
    "schema_version",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)

drafts = Table(
    "drafts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("username", String(100), nullable=False),
    Column("message", Text, nullable=False),
    Column("history", JSON, nullable=False),
    Column("channel", String(20), nullable=False),
    Column("reply", Text, nullable=False),
    Column("drafter", String(50), nullable=False),
    Column("prompt", String(200)),
    Column("sources", JSON, nullable=False),
    Column("guard", JSON, nullable=False),
    Column("verdict", String(10), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("notice", Text),
    Column("hints", JSON, nullable=False),
    Column("timings_ms", JSON, nullable=False),
)

edit_checks = Table(
    "edit_checks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("draft_id", Integer, ForeignKey("drafts.id"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("username", String(100), nullable=False),
    Column("text", Text, nullable=False),
    Column("guard", JSON, nullable=False),
    Column("verdict", String(10), nullable=False),
)

decisions = Table(
    "decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("draft_id", Integer, ForeignKey("drafts.id"), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("username", String(100), nullable=False),
    Column("action", String(10), nullable=False),
    Column("original_text", Text, nullable=False),
    Column("final_text", Text, nullable=False),
    Column("diff", Text, nullable=False),
    Column("guard", JSON, nullable=False),
    Column("verdict", String(10), nullable=False),
    Column("reason_code", String(30)),
    Column("reason", Text),
)

AUDIT_TABLES = ("drafts", "edit_checks", "decisions")
