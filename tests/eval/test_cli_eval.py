"""`assistant eval` from the command line: the CI gate, and each way a gate must fail loudly."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

FAILING = """
- id: always-fails
  section: 8.3.2 电话规范用语 > 1.开场语
  tags: [测试]
  channel: phone
  conversation: [{role: customer, text: 喂，你好}]
  assert:
    - {type: not_contains, value: 您好}
- id: always-passes
  section: 8.3.2 电话规范用语 > 1.开场语
  tags: [测试]
  channel: phone
  conversation: [{role: customer, text: 喂，你好}]
  assert:
    - {type: contains_any, value: 您好}
"""


def test_offline_suite_passes_its_gate_and_writes_every_report(run_eval, tmp_path):
    paths = {ext: tmp_path / f"report.{ext}" for ext in ("json", "html", "xml")}
    result = run_eval(
        "--json", str(paths["json"]), "--html", str(paths["html"]), "--junit", str(paths["xml"])
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert report["summary"]["total"] >= 50
    # The offline drafter is deterministic and meets every scenario; the CLI's gate (0.9) is for
    # LLM drafts. A retrieval or phrasebook change that breaks a scenario shows here by name.
    failed = [s["id"] for s in report["scenarios"] if not s["passed"]]
    assert report["summary"]["pass_rate"] == 1.0, failed
    assert {"prompts", "model", "manual", "rule_pack", "retriever", "scenario_set"} <= set(
        report["fingerprint"]
    )
    first = report["scenarios"][0]
    assert {"id", "section", "passed", "assertions"} <= set(first)
    assert {"name", "passed", "detail"} <= set(first["assertions"][0])
    assert any(a["name"].startswith("guard") for a in first["assertions"])
    html = paths["html"].read_text(encoding="utf-8")
    assert "<svg" in html and "<script" not in html
    suites = ET.parse(paths["xml"]).getroot()
    assert int(suites[0].get("tests")) == report["summary"]["total"]


def test_a_broken_scenario_file_exits_non_zero_naming_file_and_line(run_eval, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "- id: x\n  section: s\n  conversation: [{role: customer, text: 你好}]\n  asert: []\n",
        encoding="utf-8",
    )
    result = run_eval("--scenarios", str(bad))
    assert result.returncode == 2
    assert f"{bad}:4" in result.stderr and "asert" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_broken_prompt_exits_non_zero(run_eval):
    result = run_eval("--prompt", "draft_reply@999", "--filter", "smoke")
    assert result.returncode == 2
    assert "draft_reply" in result.stderr and "999" in result.stderr


def test_failing_scenarios_below_the_pass_rate_fail_the_gate(run_eval, tmp_path):
    suite = tmp_path / "suite.yaml"
    suite.write_text(FAILING, encoding="utf-8")
    result = run_eval("--scenarios", str(suite), "--min-pass-rate", "0.9")
    assert result.returncode == 1
    assert "未通过门槛" in result.stdout and "50%" in result.stdout
    assert "always-fails" in result.stdout


def test_a_regression_against_a_saved_baseline_fails_the_gate(run_eval, tmp_path):
    suite = tmp_path / "suite.yaml"
    suite.write_text(FAILING, encoding="utf-8")
    saved = tmp_path / "run.json"
    first = run_eval("--scenarios", str(suite), "--min-pass-rate", "0", "--json", str(saved))
    assert first.returncode == 0, first.stdout + first.stderr
    baseline = json.loads(saved.read_text(encoding="utf-8"))
    same = run_eval("--scenarios", str(suite), "--min-pass-rate", "0", "--baseline", str(saved))
    assert same.returncode == 0, same.stdout  # no change, no regression
    for scenario in baseline["scenarios"]:  # the baseline was saved when everything passed
        scenario["passed"] = True
        for item in scenario["assertions"]:
            item["passed"] = True
    saved.write_text(json.dumps(baseline, ensure_ascii=False), encoding="utf-8")
    result = run_eval("--scenarios", str(suite), "--min-pass-rate", "0", "--baseline", str(saved))
    assert result.returncode == 1
    assert "退步" in result.stdout and "always-fails" in result.stdout


def test_incomparable_baseline_is_refused_unless_forced(run_eval, tmp_path):
    suite = tmp_path / "suite.yaml"
    suite.write_text(FAILING, encoding="utf-8")
    saved = tmp_path / "run.json"
    run_eval("--scenarios", str(suite), "--min-pass-rate", "0", "--json", str(saved))
    baseline = json.loads(saved.read_text(encoding="utf-8"))
    baseline["fingerprint"]["scenario_set"] = "0000000000000000"
    saved.write_text(json.dumps(baseline, ensure_ascii=False), encoding="utf-8")
    refused = run_eval("--scenarios", str(suite), "--min-pass-rate", "0", "--baseline", str(saved))
    assert refused.returncode == 2 and "scenario_set" in refused.stderr and "--force" in refused.stderr
    forced = run_eval("--scenarios", str(suite), "--min-pass-rate", "0", "--baseline", str(saved), "--force")
    assert forced.returncode == 0, forced.stdout + forced.stderr


def test_replay_without_cassettes_fails_closed_naming_the_scenario(run_eval, tmp_path):
    suite = tmp_path / "suite.yaml"
    suite.write_text(FAILING, encoding="utf-8")
    empty = tmp_path / "cassettes"
    empty.mkdir()
    result = run_eval(
        "--scenarios", str(suite), "--drafter", "replay", "--cassettes", str(empty), "--min-pass-rate", "0"
    )
    assert result.returncode == 1
    assert "回放缺少录制" in result.stdout and "always-passes" in result.stdout
