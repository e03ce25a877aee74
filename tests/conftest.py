"""Shared session fixtures: a real `chroma run` server, and the bundled manual indexed once.

Every test session runs with ASSISTANT_DATA_DIR pointing at a temporary folder, so subprocess runs
of `assistant` never touch the repository's own index.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMA_BIN = Path(sys.executable).with_name("chroma")


@pytest.fixture(scope="session", autouse=True)
def _isolated_data_dir(tmp_path_factory) -> Iterator[Path]:
    """Point ASSISTANT_DATA_DIR (inherited by subprocesses) at a fresh temporary folder."""
    data_dir = tmp_path_factory.mktemp("assistant-data")
    saved = {k: os.environ.get(k) for k in ("ASSISTANT_DATA_DIR", "ANONYMIZED_TELEMETRY")}
    os.environ["ASSISTANT_DATA_DIR"] = str(data_dir)
    os.environ["ANONYMIZED_TELEMETRY"] = "False"
    from assistant.settings import get_settings

    get_settings.cache_clear()
    yield data_dir
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    get_settings.cache_clear()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_heartbeat(url: str, process: subprocess.Popen, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"chroma run exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"chroma run did not answer on {url} within {timeout_s}s")


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory) -> Iterator[str]:
    """A real Chroma server (`chroma run`) on 127.0.0.1; yields its URL, stops it at the end."""
    path = tmp_path_factory.mktemp("chroma-server")
    port = free_port()
    log = (path / "server.log").open("wb")
    process = subprocess.Popen(
        [str(CHROMA_BIN), "run", "--path", str(path / "data"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for_heartbeat(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="session")
def bundled_index(tmp_path_factory):
    """Settings whose data_dir holds the bundled manual, ingested once into embedded Chroma."""

    from assistant.index.ingest import ingest
    from assistant.settings import Settings

    settings = Settings(data_dir=tmp_path_factory.mktemp("bundled-index"))
    ingest(None, settings)
    return settings
