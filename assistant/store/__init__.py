"""The durable audit store (SQLAlchemy 2; SQLite in WAL mode by default, PostgreSQL by URL)."""

from assistant.store.audit import AuditStore
from assistant.store.errors import DecisionExistsError, DraftNotFoundError
from assistant.store.records import AuditRecord, Decision, DraftRecord, EditCheck

__all__ = [
    "AuditRecord",
    "AuditStore",
    "Decision",
    "DecisionExistsError",
    "DraftNotFoundError",
    "DraftRecord",
    "EditCheck",
]
