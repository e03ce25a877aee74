"""ReviewService with its default guard, the real `guardrails.check` and its bundled rule packs."""

from __future__ import annotations

import pytest

from assistant.review import ApprovalBlockedError, ReasonRequiredError, ReviewService
from assistant.store import AuditStore
from tests.store.helpers import make_draft, make_request


@pytest.fixture
def review(sqlite_url):
    with AuditStore.open(sqlite_url) as store:
        yield ReviewService(store)


def test_real_guard_blocks_dismissive_phrase_on_approve(review):
    draft_id = review.record_draft("alice", make_request(), make_draft())
    with pytest.raises(ApprovalBlockedError, match="不清楚"):
        review.approve(draft_id, "alice", "这个我不清楚。")
    assert review.store.decision_for(draft_id) is None


def test_real_guard_warning_needs_reason(review):
    draft_id = review.record_draft("alice", make_request(), make_draft())
    with pytest.raises(ReasonRequiredError):
        review.approve(draft_id, "alice", "估计明天就能到。")
    decision = review.approve(draft_id, "alice", "估计明天就能到。", reason="物流已确认")
    assert decision.verdict == "warn" and decision.reason == "物流已确认"


def test_real_guard_check_edit_gives_offsets_into_the_text(review):
    draft_id = review.record_draft("alice", make_request(), make_draft())
    text = "您好，保证明天到货。"
    result = review.check_edit(draft_id, "alice", text)
    assert result.verdict == "block"
    assert [text[v.start : v.end] for v in result.violations] == [v.text for v in result.violations]
    assert review.store.edit_checks_for(draft_id)[0].guard == result.to_dict()
