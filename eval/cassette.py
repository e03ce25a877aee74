"""Record and replay LLM responses: a LangChain chat model wrapper passed to the drafting chain.

A cassette is `eval/cassettes/<key>.json`, keyed by a hash of (model, prompt version, rendered
messages). `record` calls the wrapped model and writes the cassette; `replay` only reads them and
fails closed on a miss (`CassetteMiss`, also noted in `misses` so the runner can name the scenario
even when the drafting chain catches the error).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Literal

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import ConfigDict, Field

from assistant.errors import AssistantError
from assistant.fileio import atomic_write_text

CASSETTE_DIR = Path(__file__).resolve().parent / "cassettes"


class CassetteMiss(AssistantError):
    """Replay found no recorded response for these messages."""


def cassette_key(model: str, prompt: str, messages: list[BaseMessage]) -> str:
    rendered = [
        [m.type, m.content if isinstance(m.content, str) else json.dumps(m.content)] for m in messages
    ]
    payload = json.dumps([model, prompt, rendered], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


class CassetteChatModel(BaseChatModel):
    """Wraps `inner` (record) or stands in for it (replay)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    inner: Any = None
    mode: Literal["record", "replay"] = "replay"
    directory: Path = CASSETTE_DIR
    model_name: str = "unknown"
    prompt_ref: str = ""
    label: str = ""  # the scenario, for messages
    misses: list[str] = Field(default_factory=list)
    recorded: list[str] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "cassette"

    def _generate(
        self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager=None, **kwargs
    ):
        key = cassette_key(self.model_name, self.prompt_ref, messages)
        path = self.directory / f"{key}.json"
        text = self._read(path, key) if self.mode == "replay" else self._record(path, key, messages, stop)
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def _read(self, path: Path, key: str) -> str:
        try:
            return str(json.loads(path.read_text(encoding="utf-8"))["response"])
        except (OSError, ValueError, KeyError):
            self.misses.append(key)
            raise CassetteMiss(
                f"回放缺少录制：场景 {self.label or '?'}（{self.prompt_ref}，cassette {key}）"
            ) from None

    def _record(self, path: Path, key: str, messages: list[BaseMessage], stop: list[str] | None) -> str:
        if self.inner is None:
            raise CassetteMiss("录制模式需要一个真实的模型")
        answer = self.inner.invoke(messages, stop=stop)
        text = answer.content if isinstance(answer.content, str) else json.dumps(answer.content)
        record = {
            "key": key,
            "model": self.model_name,
            "prompt": self.prompt_ref,
            "scenario": self.label,
            "messages": [{"role": m.type, "content": m.content} for m in messages],
            "response": text,
        }
        atomic_write_text(path, json.dumps(record, ensure_ascii=False, indent=2) + "\n")
        self.recorded.append(key)
        return text
