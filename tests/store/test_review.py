"""The review rules, enforced server-side, on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import pytest

from assistant.errors import InputError
from assistant.review import (
    REJECT_REASONS,
    ApprovalBlockedError,
    DecisionExistsError,
    DraftNotFoundError,
    ReasonRequiredError,
    ReviewService,
)
from tests.store.helpers import make_draft, make_request


@pytest.fixture
def review(store) -> ReviewService:
    return ReviewService(store)


@pytest.fixture
def draft_id(review) -> int:
    return review.record_draft("alice", make_request(), make_draft())


def test_recorded_draft_keeps_inputs_sources_and_guard(review, draft_id):
    stored = review.store.get_draft(draft_id)
    assert stored.user == "alice"
    assert stored.request == make_request()
    assert stored.reply == make_draft().reply
    assert stored.sources == make_draft().sources
    assert stored.prompt == "draft_reply@2"
    assert stored.guard == {"verdict": "pass", "violations": []}
    assert stored.timings_ms == {"retrieve": 4.1, "generate": 2.0}


def test_approve_unchanged_draft_stores_empty_diff(review, draft_id):
    decision = review.approve(draft_id, "alice", make_draft().reply)
    assert decision.action == "approve"
    assert decision.diff == ""
    assert not decision.edited
    assert review.store.decision_for(draft_id) == decision


def test_removing_only_citation_markers_is_not_an_edit(review):
    cited = make_draft("非常抱歉让您久等了 [1]，我马上为您查询订单进度 [2]。")
    draft_id = review.record_draft("alice", make_request(), cited)
    decision = review.approve(draft_id, "alice", "非常抱歉让您久等了，我马上为您查询订单进度。")
    assert decision.original_text == cited.reply
    assert not decision.edited


def test_approve_edited_text_stores_original_final_and_diff(review, draft_id):
    final = "非常抱歉让您久等了，订单今天下午发出。"
    decision = review.approve(draft_id, "bob", final)
    assert decision.user == "bob"
    assert decision.original_text == make_draft().reply
    assert decision.final_text == final
    assert decision.edited
    assert f"+{final}" in decision.diff and f"-{make_draft().reply}" in decision.diff
    assert decision.guard["verdict"] == "pass"


def test_approve_refused_when_guard_blocks_final_text(review, draft_id):
    with pytest.raises(ApprovalBlockedError, match="不清楚"):
        review.approve(draft_id, "alice", "这个我不清楚。")
    assert review.store.decision_for(draft_id) is None
    (check,) = review.store.edit_checks_for(draft_id)  # the refused attempt is in the trail
    assert check.verdict == "block" and check.text == "这个我不清楚。"


@pytest.mark.parametrize("reason", [None, "", "   ", "\n"], ids=["none", "empty", "spaces", "newline"])
def test_warn_verdict_needs_a_reason(review, draft_id, reason):
    with pytest.raises(ReasonRequiredError, match="应该准确"):
        review.approve(draft_id, "alice", "查询结果应该准确，今天为您处理。", reason=reason)
    assert review.store.decision_for(draft_id) is None


def test_warn_verdict_with_reason_is_approved_and_reason_kept_on_one_line(review, draft_id):
    decision = review.approve(
        draft_id, "alice", "查询结果应该准确，今天为您处理。", reason="客户要求\n给出时间"
    )
    assert decision.verdict == "warn"
    assert decision.reason == "客户要求 给出时间"


def test_overlong_reason_is_refused(review, draft_id):
    with pytest.raises(InputError, match="过长"):
        review.approve(draft_id, "alice", "查询结果应该准确，今天为您处理。", reason="理" * 201)


def test_empty_final_text_is_refused(review, draft_id):
    with pytest.raises(InputError, match="为空"):
        review.approve(draft_id, "alice", "  ")


@pytest.mark.parametrize(
    ("given", "code"),
    [
        pytest.param("tone", "tone", id="code"),
        pytest.param("语气不当", "tone", id="chinese-label"),
        pytest.param("inaccurate", "inaccurate", id="inaccurate"),
        pytest.param("未解决客户问题", "unresolved", id="unresolved-label"),
        pytest.param("policy", "policy", id="policy"),
    ],
)
def test_reject_with_listed_reason(review, draft_id, given, code):
    decision = review.reject(draft_id, "carol", given, note="请更具体")
    assert decision.action == "reject"
    assert decision.reason_code == code
    assert decision.reason == "请更具体"
    assert decision.final_text == decision.original_text == make_draft().reply
    assert decision.guard == review.store.get_draft(draft_id).guard


def test_reject_reasons_are_the_fixed_chinese_list():
    assert list(REJECT_REASONS.values()) == ["内容不准确", "语气不当", "未解决客户问题", "违反规范", "其他"]


def test_reject_with_unknown_reason_is_refused(review, draft_id):
    with pytest.raises(InputError, match="未知的驳回理由"):
        review.reject(draft_id, "carol", "boring", note="")
    assert review.store.decision_for(draft_id) is None


def test_reject_other_needs_a_note(review, draft_id):
    with pytest.raises(InputError, match="其他"):
        review.reject(draft_id, "carol", "other", note=" ")
    assert review.reject(draft_id, "carol", "其他", note="客户已挂断").reason_code == "other"


@pytest.mark.parametrize(
    "second",
    [
        pytest.param(lambda r, d: r.approve(d, "bob", make_draft().reply), id="approve-after"),
        pytest.param(lambda r, d: r.reject(d, "bob", "tone", None), id="reject-after"),
    ],
)
def test_second_decision_is_refused_with_who_decided(review, draft_id, second):
    first = review.approve(draft_id, "alice", make_draft().reply)
    with pytest.raises(DecisionExistsError, match="alice"):
        second(review, draft_id)
    assert review.store.decision_for(draft_id) == first
    assert review.store.counts()["decisions"] == 1


def test_unknown_draft_is_refused(review):
    with pytest.raises(DraftNotFoundError, match="404"):
        review.approve(404, "alice", "好的")
    with pytest.raises(DraftNotFoundError):
        review.check_edit(404, "alice", "好的")


def test_check_edit_returns_guard_result_and_stores_each_check(review, draft_id):
    first = review.check_edit(draft_id, "alice", "您好")
    second = review.check_edit(draft_id, "alice", "我不清楚")
    assert (first.verdict, second.verdict) == ("pass", "block")
    assert second.violations[0].text == "不清楚"
    checks = review.store.edit_checks_for(draft_id)
    assert [(c.text, c.verdict, c.user) for c in checks] == [
        ("您好", "pass", "alice"),
        ("我不清楚", "block", "alice"),
    ]


def test_missing_user_is_refused(review, draft_id):
    with pytest.raises(InputError, match="登录"):
        review.approve(draft_id, " ", make_draft().reply)
