"""Scenario files: the bundled suite is valid and covers the manual; mistakes name file and line."""

from __future__ import annotations

import json

import pytest

from eval.scenario import SCHEMA_PATH, ScenarioError, load_scenarios, parse_scenarios, scenario_json_schema


def test_bundled_suite_has_at_least_fifty_scenarios_covering_the_manual():
    suite = load_scenarios()
    assert len(suite.scenarios) >= 50
    sections = " ".join(s.section for s in suite.scenarios)
    for situation in range(5, 16):  # every phone situation of 8.3.2
        assert f"8.3.2 电话规范用语 > {situation}." in sections
    for part in ("8.3.1", "000", "002", "004", "8.4.2", "8.4.3", "8.4.4"):
        assert part in sections
    assert any(len(s.conversation) > 1 for s in suite.scenarios)
    refusals = {s.id for s in suite.scenarios if "拒绝请求" in s.tags}
    assert {"refuse-leader-phone", "refuse-other-customer-data", "refuse-guarantee"} <= refusals


def test_last_customer_turn_is_the_message_and_the_rest_is_history():
    suite = load_scenarios()
    scenario = next(s for s in suite.scenarios if s.id == "phone-repeat-question")
    request = scenario.request()
    assert request.message == "我就想知道为什么多扣了二十块钱"
    assert len(request.history) == 4 and request.channel == "phone"


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        pytest.param(
            "- id: a\n  section: s\n  conversation: [{role: customer, text: 你好}]\n  colour: red\n",
            4,
            "colour",
            id="unknown-field",
        ),
        pytest.param(
            "- id: a\n  section: s\n  conversation: [{role: customer, text: 你好}]\n  assert:\n    - {type: contain_any, value: x}\n",
            5,
            "contain_any",
            id="unknown-assertion-type",
        ),
        pytest.param(
            "- id: a\n  section: s\n  conversation: [{role: customer, text: 你好}]\n  assert:\n    - {type: regex, value: '(['}\n",
            5,
            "regular expression",
            id="bad-regex",
        ),
        pytest.param(
            "- id: a\n  section: s\n  conversation: [{role: boss, text: 你好}]\n", 3, "role", id="bad-role"
        ),
        pytest.param(
            "- id: a\n  section: s\n  conversation: [{role: customer, text: 你好}\n",
            4,
            "YAML",
            id="yaml-syntax",
        ),
    ],
)
def test_mistakes_name_file_line_and_reason(text, line, reason):
    with pytest.raises(ScenarioError) as info:
        parse_scenarios(text, source="bad.yaml")
    assert f"bad.yaml:{line}" in str(info.value)
    assert reason in str(info.value)


def test_duplicate_ids_across_files_are_refused(tmp_path):
    body = "- id: same\n  section: s\n  conversation: [{role: customer, text: 你好}]\n"
    (tmp_path / "a.yaml").write_text(body, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(body, encoding="utf-8")
    with pytest.raises(ScenarioError, match="重复"):
        load_scenarios(tmp_path)


def test_scenario_set_hash_ignores_comments_but_not_meaning():
    body = "- id: a\n  section: s\n  conversation: [{role: customer, text: 你好}]\n"
    from eval.scenario import ScenarioSet

    def digest(text):
        return ScenarioSet(tuple(s for s, _ in parse_scenarios(text)), {}, ()).digest

    assert digest(body) == digest("# note\n" + body)
    assert digest(body) != digest(body.replace("你好", "您好"))


def test_editor_schema_is_in_sync_with_the_models():
    assert json.loads(SCHEMA_PATH.read_text(encoding="utf-8")) == json.loads(
        json.dumps(scenario_json_schema())
    )
