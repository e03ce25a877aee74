"""Scenario files: each `eval/scenarios/*.yaml` is a YAML list of scenarios replaying the manual.

Loading validates with pydantic models that forbid unknown fields; any mistake is reported as
`file:line: field: reason`. `python -m eval.scenario` regenerates the editors' JSON Schema.
The audit store exports candidate scenarios in this same shape.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from assistant.errors import InputError
from assistant.models import DraftRequest, Turn
from eval.assertions import Assertion

SCENARIO_DIR = Path(__file__).resolve().parent / "scenarios"
SCHEMA_PATH = Path(__file__).resolve().parent / "scenario.schema.json"


class ScenarioError(InputError):
    """A scenario file cannot be used; the message names the file, the line and the reason."""


class TurnSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    role: Literal["customer", "agent"]
    text: str = Field(min_length=1)


class Scenario(BaseModel):
    """One situation from the manual, replayed through the drafting path and scored."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", description="Stable ASCII id, unique in the set.")
    section: str = Field(min_length=1, description="The manual section this scenario replays.")
    description: str = ""
    tags: list[str] = Field(default_factory=list, description="The first tag is the report's category.")
    channel: Literal["chat", "phone"] = "chat"
    conversation: list[TurnSpec] = Field(min_length=1, description="The last customer turn is the message.")
    assertions: list[Assertion] = Field(alias="assert", default_factory=list)
    threshold: float = Field(default=1.0, ge=0, le=1, description="Weighted score needed to pass.")
    reference: str | None = Field(default=None, description="A reply the manual would approve.")
    metadata: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _ends_with_customer(self) -> Scenario:
        if not any(turn.role == "customer" for turn in self.conversation):
            raise ValueError("conversation needs at least one customer turn")
        return self

    @property
    def category(self) -> str:
        return self.tags[0] if self.tags else "其他"

    def request(self) -> DraftRequest:
        """The draft request: the last customer turn is the message, everything before is history."""
        last = max(i for i, turn in enumerate(self.conversation) if turn.role == "customer")
        history = tuple(Turn(role=t.role, text=t.text) for t in self.conversation[:last])
        return DraftRequest(message=self.conversation[last].text, history=history, channel=self.channel)

    def matches(self, pattern: str) -> bool:
        """`--filter`: a tag, an id (glob allowed) or a fragment of the section."""
        return pattern in self.tags or fnmatch.fnmatch(self.id, pattern) or pattern in self.section


_SCENARIO_LIST = TypeAdapter(list[Scenario])


@dataclass(frozen=True)
class ScenarioSet:
    scenarios: tuple[Scenario, ...]
    origins: dict[str, str]  # id -> "file:line"
    files: tuple[str, ...]

    @property
    def digest(self) -> str:
        """Hash of the scenarios' meaning (not their comments or layout)."""
        canonical = [
            s.model_dump(mode="json", by_alias=True) for s in sorted(self.scenarios, key=lambda s: s.id)
        ]
        return hashlib.sha256(json.dumps(canonical, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[
            :16
        ]

    def filtered(self, patterns: Sequence[str]) -> ScenarioSet:
        if not patterns:
            return self
        kept = tuple(s for s in self.scenarios if any(s.matches(p) for p in patterns))
        if not kept:
            raise ScenarioError(f"没有场景匹配筛选条件：{'、'.join(patterns)}")
        return ScenarioSet(kept, self.origins, self.files)


def load_scenarios(path: str | Path | None = None) -> ScenarioSet:
    """Read every scenario file under `path` (a file or a directory; the bundled suite by default)."""
    root = Path(path) if path is not None else SCENARIO_DIR
    if root.is_dir():
        files = sorted(root.glob("*.yaml")) + sorted(root.glob("*.yml"))
    elif root.is_file():
        files = [root]
    else:
        raise ScenarioError(f"{root}: 场景文件或目录不存在")
    if not files:
        raise ScenarioError(f"{root}: 目录里没有场景文件（*.yaml）")
    scenarios: list[Scenario] = []
    origins: dict[str, str] = {}
    for file in files:
        for scenario, line in parse_scenario_file(file):
            if scenario.id in origins:
                raise ScenarioError(
                    f"{file}:{line}: 场景 id 重复：{scenario.id}（已在 {origins[scenario.id]}）"
                )
            origins[scenario.id] = f"{file}:{line}"
            scenarios.append(scenario)
    return ScenarioSet(tuple(scenarios), origins, tuple(str(f) for f in files))


def parse_scenario_file(file: Path) -> list[tuple[Scenario, int]]:
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{file}: 无法读取场景文件（{exc}）") from exc
    return parse_scenarios(text, source=str(file))


def parse_scenarios(text: str, source: str = "<string>") -> list[tuple[Scenario, int]]:
    """Validate one file's text; returns each scenario with its 1-based line."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise ScenarioError(f"{source}{line}: YAML 语法错误：{getattr(exc, 'problem', None) or exc}") from exc
    if data is None:
        return []
    if not isinstance(data, list):
        raise ScenarioError(f"{source}:1: 场景文件的顶层必须是列表（- id: ...）")
    try:
        scenarios = _SCENARIO_LIST.validate_python(data)
    except ValidationError as exc:
        raise ScenarioError(_describe(exc, root, source)) from exc
    return [(s, root.value[i].start_mark.line + 1) for i, s in enumerate(scenarios)]


def _describe(exc: ValidationError, root: yaml.Node | None, source: str) -> str:
    lines = []
    for error in exc.errors():
        loc = [part for part in error["loc"] if not _is_union_tag(part)]
        where = ".".join(str(part) for part in loc) or "(root)"
        lines.append(f"{source}:{_line_of(root, loc)}: {where}: {error['msg']}")
    return "场景文件有误：\n" + "\n".join(lines)


def _is_union_tag(part: object) -> bool:
    """Discriminated unions add the tag ('contains_any') to the error location."""
    from eval.assertions import ASSERTION_TYPES

    return isinstance(part, str) and part in ASSERTION_TYPES


def _line_of(node: yaml.Node | None, loc: Sequence[str | int]) -> int:
    line = node.start_mark.line + 1 if node is not None else 1
    for part in loc:
        child = None
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            child = node.value[part]
        if child is None:
            break
        node, line = child, child.start_mark.line + 1
    return line


def scenario_json_schema() -> dict:
    schema = _SCENARIO_LIST.json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Scenario file (a list of scenarios)"
    return schema


def write_json_schema(path: Path = SCHEMA_PATH) -> Path:
    path.write_text(json.dumps(scenario_json_schema(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    print(write_json_schema())
