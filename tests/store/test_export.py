"""`assistant audit export`: JSON lines, CSV, --since, and candidate eval scenarios (YAML)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from assistant.errors import InputError
from assistant.review import ReviewService
from assistant.store import AuditStore
from assistant.store.export import parse_since
from tests.store.helpers import make_draft, make_request

REPO = Path(__file__).resolve().parents[2]
EDITED = "非常抱歉让您久等了，订单今天下午发出。"


@pytest.fixture
def decided(sqlite_url):
    """Four drafts: approved as-is, approved with edits, rejected (flagged words), undecided."""
    with AuditStore.open(sqlite_url) as store:
        review = ReviewService(store)
        ids = [review.record_draft("alice", make_request(f"消息{n}"), make_draft()) for n in range(3)]
        flagged = review.record_draft(
            "alice", make_request("你们寄错颜色了"), make_draft("这个我不清楚，去营业厅问吧")
        )
        review.approve(ids[0], "alice", make_draft().reply)
        review.check_edit(ids[1], "bob", EDITED)
        review.approve(ids[1], "bob", EDITED)
        review.reject(flagged, "carol", "tone", "语气生硬")
        yield sqlite_url, ids, flagged


def _export(url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "ASSISTANT_DATABASE_URL": url}
    return subprocess.run([sys.executable, "-m", "assistant", "audit", "export", *args], capture_output=True,
                          text=True, timeout=120, cwd=REPO, env=env)  # fmt: skip


def test_jsonl_export_has_every_draft_with_its_decision(decided):
    url, ids, flagged = decided
    result = _export(url)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == [*ids, flagged]
    by_id = {r["id"]: r for r in rows}
    assert by_id[ids[0]]["decision"]["action"] == "approve" and not by_id[ids[0]]["decision"]["edited"]
    assert by_id[ids[1]]["decision"]["final_text"] == EDITED and by_id[ids[1]]["decision"]["edited"]
    assert [c["text"] for c in by_id[ids[1]]["edit_checks"]] == [EDITED]
    assert by_id[ids[2]]["decision"] is None
    assert by_id[flagged]["decision"]["reason_code"] == "tone"
    assert by_id[flagged]["request"]["message"] == "你们寄错颜色了"
    assert by_id[flagged]["guard"]["verdict"] == "block"


def test_csv_export_to_file(decided, tmp_path):
    url, ids, flagged = decided
    out = tmp_path / "audit.csv"
    result = _export(url, "--format", "csv", "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert "4" in result.stderr and result.stdout == ""
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [int(r["draft_id"]) for r in rows] == [*ids, flagged]
    assert rows[1]["final_text"] == EDITED and rows[1]["edited"] == "True" and rows[1]["decided_by"] == "bob"
    assert rows[2]["action"] == ""
    assert json.loads(rows[0]["history"])[0] == {"role": "customer", "text": "你好，我的订单还没发货"}


def test_since_filters_by_draft_time(decided):
    url, _, _ = decided
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    assert _export(url, "--since", tomorrow).stdout == ""
    yesterday = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    assert len(_export(url, "--since", yesterday).stdout.splitlines()) == 4


@pytest.mark.parametrize(
    "args", [["--since", "last tuesday"], ["--format", "xml"]], ids=["bad-date", "bad-format"]
)
def test_bad_option_is_one_clear_line(decided, args):
    result = _export(decided[0], *args)
    assert result.returncode == 2
    assert result.stderr.startswith("错误：") and "Traceback" not in result.stderr


def test_parse_since_reads_naive_times_as_utc():
    assert parse_since("2025-01-31") == datetime(2025, 1, 31, tzinfo=UTC)
    assert parse_since("2025-01-31T08:00+08:00") == datetime(2025, 1, 31, tzinfo=UTC)
    with pytest.raises(InputError):
        parse_since("31/01/2025")


def test_scenarios_export_edited_and_rejected_drafts(decided, tmp_path):
    url, ids, flagged = decided
    out = tmp_path / "scenarios.yaml"
    result = _export(url, "--scenarios", "--output", str(out))
    assert result.returncode == 0, result.stderr
    scenarios = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert [s["id"] for s in scenarios] == [f"audit-{ids[1]}", f"audit-{flagged}"]
    edited, rejected = scenarios
    assert set(edited) == {
        "id",
        "section",
        "description",
        "tags",
        "channel",
        "conversation",
        "assert",
        "metadata",
    }
    assert edited["section"] == make_draft().sources[0].section
    assert edited["tags"] == ["from-audit", "approved-edited"]
    assert edited["conversation"][-1] == {"role": "customer", "text": "消息1"}
    assert edited["conversation"][0] == {"role": "customer", "text": "你好，我的订单还没发货"}
    assert edited["assert"] == [
        {"type": "similar_to", "value": EDITED, "threshold": 0.5},
        {"type": "guard_clean"},
    ]
    assert edited["metadata"]["draft_id"] == ids[1] and edited["metadata"]["user"] == "bob"
    assert rejected["tags"] == ["from-audit", "rejected"]
    assert rejected["assert"][0] == {"type": "not_contains", "value": ["不清楚", "去营业厅问吧"]}
    assert rejected["assert"][1]["type"] == "rubric" and "语气不当" in rejected["assert"][1]["value"]
    assert rejected["metadata"]["reason"] == "语气不当：语气生硬"


def test_export_of_empty_store_is_empty(sqlite_url):
    result = _export(sqlite_url, "--scenarios")
    assert result.returncode == 0, result.stderr
    assert yaml.safe_load(result.stdout) == []


def test_exported_scenarios_load_in_the_eval_suite(decided):
    import eval.scenario as scenario_module

    result = _export(decided[0], "--scenarios")
    assert result.returncode == 0, result.stderr
    loaded = [s for s, _line in scenario_module.parse_scenarios(result.stdout, "export.yaml")]
    assert [s.id for s in loaded] == [f"audit-{decided[1][1]}", f"audit-{decided[2]}"]
    assert [a.type for a in loaded[0].assertions] == ["similar_to", "guard_clean"]
