"""JUnit XML: one testsuite per prompt, one testcase per scenario, failures carry the reasons."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict


def render_junit(data: dict) -> str:
    by_prompt: dict[str, list[dict]] = defaultdict(list)
    for scenario in data["scenarios"]:
        by_prompt[scenario["prompt"]].append(scenario)
    root = ET.Element("testsuites", name="assistant eval", time=str(data["summary"].get("duration_s", 0)))
    for prompt, scenarios in by_prompt.items():
        failures = sum(not s["passed"] for s in scenarios)
        suite = ET.SubElement(
            root, "testsuite", name=f"scenarios[{prompt}]", tests=str(len(scenarios)), failures=str(failures)
        )
        for scenario in scenarios:
            _testcase(suite, scenario)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _testcase(suite: ET.Element, scenario: dict) -> None:
    case = ET.SubElement(suite, "testcase", classname=scenario["category"], name=scenario["id"])
    ET.SubElement(case, "system-out").text = scenario.get("reply") or ""
    if scenario["passed"]:
        return
    failed = [a for a in scenario["assertions"] if a["passed"] is False]
    message = scenario.get("error") or "；".join(a["name"] for a in failed) or "得分低于阈值"
    failure = ET.SubElement(case, "failure", message=message, type="AssertionFailed")
    failure.text = "\n".join(f"{a['name']}: {a['detail']}" for a in failed)
