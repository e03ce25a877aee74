"""Helpers for the desk tests: environment, ports, waiting for the server, logging in."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tests.support.openai_server import Reply

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
OUTPUT_DIR = Path(__file__).resolve().parents[2] / "test-output"
AGENT = ("agent_wang", "agent-pass-123")
LEAD = ("lead_li", "lead-pass-123")


# The scripted LLM: a prompt whose system message carries NEW_VERSION_MARK gets a reply the guard
# flags; any other prompt gets a clean one. So two prompt versions give visibly different drafts.
NEW_VERSION_MARK = "（第二版）"
CLEAN_REPLY = (
    "您好，微厅客服1229号为您服务。非常抱歉让您久等了，我马上帮您查询 [1]。请问还有其他可以帮您的吗？"
)
FLAGGED_REPLY = "您好，微厅客服1229号为您服务。这个我不清楚，您再等等 [1]。请问还有其他可以帮您的吗？"


def scripted_llm_reply(body: dict) -> Reply:
    system = " ".join(
        str(m.get("content", "")) for m in body.get("messages", []) if m.get("role") == "system"
    )
    return Reply(FLAGGED_REPLY if NEW_VERSION_MARK in system else CLEAN_REPLY)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class DeskServer:
    url: str
    data_dir: Path
    users_file: Path
    database_url: str
    log: Path
    prompts_dir: Path


def serve_env(
    data_dir: Path, users_file: Path, database_url: str, prompts_dir: Path | None = None, **extra: str
) -> dict[str, str]:
    """The server's environment: its own data, users, store and prompts; no LLM unless `extra` sets one."""
    env = dict(os.environ)
    for key in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "ASSISTANT_OPENAI_API_KEY", "ASSISTANT_OPENAI_BASE_URL"):
        env.pop(key, None)  # the desk starts on the offline drafter unless the test gives it an LLM
    env.update(
        ASSISTANT_DATA_DIR=str(data_dir),
        ASSISTANT_USERS_FILE=str(users_file),
        ASSISTANT_DATABASE_URL=database_url,
        GRADIO_ANALYTICS_ENABLED="False",
        ANONYMIZED_TELEMETRY="False",
        **extra,
    )
    if prompts_dir is not None:
        env["ASSISTANT_PROMPTS_DIR"] = str(prompts_dir)  # a lab save never lands in the repository
    return env


def wait_until_serving(url: str, process: subprocess.Popen, log: Path, timeout_s: float = 180) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"assistant serve exited with {process.returncode}:\n{log.read_text()[-3000:]}"
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"assistant serve did not answer on {url} within {timeout_s}s")


def log_in(page, url: str, name: str, password: str) -> None:
    page.goto(url)
    page.locator("input[type=text], input:not([type])").first.fill(name)
    page.locator("input[type=password]").fill(password)
    page.locator("input[type=password]").press("Enter")
