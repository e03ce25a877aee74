"""The situation catalogue: the manual's situations as data (YAML) that a team lead can edit.

Loading validates the file with pydantic models that forbid unknown fields, and any mistake is
reported with the file, the line and the reason (`CatalogueError`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from assistant.errors import InputError
from assistant.models import Hint

M = TypeVar("M", bound=BaseModel)

DEFAULT_CATALOGUE = Path(__file__).resolve().parent.parent / "data" / "situations.yaml"


class CatalogueError(InputError):
    """The situation catalogue cannot be used; the message names the file, the line and the reason."""


class Situation(BaseModel):
    """One situation the manual describes, with the ways customers actually put it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Stable ASCII slug.")
    name: str = Field(min_length=1, max_length=20, description="Short Chinese label shown to agents.")
    sections: tuple[str, ...] = Field(
        min_length=1, description="Heading fragments (cleaned, Simplified) that locate the manual's sections."
    )
    cues: tuple[str, ...] = Field(
        min_length=15, max_length=30, description="Colloquial customer phrasings (chat and phone)."
    )
    keywords: tuple[str, ...] = Field(default=(), description="Strong lexical triggers.")
    advice: str | None = Field(default=None, description="The manual's prescription for the agent.")
    advice_section: str | None = Field(default=None, description="Heading fragment the advice comes from.")

    @field_validator("sections", "cues", "keywords")
    @classmethod
    def _no_blank_or_duplicate(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        cleaned = tuple(v.strip() for v in values)
        if any(not v for v in cleaned):
            raise ValueError("empty entry")
        duplicates = sorted({v for v in cleaned if cleaned.count(v) > 1})
        if duplicates:
            raise ValueError(f"duplicate entries: {', '.join(duplicates)}")
        return cleaned

    @model_validator(mode="after")
    def _advice_has_section(self) -> Situation:
        if self.advice and not self.advice_section:
            raise ValueError("advice needs an advice_section")
        return self

    def hint(self) -> Hint | None:
        """The escalation hint for the agent, when the manual prescribes one."""
        if not self.advice:
            return None
        return Hint(situation=self.name, advice=self.advice, section=self.advice_section or "")

    def points_to(self, section_path: str) -> bool:
        """Whether a section's heading path is one of this situation's sections."""
        return any(fragment in section_path for fragment in self.sections)


class Catalogue(BaseModel):
    """All situations, in file order."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int = Field(ge=1)
    situations: tuple[Situation, ...] = Field(min_length=1)
    background: tuple[str, ...] = Field(
        default=(),
        description="Greetings, chit-chat and off-topic messages: a situation must score above these to match.",
    )

    @model_validator(mode="after")
    def _unique(self) -> Catalogue:
        for attr in ("id", "name"):
            seen = [getattr(s, attr) for s in self.situations]
            duplicates = sorted({v for v in seen if seen.count(v) > 1})
            if duplicates:
                raise ValueError(f"duplicate situation {attr}: {', '.join(duplicates)}")
        return self

    def get(self, situation_id: str) -> Situation:
        for situation in self.situations:
            if situation.id == situation_id:
                return situation
        raise KeyError(situation_id)


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """Read and validate a catalogue file (the bundled one by default)."""
    return read_yaml_model(Path(path) if path is not None else DEFAULT_CATALOGUE, Catalogue, "情形目录")


def parse_catalogue(text: str, source: str = "<string>") -> Catalogue:
    return parse_yaml_model(text, Catalogue, "情形目录", source)


def read_yaml_model(path: Path, model: type[M], what: str) -> M:
    """Read a YAML data file into `model`; any mistake is a `CatalogueError` naming file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogueError(f"{path}: 无法读取{what}（{exc}）") from exc
    return parse_yaml_model(text, model, what, source=str(path))


def parse_yaml_model(text: str, model: type[M], what: str, source: str = "<string>") -> M:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        _reject_duplicate_keys(root, source)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        reason = getattr(exc, "problem", None) or str(exc)
        raise CatalogueError(f"{source}{line}: YAML 语法错误：{reason}") from exc
    if not isinstance(data, dict):
        raise CatalogueError(f"{source}:1: 顶层必须是映射（{', '.join(model.model_fields)}）")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise CatalogueError(f"{what}有误：\n" + _describe(exc, root, source)) from exc


def _reject_duplicate_keys(node: yaml.Node | None, source: str) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if key.value in seen:
                raise CatalogueError(f"{source}:{key.start_mark.line + 1}: 重复的字段 '{key.value}'")
            seen.add(key.value)
            _reject_duplicate_keys(value, source)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _reject_duplicate_keys(item, source)


def _describe(exc: ValidationError, root: yaml.Node | None, source: str) -> str:
    errors = exc.errors()
    deeper = [e["loc"] for e in errors]
    lines = []
    for error in errors:
        loc = error["loc"]
        if error["type"] == "too_short" and any(d[: len(loc)] == loc and d != loc for d in deeper):
            continue  # a container "too short" only because one of its items failed
        where = ".".join(str(part) for part in loc) or "(root)"
        lines.append(f"{source}:{_line_of(root, loc)}: {where}: {error['msg']}")
    return "\n".join(lines)


def _line_of(node: yaml.Node | None, loc: Sequence[str | int]) -> int:
    """1-based line that `loc` reaches: a field's key line, a list item's line (a missing field: its parent)."""
    line = node.start_mark.line + 1 if node is not None else 1
    for part in loc:
        found = _child(node, part)
        if found is None:
            break
        node, line = found
    return line


def _child(node: yaml.Node | None, part: str | int) -> tuple[yaml.Node, int] | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == part:
                return value, key.start_mark.line + 1
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        item = node.value[part]
        return item, item.start_mark.line + 1
    return None
