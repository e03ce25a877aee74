"""Helpers for the desk tests: environment, ports, waiting for the server, logging in."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

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


def serve_env(data_dir: Path, users_file: Path, database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        ASSISTANT_DATA_DIR=str(data_dir),
        ASSISTANT_USERS_FILE=str(users_file),
        ASSISTANT_DATABASE_URL=database_url,
        GRADIO_ANALYTICS_ENABLED="False",
        ANONYMIZED_TELEMETRY="False",
    )
    for key in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "ASSISTANT_OPENAI_API_KEY", "ASSISTANT_OPENAI_BASE_URL"):
        env.pop(key, None)  # the desk must start on the offline drafter
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
