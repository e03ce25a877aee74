"""A suggestion is a drop-in replacement for exactly the span it covers: the desk swaps it in."""

import pytest

import guardrails
from guardrails.errors import PackError
from guardrails.loader import load_pack

ENGINE = guardrails.load_engine()
WITH_SUGGESTION = [r for r in ENGINE.rules if r.suggestion]


def apply_like_the_desk(text: str, rule_id: str) -> tuple[str, list[str]]:
    """Swap in the first violation's suggestion and re-check, as the desk does, until the rule
    passes; returns the final text and every junction where a character came out doubled."""
    doubled = []
    for _ in range(4):
        hits = [v for v in ENGINE.check(text).violations if v.rule == rule_id]
        if not hits:
            return text, doubled
        v = hits[0]
        if v.start and text[v.start - 1] == v.suggestion[0]:
            doubled.append(text[v.start - 1] + v.suggestion)
        if v.end < len(text) and text[v.end] == v.suggestion[-1]:
            doubled.append(v.suggestion + text[v.end])
        text = text[: v.start] + v.suggestion + text[v.end :]
    raise AssertionError(f"{rule_id} still flags after 4 suggestions: {text!r}")


@pytest.mark.parametrize(
    ("rule_id", "text"),
    [pytest.param(r.id, t, id=f"{r.id}-{i}") for r in WITH_SUGGESTION for i, t in enumerate(r.examples.flag)],
)
def test_swapping_in_the_suggestion_passes_the_rule_without_doubled_characters(rule_id, text):
    fixed, doubled = apply_like_the_desk(text, rule_id)
    assert doubled == [], fixed


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        pytest.param("这个我不清楚", "这个我帮您确认一下", id="dismissive-keeps-the-subject"),
        pytest.param(
            "我们也没办法，规定就是这样", "帮您确认一下，规定就是这样", id="dismissive-with-subject"
        ),
        pytest.param("我保证明天到", "我尽量明天到", id="guarantee"),
        pytest.param("我们一定能在明天送达", "我们会尽快为您处理", id="outcome"),
    ],
)
def test_suggestion_reads_as_a_sentence(text, fixed):
    assert apply_like_the_desk(text, ENGINE.check(text).violations[0].rule)[0] == fixed


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        pytest.param("请打13912345678", "139****5678", id="mobile"),
        pytest.param("请打 +86 139 1234 5678", "139****5678", id="mobile-with-country-code"),
        pytest.param("身份证11010519491231002x", "110***********002X", id="id-card"),
        pytest.param("卡号 6222 0212 3456 7894", "622*********7894", id="bank-card"),
    ],
)
def test_detected_number_is_suggested_masked_with_its_own_digits(text, suggestion):
    assert [v.suggestion for v in ENGINE.check(text).violations] == [suggestion]


def test_overlapping_matches_of_one_rule_are_one_violation():
    result = ENGINE.check("你找别的客服问去")  # 你找别的客服 and 找别的客服问
    assert [(v.rule, v.start, v.end, v.text) for v in result.violations] == [
        ("banned.impatient", 0, 7, "你找别的客服问")
    ]


def test_masked_placeholder_outside_a_detector_rule_is_a_pack_error(tmp_path):
    path = tmp_path / "company.yaml"
    path.write_text(
        "rules:\n  - id: a\n    category: vague\n    severity: warn\n    message: m\n"
        '    suggestion: "{masked}"\n    phrases: [大概]\n',
        encoding="utf-8",
    )
    with pytest.raises(PackError, match="company.yaml:6.*masked"):
        load_pack(path)
