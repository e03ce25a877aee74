"""The review desk as a user meets it: a real `assistant serve` process and a real Chromium.

The server runs on 127.0.0.1 with the bundled manual indexed (the session `bundled_index`), its
own users file (one agent, one lead) and its own audit database, all in temporary folders.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.openai_server import OpenAIServer
from tests.ui.support import (
    AGENT,
    CHROMIUM_ARGS,
    LEAD,
    DeskServer,
    free_port,
    scripted_llm_reply,
    serve_env,
    wait_until_serving,
)


@contextmanager
def running_desk(home: Path, data_dir: Path, **extra_env: str) -> Iterator[DeskServer]:
    """`assistant serve` on 127.0.0.1 with an agent and a lead and its own prompts folder."""
    from assistant.users import add_user

    users_file = home / "users.json"
    add_user(*AGENT, "agent", path=users_file)
    add_user(*LEAD, "lead", path=users_file)
    database_url = f"sqlite:///{home / 'audit.db'}"
    prompts_dir = home / "prompts"
    port = free_port()
    log = home / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "assistant", "serve", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=serve_env(data_dir, users_file, database_url, prompts_dir, **extra_env),
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_serving(url, process, log)
        yield DeskServer(url, data_dir, users_file, database_url, log, prompts_dir)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def desk_server(bundled_index, tmp_path_factory) -> Iterator[DeskServer]:
    """The desk on the offline drafter (no LLM configured)."""
    with running_desk(tmp_path_factory.mktemp("desk"), bundled_index.data_dir) as server:
        yield server


@pytest.fixture(scope="session")
def llm_server() -> Iterator[OpenAIServer]:
    """The scripted OpenAI-compatible server the LLM desk drafts with (see `scripted_llm_reply`)."""
    with OpenAIServer(responder=scripted_llm_reply) as server:
        yield server


@pytest.fixture(scope="session")
def llm_desk_server(bundled_index, tmp_path_factory, llm_server) -> Iterator[DeskServer]:
    """The desk drafting with an LLM (the scripted local server); one attempt, no repairs."""
    env = {
        "OPENAI_BASE_URL": llm_server.base_url,
        "OPENAI_API_KEY": "unused",
        "ASSISTANT_LLM_MAX_ATTEMPTS": "1",
        "ASSISTANT_REPAIR_ATTEMPTS": "0",
    }
    with running_desk(tmp_path_factory.mktemp("llm-desk"), bundled_index.data_dir, **env) as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    from playwright import sync_api

    executable = shutil.which("chromium")
    # The browser is part of the test environment (`make test` installs it): missing fails, never skips.
    assert executable, "Debian's chromium is not installed: run `make browser` (apt-get install chromium)"
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 1100})
    context.set_default_timeout(60_000)
    page = context.new_page()
    yield page
    context.close()
