"""Fixtures for the scenario suite: the bundled manual indexed once, and the CLI as a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # `tests.support` when pytest runs from elsewhere
    sys.path.insert(0, str(REPO))


@pytest.fixture(scope="session")
def run_eval(bundled_index):
    """Run `assistant eval ...` as a user would, against the indexed bundled manual."""

    def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        environ = {
            **os.environ,
            "ASSISTANT_DATA_DIR": str(bundled_index.data_dir),
            "COLUMNS": "200",
            **(env or {}),
        }
        environ.pop("OPENAI_BASE_URL", None)
        environ.pop("OPENAI_API_KEY", None)
        return subprocess.run(
            [sys.executable, "-m", "assistant", "eval", *args],
            capture_output=True,
            text=True,
            timeout=240,
            env=environ,
            cwd=REPO,
        )

    return run
