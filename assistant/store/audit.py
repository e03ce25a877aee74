"""The audit store: append-only drafts, edit checks and decisions, one transaction per record."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, Row, func, insert, select
from sqlalchemy.exc import IntegrityError, OperationalError

from assistant.errors import ServiceUnavailableError
from assistant.models import Draft, DraftRequest, Hint, SearchResult, Turn
from assistant.store.engine import make_engine, write_connection
from assistant.store.errors import DecisionExistsError, DraftNotFoundError
from assistant.store.migrations import migrate
from assistant.store.records import Action, AuditRecord, Decision, DraftRecord, EditCheck
from assistant.store.schema import decisions, drafts, edit_checks

EXPORT_PAGE = 500
ACTION_LABELS = {"approve": "批准", "reject": "驳回"}


def utc(value: datetime) -> datetime:
    """Stored times are UTC; SQLite hands them back naive."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class AuditStore:
    """Plain object over one SQLAlchemy engine. `AuditStore.open()` applies pending migrations."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str | None = None) -> AuditStore:
        if url is None:
            from assistant.settings import get_settings

            url = get_settings().resolved_database_url
        engine = make_engine(url)
        try:
            migrate(engine)
        except OperationalError as exc:
            engine.dispose()
            shown = engine.url.render_as_string(hide_password=True)
            raise ServiceUnavailableError(
                f"无法打开审计数据库 {shown}：{' '.join(str(exc.orig).split())}"
            ) from exc
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> AuditStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- writes: each one record, one transaction -------------------------------------------

    def add_draft(self, user: str, request: DraftRequest, draft: Draft) -> int:
        shown = draft.to_dict()
        values = {
            "created_at": datetime.now(UTC),
            "username": user,
            "message": request.message,
            "history": [asdict(turn) for turn in request.history],
            "channel": request.channel,
            "reply": draft.reply,
            "drafter": draft.drafter,
            "prompt": draft.prompt,
            "sources": shown["sources"],
            "guard": shown["guard"],
            "verdict": shown["guard"].get("verdict", "pass"),
            "attempts": draft.attempts,
            "notice": draft.notice,
            "hints": shown["hints"],
            "timings_ms": shown["timings_ms"],
        }
        with write_connection(self.engine) as conn, conn.begin():
            return conn.execute(insert(drafts).values(**values)).inserted_primary_key[0]

    def add_edit_check(self, draft_id: int, user: str, text: str, guard: dict[str, Any]) -> EditCheck:
        values = {
            "draft_id": draft_id,
            "created_at": datetime.now(UTC),
            "username": user,
            "text": text,
            "guard": guard,
            "verdict": guard.get("verdict", "pass"),
        }
        with write_connection(self.engine) as conn, conn.begin():
            self._require_draft(conn, draft_id)
            new_id = conn.execute(insert(edit_checks).values(**values)).inserted_primary_key[0]
        return _edit_check(dict(values, id=new_id))

    def add_decision(
        self,
        *,
        draft_id: int,
        user: str,
        action: Action,
        original_text: str,
        final_text: str,
        diff: str,
        guard: dict[str, Any],
        reason_code: str | None = None,
        reason: str | None = None,
    ) -> Decision:
        """Store the draft's one decision; a second one raises DecisionExistsError (race-safe)."""
        values = {
            "draft_id": draft_id,
            "created_at": datetime.now(UTC),
            "username": user,
            "action": action,
            "original_text": original_text,
            "final_text": final_text,
            "diff": diff,
            "guard": guard,
            "verdict": guard.get("verdict", "pass"),
            "reason_code": reason_code,
            "reason": reason,
        }
        try:
            with write_connection(self.engine) as conn, conn.begin():
                self._require_draft(conn, draft_id)
                self._refuse_second_decision(conn, draft_id)
                new_id = conn.execute(insert(decisions).values(**values)).inserted_primary_key[0]
        except IntegrityError:
            existing = self.decision_for(draft_id)  # lost a race to another decision
            if existing is None:
                raise
            raise DecisionExistsError(already_decided(existing)) from None
        return _decision(dict(values, id=new_id))

    # --- reads --------------------------------------------------------------------------------

    def get_draft(self, draft_id: int) -> DraftRecord:
        with self.engine.connect() as conn:
            row = conn.execute(select(drafts).where(drafts.c.id == draft_id)).mappings().first()
        if row is None:
            raise DraftNotFoundError(f"找不到编号为 {draft_id} 的草稿。")
        return _draft(row)

    def decision_for(self, draft_id: int) -> Decision | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(decisions).where(decisions.c.draft_id == draft_id)).mappings().first()
        return None if row is None else _decision(row)

    def edit_checks_for(self, draft_id: int) -> tuple[EditCheck, ...]:
        query = select(edit_checks).where(edit_checks.c.draft_id == draft_id).order_by(edit_checks.c.id)
        with self.engine.connect() as conn:
            return tuple(_edit_check(row) for row in conn.execute(query).mappings())

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {
                table.name: conn.execute(select(func.count()).select_from(table)).scalar_one()
                for table in (drafts, edit_checks, decisions)
            }

    def records(self, since: datetime | None = None) -> Iterator[AuditRecord]:
        """Every draft (created at or after `since`) with its checks and decision, oldest first."""
        last_id = 0
        while True:
            query = select(drafts).where(drafts.c.id > last_id).order_by(drafts.c.id).limit(EXPORT_PAGE)
            if since is not None:
                query = query.where(drafts.c.created_at >= utc(since))
            with self.engine.connect() as conn:
                page = [_draft(row) for row in conn.execute(query).mappings()]
                if not page:
                    return
                ids = [d.id for d in page]
                found = conn.execute(select(decisions).where(decisions.c.draft_id.in_(ids))).mappings()
                by_draft = {row["draft_id"]: _decision(row) for row in found}
                checks: dict[int, list[EditCheck]] = {}
                query = select(edit_checks).where(edit_checks.c.draft_id.in_(ids)).order_by(edit_checks.c.id)
                for row in conn.execute(query).mappings():
                    checks.setdefault(row["draft_id"], []).append(_edit_check(row))
            for draft in page:
                yield AuditRecord(draft, tuple(checks.get(draft.id, ())), by_draft.get(draft.id))
            last_id = ids[-1]

    # --- helpers --------------------------------------------------------------------------------

    @staticmethod
    def _require_draft(conn, draft_id: int) -> None:
        if conn.execute(select(drafts.c.id).where(drafts.c.id == draft_id)).first() is None:
            raise DraftNotFoundError(f"找不到编号为 {draft_id} 的草稿。")

    @staticmethod
    def _refuse_second_decision(conn, draft_id: int) -> None:
        row = conn.execute(select(decisions).where(decisions.c.draft_id == draft_id)).mappings().first()
        if row is not None:
            raise DecisionExistsError(already_decided(_decision(row)))


def already_decided(decision: Decision) -> str:
    when = decision.created_at.strftime("%Y-%m-%d %H:%M:%S UTC")
    label = ACTION_LABELS.get(decision.action, decision.action)
    return f"草稿 #{decision.draft_id} 已由 {decision.user} 于 {when} {label}，每份草稿只能处理一次。"


def _draft(row: Row | dict) -> DraftRecord:
    request = DraftRequest(
        message=row["message"],
        history=tuple(Turn(role=t["role"], text=t["text"]) for t in row["history"]),
        channel=row["channel"],
    )
    return DraftRecord(
        id=row["id"],
        created_at=utc(row["created_at"]),
        user=row["username"],
        request=request,
        reply=row["reply"],
        drafter=row["drafter"],
        prompt=row["prompt"],
        sources=tuple(SearchResult(**s) for s in row["sources"]),
        guard=row["guard"],
        attempts=row["attempts"],
        notice=row["notice"],
        hints=tuple(Hint(**h) for h in row["hints"]),
        timings_ms=row["timings_ms"],
    )


def _edit_check(row: Row | dict) -> EditCheck:
    return EditCheck(
        id=row["id"],
        draft_id=row["draft_id"],
        created_at=utc(row["created_at"]),
        user=row["username"],
        text=row["text"],
        guard=row["guard"],
    )


def _decision(row: Row | dict) -> Decision:
    return Decision(
        id=row["id"],
        draft_id=row["draft_id"],
        created_at=utc(row["created_at"]),
        user=row["username"],
        action=row["action"],
        original_text=row["original_text"],
        final_text=row["final_text"],
        diff=row["diff"],
        guard=row["guard"],
        reason_code=row["reason_code"],
        reason=row["reason"],
    )
