"""An agent's day in a real browser: log in, draft, see a banned phrase flagged, fix it, approve."""

from __future__ import annotations

import re

import pytest

from tests.ui.support import AGENT, LEAD, OUTPUT_DIR, log_in

pytestmark = [pytest.mark.browser, pytest.mark.server]

UPSET_CUSTOMER = "我都等了二十分钟了还没人理我，你们到底还管不管？"
BANNED = "这个我不清楚。"


def textarea(page, elem_id: str):
    return page.locator(f"#{elem_id} textarea")


def decisions_by(database_url: str, user: str) -> list:
    from assistant.store import AuditStore

    with AuditStore.open(database_url) as store:
        return [r.decision for r in store.records() if r.decision and r.decision.user == user]


def draft_as_agent(page, desk_server, message: str = UPSET_CUSTOMER) -> str:
    """Log in as the agent, draft a reply to `message` and wait until the reply has been checked
    (its text shows in the findings: editing it sooner would race the draft's own check)."""
    log_in(page, desk_server.url, *AGENT)
    textarea(page, "customer-message").fill(message)
    page.locator("#generate-btn").click()
    page.wait_for_function("() => document.querySelector('#reply textarea')?.value.length > 0")
    reply = textarea(page, "reply").input_value()
    page.wait_for_function(
        "(t) => document.querySelector('#highlight')?.innerText.includes(t)", arg=reply[:8]
    )
    return reply


def test_agent_fixes_a_banned_phrase_and_approves(page, desk_server):
    reply = draft_as_agent(page, desk_server)
    draft = textarea(page, "draft").input_value()
    OUTPUT_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT_DIR / "desk-draft.png"), full_page=True)
    assert re.search(r"\[\d+\]", draft), "the draft view keeps its source markers for the agent"
    assert reply == re.sub(r"\s?\[\d+\]", "", draft), "the reply to send has none"

    textarea(page, "reply").fill(reply + BANNED)
    highlight = page.locator("#highlight")
    highlight.get_by_text("不清楚", exact=True).wait_for()
    assert page.locator("#approve-btn").is_disabled()

    page.locator("#suggestion-0").click()
    page.wait_for_function("() => !document.querySelector('#reply textarea').value.includes('不清楚')")
    page.locator("#approve-btn:not([disabled])").wait_for()
    textarea(page, "approve-reason").fill("已核对，语气合适")
    page.locator("#approve-btn").click()
    page.wait_for_function("() => document.querySelector('#approved textarea')?.value.length > 0")
    approved = textarea(page, "approved").input_value()
    page.screenshot(path=str(OUTPUT_DIR / "desk-approved.png"), full_page=True)

    assert "不清楚" not in approved
    assert "[" not in approved
    assert approved == textarea(page, "reply").input_value()
    matching = [d for d in decisions_by(desk_server.database_url, AGENT[0]) if d.final_text == approved]
    assert len(matching) == 1
    assert matching[0].action == "approve"
    assert matching[0].original_text == draft


def test_a_suspect_clause_is_hinted_without_blocking_approval(page, desk_server):
    reply = draft_as_agent(page, desk_server)
    textarea(page, "reply").fill(reply + "这种问题你也问？")  # no rule catches it; the model does
    highlight = page.locator("#highlight")
    highlight.get_by_text("这种问题你也问", exact=True).wait_for()
    assert "疑似（模型提示）" in highlight.inner_text()
    assert "模型提示" in page.locator("#findings").inner_text()
    page.locator("#approve-btn:not([disabled])").wait_for()  # a hint, not a verdict


def test_ctrl_enter_drafts_a_reply(page, desk_server):
    log_in(page, desk_server.url, *AGENT)
    textarea(page, "customer-message").fill("你们寄错颜色了，我要的是黑色")
    textarea(page, "customer-message").press("Control+Enter")
    page.wait_for_function("() => document.querySelector('#reply textarea')?.value.length > 0")
    page.get_by_text("引用的手册章节").click()  # the sources accordion opens
    page.locator("#sources details").first.wait_for()
    page.locator("#sources details summary").first.click()  # a section expands to its text
    assert page.locator("#sources .source-text").first.inner_text().strip()


def test_customer_text_is_never_rendered_as_html(page, desk_server):
    hostile = "<img src=x onerror=\"document.title='pwned'\">"
    draft_as_agent(page, desk_server, hostile)
    textarea(page, "reply").fill(hostile + BANNED)
    page.locator("#highlight").get_by_text("不清楚", exact=True).wait_for()
    assert page.locator("img[src=x]").count() == 0
    assert page.title() != "pwned"


def test_wrong_password_is_refused(page, desk_server):
    log_in(page, desk_server.url, AGENT[0], "not-the-password")
    page.get_by_text("凭据不正确").wait_for()
    assert page.locator("#generate-btn").count() == 0


def test_agent_does_not_see_the_prompt_lab(page, desk_server):
    log_in(page, desk_server.url, *AGENT)
    page.locator("#generate-btn").wait_for()
    page.wait_for_timeout(1000)  # the role-dependent tab appears on load
    assert page.get_by_role("tab", name="提示词实验室").count() == 0


def test_lead_sees_the_prompt_lab(page, desk_server):
    log_in(page, desk_server.url, *LEAD)
    page.get_by_role("tab", name="提示词实验室").click()
    page.locator("#lab-refresh").click()
    page.locator("#lab-prompt input").wait_for()
    page.wait_for_function("() => document.querySelector('#lab-prompt input')?.value === 'draft_reply'")


@pytest.mark.parametrize(
    ("locale", "button"),
    [
        pytest.param("zh-CN", "生成草稿", id="chinese-browser"),
        pytest.param("fr-FR", "生成草稿", id="locale-without-translation"),
        pytest.param("zh-HK", "生成草稿", id="locale-gradio-does-not-know"),
        pytest.param("en-US", "Draft reply", id="english-browser"),
    ],
)
def test_ui_is_chinese_unless_the_browser_asks_for_english(browser, desk_server, locale, button):
    context = browser.new_context(locale=locale)
    try:
        page = context.new_page()
        log_in(page, desk_server.url, *AGENT)
        page.locator("#generate-btn").wait_for(timeout=60_000)
        assert page.locator("#generate-btn").inner_text().strip() == button
    finally:
        context.close()
