"""The offline drafter's phrasebook (prompts/offline_phrases.yaml): the reply's frame and lines per situation."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from prompts.store import DEFAULT_ROOT, PromptError, line_of

DEFAULT_PHRASEBOOK = DEFAULT_ROOT / "offline_phrases.yaml"


class SituationLines(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    empathy: str | None = None
    action: str | None = None
    question: str | None = None
    ends_conversation: bool = False  # the customer is done: close without asking anything more
    alone: bool = False  # when it leads, the reply answers only this situation (反复咨询, 敏感话题)


class ChannelText(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    chat: str = Field(min_length=1)
    phone: str = Field(min_length=1)


class Phrasebook(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int = Field(ge=1)
    openings: ChannelText
    closings: ChannelText
    closings_after_question: ChannelText
    default_action: str = Field(min_length=1)
    greeting_question: str = Field(min_length=1)
    order_question: str = Field(min_length=1)
    situations: dict[str, SituationLines] = Field(default_factory=dict)

    def lines(self) -> list[str]:
        """Every line in the book (for checking them all against the guard)."""
        out = [*self.openings.model_dump().values(), *self.closings.model_dump().values()]
        out += self.closings_after_question.model_dump().values()
        out += [self.default_action, self.greeting_question, self.order_question]
        for entry in self.situations.values():
            out += [line for line in (entry.empathy, entry.action, entry.question) if line]
        return out


def load_phrasebook(path: Path | str | None = None) -> Phrasebook:
    """Read and validate a phrasebook; mistakes name the file, the line and the reason."""
    path = Path(path) if path else DEFAULT_PHRASEBOOK
    return _load(str(path))


@lru_cache(maxsize=4)
def _load(path: str) -> Phrasebook:
    try:
        text = Path(path).read_text(encoding="utf-8")
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except OSError as exc:
        raise PromptError(f"{path}: 无法读取：{exc.strerror}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise PromptError(f"{path}:{mark.line + 1 if mark else 1}: YAML 语法错误") from None
    try:
        return Phrasebook.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        reason = "未知字段" if first["type"] == "extra_forbidden" else first["msg"]
        raise PromptError(f"{path}:{line_of(node, first['loc'])}: {where}: {reason}") from None
