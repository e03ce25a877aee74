"""`assistant serve` refuses to expose a desk without accounts; loopback is the default."""

from __future__ import annotations

import subprocess
import sys

import pytest

from assistant.ui.app import is_loopback
from tests.ui.support import serve_env


def run_serve(tmp_path, *args: str) -> subprocess.CompletedProcess:
    env = serve_env(tmp_path, tmp_path / "users.json", f"sqlite:///{tmp_path / 'audit.db'}")
    return subprocess.run(
        [sys.executable, "-m", "assistant", "serve", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


@pytest.mark.server
@pytest.mark.parametrize(
    "host", [pytest.param("0.0.0.0", id="all-interfaces"), pytest.param("192.168.1.10", id="lan")]
)
def test_serve_refuses_non_loopback_without_users(tmp_path, host):
    result = run_serve(tmp_path, "--host", host, "--port", "7999")
    assert result.returncode != 0
    assert "尚未配置任何账号" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        pytest.param("127.0.0.1", True, id="ipv4-loopback"),
        pytest.param("::1", True, id="ipv6-loopback"),
        pytest.param("localhost", True, id="localhost-name"),
        pytest.param("0.0.0.0", False, id="all-interfaces"),
        pytest.param("example.com", False, id="other-name"),
    ],
)
def test_loopback_detection(host, expected):
    assert is_loopback(host) is expected
