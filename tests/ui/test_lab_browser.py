"""A lead's prompt lab in a real browser, against a desk that drafts with a (local, scripted) LLM:
save a new version, compare it with v1 on three scenarios, promote it, and see the desk use it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tests.ui.support import AGENT, LEAD, NEW_VERSION_MARK, OUTPUT_DIR, log_in

pytestmark = [pytest.mark.browser, pytest.mark.server]

BUNDLED_PROMPTS = Path(__file__).resolve().parents[2] / "prompts"
SCENARIOS = ["chat-opening-needs-info", "chat-first-reply-late", "refuse-internal-phone"]


def new_version_text() -> str:
    """v1 as the lab shows it, edited the way a lead would: a changed system prompt."""
    from prompts import PromptStore
    from prompts.store import dump_template

    text = dump_template(PromptStore(BUNDLED_PROMPTS).load("draft_reply@1"))
    edited = text.replace("回复起草助手。", f"回复起草助手{NEW_VERSION_MARK}。", 1)
    assert edited != text
    return edited


def replace_editor_text(page, elem_id: str, text: str) -> None:
    editor = page.locator(f"#{elem_id} .cm-content")
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(text)


def choose(page, elem_id: str, option: str) -> None:
    """Pick one option of a Gradio dropdown (multiselect: add it)."""
    page.locator(f"#{elem_id} input").click()
    page.locator(f"#{elem_id} input").fill(option)
    page.get_by_role("option", name=re.compile(rf"^{re.escape(option)}( ·|$)")).first.click()


def test_lead_saves_compares_and_promotes_a_prompt_version(page, llm_desk_server):
    prompts_dir = llm_desk_server.prompts_dir
    bundled_v1 = (BUNDLED_PROMPTS / "templates" / "draft_reply.v1.yaml").read_bytes()
    log_in(page, llm_desk_server.url, *LEAD)
    page.get_by_role("tab", name="提示词实验室").click()
    page.locator("#lab-refresh").click()
    page.wait_for_function("() => document.querySelector('#lab-prompt input')?.value === 'draft_reply'")
    page.locator("#lab-template .cm-content", has_text="name: draft_reply").wait_for()
    versions = page.locator("#lab-versions")
    assert "production" in versions.inner_text()

    replace_editor_text(page, "lab-template", new_version_text())
    page.locator("#lab-save").click()
    page.locator("#lab-status textarea").wait_for()
    page.wait_for_function(
        "() => document.querySelector('#lab-status textarea').value.includes('draft_reply@2')"
    )
    saved = prompts_dir / "templates" / "draft_reply.v2.yaml"
    assert NEW_VERSION_MARK in yaml.safe_load(saved.read_text(encoding="utf-8"))["system"]
    assert (prompts_dir / "templates" / "draft_reply.v1.yaml").read_bytes() == bundled_v1
    assert not (BUNDLED_PROMPTS / "templates" / "draft_reply.v2.yaml").exists()

    for scenario in SCENARIOS:
        choose(page, "lab-scenarios", scenario)
    page.locator("#lab-run").click()
    table = page.locator("#lab-results table.lab-table")
    table.wait_for(timeout=120_000)
    assert table.locator("tbody tr").count() == len(SCENARIOS)
    v1_cells = table.locator("td[data-ref='draft_reply@1']")
    v2_cells = table.locator("td[data-ref='draft_reply@2']")
    assert v1_cells.count() == v2_cells.count() == len(SCENARIOS)
    assert v2_cells.first.locator("mark", has_text="不清楚").count() == 1  # the guard's finding, in place
    assert "不清楚" in v2_cells.first.locator(".lab-findings").inner_text()
    assert v1_cells.first.locator("mark").count() == 0
    assert page.locator("#lab-notice").inner_text().strip() == ""  # an LLM drafted: nothing to excuse
    OUTPUT_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT_DIR / "lab-comparison.png"), full_page=True)

    choose(page, "lab-label-version", "2")
    page.locator("#lab-set-label").click()
    page.wait_for_function(
        "() => document.querySelector('#lab-status textarea').value.includes('production')"
    )
    assert yaml.safe_load((prompts_dir / "labels.yaml").read_text())["draft_reply"]["production"] == 2
    assert yaml.safe_load((BUNDLED_PROMPTS / "labels.yaml").read_text())["draft_reply"]["production"] == 1

    page.get_by_role("tab", name="审核台").click()
    page.locator("#customer-message textarea").fill("我都等了二十分钟了还没人理我")
    page.locator("#generate-btn").click()
    page.locator("#draft-meta code", has_text="draft_reply@2").wait_for()


def test_agent_drafts_with_the_production_prompt_and_sees_its_version(page, llm_desk_server):
    log_in(page, llm_desk_server.url, *AGENT)
    page.locator("#customer-message textarea").fill("你们寄错颜色了，我要的是黑色")
    page.locator("#generate-btn").click()
    page.locator("#draft-meta code", has_text="draft_reply@").wait_for()
    assert "[1]" in page.locator("#draft textarea").input_value()
    assert "[1]" not in page.locator("#reply textarea").input_value()
