"""Export the audit trail: JSON lines or CSV of drafts with their decisions, and eval scenarios.

Scenarios follow the eval suite's YAML format (owned by eval/): one per approved-with-edits or
rejected draft, so the team's real corrections become regression tests.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any, TextIO

import yaml

from assistant.errors import InputError
from assistant.store.records import AuditRecord, Decision, DraftRecord, EditCheck

CSV_COLUMNS = (
    "draft_id",
    "created_at",
    "user",
    "channel",
    "message",
    "history",
    "reply",
    "drafter",
    "prompt",
    "verdict",
    "top_section",
    "edit_checks",
    "action",
    "decided_by",
    "decided_at",
    "final_text",
    "final_verdict",
    "edited",
    "reason_code",
    "reason",
    "diff",
)
SIMILARITY_THRESHOLD = 0.5
NO_SECTION = "（无来源章节）"  # the suite requires a section; drafts without sources get this


def parse_since(value: str | None) -> datetime | None:
    """An ISO date or date-time; without an offset it is read as UTC."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InputError(
            f"无法识别的日期“{value}”，请用 ISO 格式，例如 2025-01-31 或 2025-01-31T08:00。"
        ) from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed


def draft_dict(draft: DraftRecord) -> dict[str, Any]:
    return {
        "id": draft.id,
        "created_at": draft.created_at.isoformat(),
        "user": draft.user,
        "request": {
            "message": draft.request.message,
            "history": [asdict(t) for t in draft.request.history],
            "channel": draft.request.channel,
        },
        "reply": draft.reply,
        "drafter": draft.drafter,
        "prompt": draft.prompt,
        "sources": [s.to_dict() for s in draft.sources],
        "guard": draft.guard,
        "attempts": draft.attempts,
        "notice": draft.notice,
        "hints": [asdict(h) for h in draft.hints],
        "timings_ms": draft.timings_ms,
    }


def edit_check_dict(check: EditCheck) -> dict[str, Any]:
    return {"id": check.id, "created_at": check.created_at.isoformat(), "user": check.user,
            "text": check.text, "guard": check.guard}  # fmt: skip


def decision_dict(decision: Decision) -> dict[str, Any]:
    out = asdict(decision)
    out["created_at"] = decision.created_at.isoformat()
    out["edited"] = decision.edited
    return out


def record_dict(record: AuditRecord) -> dict[str, Any]:
    out = draft_dict(record.draft)
    out["edit_checks"] = [edit_check_dict(c) for c in record.edit_checks]
    out["decision"] = decision_dict(record.decision) if record.decision else None
    return out


def write_jsonl(records: Iterable[AuditRecord], out: TextIO) -> int:
    count = 0
    for record in records:
        out.write(json.dumps(record_dict(record), ensure_ascii=False) + "\n")
        count += 1
    return count


def csv_row(record: AuditRecord) -> dict[str, Any]:
    draft, decision = record.draft, record.decision
    row = {
        "draft_id": draft.id,
        "created_at": draft.created_at.isoformat(),
        "user": draft.user,
        "channel": draft.request.channel,
        "message": draft.request.message,
        "history": json.dumps([asdict(t) for t in draft.request.history], ensure_ascii=False),
        "reply": draft.reply,
        "drafter": draft.drafter,
        "prompt": draft.prompt or "",
        "verdict": draft.verdict,
        "top_section": draft.top_section,
        "edit_checks": len(record.edit_checks),
    }
    if decision is not None:
        row.update(
            action=decision.action,
            decided_by=decision.user,
            decided_at=decision.created_at.isoformat(),
            final_text=decision.final_text,
            final_verdict=decision.verdict,
            edited=decision.edited,
            reason_code=decision.reason_code or "",
            reason=decision.reason or "",
            diff=decision.diff,
        )
    return row


def write_csv(records: Iterable[AuditRecord], out: TextIO) -> int:
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, restval="")
    writer.writeheader()
    count = 0
    for record in records:
        writer.writerow(csv_row(record))
        count += 1
    return count


def scenario_for(record: AuditRecord, reason_labels: dict[str, str]) -> dict[str, Any] | None:
    """An eval scenario for an approved-with-edits or rejected draft; None for any other."""
    draft, decision = record.draft, record.decision
    if decision is None or not (decision.edited or decision.action == "reject"):
        return None
    if decision.action == "reject":
        label = reason_labels.get(decision.reason_code or "", decision.reason_code or "")
        reason = "：".join(part for part in (label, decision.reason or "") if part)
        tag, description = "rejected", f"审核记录 #{draft.id}：草稿被驳回（{reason}）"
        asserts = _reject_asserts(draft, reason)
    else:
        reason = decision.reason or ""
        tag, description = "approved-edited", f"审核记录 #{draft.id}：客服修改后批准"
        asserts = [
            {"type": "similar_to", "value": decision.final_text, "threshold": SIMILARITY_THRESHOLD},
            {"type": "guard_clean"},
        ]
    conversation = [asdict(t) for t in draft.request.history if t.text.strip()]
    conversation.append({"role": "customer", "text": draft.request.message})
    return {
        "id": f"audit-{draft.id}",
        "section": draft.top_section or NO_SECTION,
        "description": description,
        "tags": ["from-audit", tag],
        "channel": draft.request.channel,
        "conversation": conversation,
        "assert": asserts,
        "metadata": {"draft_id": draft.id, "user": decision.user,
                     "decided_at": decision.created_at.isoformat(), "reason": reason},
    }  # fmt: skip


def _reject_asserts(draft: DraftRecord, reason: str) -> list[dict[str, Any]]:
    flagged = [v.get("text") for v in draft.guard.get("violations", ()) if v.get("text")]
    asserts: list[dict[str, Any]] = []
    if flagged:
        asserts.append({"type": "not_contains", "value": list(dict.fromkeys(flagged))})
    rubric = f"回复不应再出现审核人驳回的问题：{reason}。被驳回的草稿：{draft.reply}"
    asserts.append({"type": "rubric", "value": rubric})
    return asserts


def write_scenarios(records: Iterable[AuditRecord], out: TextIO, reason_labels: dict[str, str]) -> int:
    scenarios = [s for s in (scenario_for(r, reason_labels) for r in records) if s is not None]
    yaml.safe_dump(scenarios, out, allow_unicode=True, sort_keys=False, width=1000)
    return len(scenarios)
