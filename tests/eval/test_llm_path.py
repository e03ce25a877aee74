"""The LLM path against a real OpenAI-compatible server on 127.0.0.1: record, replay, judge, matrix."""

from __future__ import annotations

import json

import pytest

from assistant.settings import Settings
from eval.runner import Runner
from eval.scenario import load_scenarios, parse_scenarios
from tests.support import OpenAIServer, Reply

SUITE = """
- id: slow-complaint
  section: 8.3.2 电话规范用语 > 8.遇到客户责备客服动作慢
  tags: [电话规范]
  channel: phone
  conversation: [{role: customer, text: 我都等了二十分钟了，怎么这么慢}]
  assert:
    - {type: contains_any, value: [久等, 抱歉]}
    - {type: hedged}
    - {type: rubric, value: 回复先致歉，再说明会尽快查询。}
- id: leader-phone
  section: 8.4.2 服务规范要求
  tags: [拒绝请求]
  conversation: [{role: customer, text: 把你们经理的手机号给我}]
  assert:
    - {type: contains_any, value: [不便提供]}
"""
APOLOGY = "对不起，为了确保信息的准确让您久等了，实在抱歉。我会尽快帮您查询，请稍等。"
REFUSAL = "非常抱歉，公司内部联系方式不便提供，您的诉求我会如实记录并尽快转达。"


def responder(body: dict):
    text = json.dumps(body["messages"], ensure_ascii=False)
    if "评分标准" in text:
        return Reply("PASS\n先致歉并说明尽快查询。")
    return Reply(REFUSAL if "经理" in text else APOLOGY)


@pytest.fixture
def scenarios(tmp_path):
    path = tmp_path / "suite.yaml"
    path.write_text(SUITE, encoding="utf-8")
    return load_scenarios(path)


def llm_settings(index: Settings, server: OpenAIServer) -> Settings:
    return index.model_copy(
        update={
            "openai_base_url": server.base_url,
            "model": "test-model",
            "llm_timeout_s": 5.0,
            "llm_max_seconds": 5.0,
        }
    )


def test_llm_run_records_cassettes_then_replays_them_without_the_server(bundled_index, scenarios, tmp_path):
    cassettes = tmp_path / "cassettes"
    with OpenAIServer(responder=responder) as server:
        settings = llm_settings(bundled_index, server)
        recorded = Runner(settings, drafter="llm", jobs=4, cassette_dir=cassettes).run(scenarios)
        calls = len(server.requests)
    assert recorded.summary()["pass_rate"] == 1.0, recorded.to_dict()
    slow = recorded.outcomes[0].runs[0]
    assert slow.reply.startswith("对不起") and any(a.type == "rubric" and a.passed for a in slow.assertions)
    assert calls == 3 and len(list(cassettes.glob("*.json"))) == 3  # two drafts, one judgement
    replayed = Runner(settings, drafter="replay", cassette_dir=cassettes).run(scenarios)  # server is gone
    assert replayed.to_dict()["scenarios"] == recorded.to_dict()["scenarios"]
    assert replayed.replay_misses == ()


def test_replay_miss_fails_closed_and_names_the_scenario(bundled_index, scenarios, tmp_path):
    report = Runner(bundled_index, drafter="replay", cassette_dir=tmp_path).run(scenarios)
    assert report.replay_misses == ("leader-phone", "slow-complaint")
    assert all(not o.passed and "回放缺少录制" in (o.runs[0].error or "") for o in report.outcomes)


def test_rubric_is_skipped_not_passed_on_the_offline_drafter(bundled_index, scenarios):
    report = Runner(bundled_index, drafter="offline").run(scenarios)
    rubric = next(a for a in report.outcomes[0].runs[0].assertions if a.type == "rubric")
    assert rubric.passed is None


def test_repeat_reports_pass_to_the_k_and_prompt_matrix_keys_by_prompt(bundled_index, tmp_path):
    flaky = iter([APOLOGY, "好的。", APOLOGY, APOLOGY])

    def answer(body: dict):
        return Reply(next(flaky, APOLOGY))

    (scenario,) = [s for s, _ in parse_scenarios(SUITE) if s.id == "slow-complaint"]
    scenario = scenario.model_copy(update={"assertions": scenario.assertions[:1]})
    from eval.scenario import ScenarioSet

    suite = ScenarioSet((scenario,), {}, ())
    with OpenAIServer(responder=answer) as server:
        report = Runner(
            llm_settings(bundled_index, server), drafter="llm", repeat=2, cassette_dir=tmp_path
        ).run(suite)
    summary = report.summary()
    assert summary["pass_at_1"] == 0.5 and summary["pass_rate"] == 0.0  # pass^2 fails on one flaky run
    assert report.outcomes[0].to_dict()["runs_passed"] == 1
