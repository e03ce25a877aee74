"""A writer killed with SIGKILL mid-loop leaves a store that opens cleanly with every record whole."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import text

from assistant.store import AuditStore
from assistant.store.migrations import MIGRATIONS, applied_migrations

REPO = Path(__file__).resolve().parents[2]
MIN_COMMITTED = 30

WRITER = """
import sys
from assistant.models import Draft, DraftRequest, SearchResult, Turn
from assistant.review import ReviewService
from assistant.store import AuditStore
from guardrails.result import GuardResult

with AuditStore.open(sys.argv[1]) as store:
    review = ReviewService(store, guard=lambda text: GuardResult("pass"))
    source = SearchResult("s", "t", "8.3 > 慢", "正文" * 200, 0.1)
    for n in range(100000):
        request = DraftRequest("消息" * 50 + str(n), (Turn("customer", "你好" * 100),), "phone")
        draft = Draft("回复" * 300 + str(n), "offline", None, (source,) * 5, GuardResult("pass"))
        draft_id = review.record_draft("writer", request, draft)
        review.check_edit(draft_id, "writer", "修改" + str(n))
        review.approve(draft_id, "writer", "最终" + str(n))
        print(draft_id, flush=True)
"""


def _kill_after_commits(url: str) -> list[int]:
    proc = subprocess.Popen([sys.executable, "-c", WRITER, url], cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip
    committed: list[int] = []
    deadline = time.monotonic() + 120
    while len(committed) < MIN_COMMITTED and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        committed.append(int(line))
    os.kill(proc.pid, signal.SIGKILL)  # in the middle of the next record's writes
    rest, err = proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL, err[-800:]
    committed += [int(x) for x in rest.split()]
    assert len(committed) >= MIN_COMMITTED, err[-800:]
    return committed


def test_sigkill_mid_write_leaves_store_consistent(db_url):
    AuditStore.open(db_url).close()  # migrations done before the writer starts
    committed = _kill_after_commits(db_url)
    with AuditStore.open(db_url) as store:
        assert applied_migrations(store.engine) == [m.__name__ for m in MIGRATIONS]
        if store.engine.dialect.name == "sqlite":
            with store.engine.connect() as conn:
                assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        records = list(store.records())
        by_id = {r.draft.id: r for r in records}
        assert set(committed) <= set(by_id)  # every acknowledged record survived
        for record in records:  # every stored record is whole, even the one cut short
            n = record.draft.reply.removeprefix("回复" * 300)
            assert record.draft.request.message.endswith(n) and len(record.draft.sources) == 5
            assert all(c.text == "修改" + n for c in record.edit_checks)
            if record.decision is not None:
                assert record.decision.final_text == "最终" + n
        for draft_id in committed:
            assert by_id[draft_id].decision is not None
        assert len(records) - len(committed) <= 1  # at most the record in flight, without decision
