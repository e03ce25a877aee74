"""The prompt template model: one YAML file per released version of a named prompt.

Placeholders are Jinja2 (`{{ message }}`, `{% for s in sections %}`), rendered with StrictUndefined
in a sandbox, so a template can only read the variables it declares in `inputs`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from jinja2 import StrictUndefined, meta
from jinja2.sandbox import ImmutableSandboxedEnvironment
from pydantic import BaseModel, ConfigDict, Field

NAME_PATTERN = r"^[a-z][a-z0-9_]*$"
MESSAGE_FIELDS = ("system", "user", "repair")

_ENV = ImmutableSandboxedEnvironment(
    undefined=StrictUndefined, keep_trailing_newline=False, trim_blocks=True, lstrip_blocks=True
)


class Example(BaseModel):
    """A few-shot example: what the customer said and a reply the manual would approve."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    customer: str = Field(min_length=1)
    reply: str = Field(min_length=1)
    channel: Literal["chat", "phone"] = "chat"


@dataclass(frozen=True)
class Message:
    """One rendered chat message, ready for the model."""

    role: Literal["system", "user", "assistant"]
    content: str


class PromptTemplate(BaseModel):
    """A versioned prompt. Released versions are immutable files; labels point at one of them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=NAME_PATTERN)
    version: int = Field(ge=1)
    description: str = Field(min_length=1)
    inputs: list[str] = Field(min_length=1, description="Variables the messages may use.")
    system: str = Field(min_length=1)
    user: str = Field(min_length=1)
    repair: str | None = Field(
        default=None, description="Follow-up user message when the guard blocked a draft."
    )
    examples: list[Example] = Field(default_factory=list)
    notes: str = ""

    @property
    def ref(self) -> str:
        return f"{self.name}@{self.version}"

    @cached_property
    def _compiled(self) -> dict[str, object]:
        return {f: _ENV.from_string(getattr(self, f)) for f in MESSAGE_FIELDS if getattr(self, f)}

    def render_field(self, field: str, **variables: object) -> str:
        """Render one message field; `examples` is always available to the templates."""
        template = self._compiled[field]
        return template.render(examples=self.examples, **variables).strip()  # type: ignore[attr-defined]

    def render(self, **variables: object) -> tuple[Message, ...]:
        """The system and user messages for these variables."""
        return (
            Message("system", self.render_field("system", **variables)),
            Message("user", self.render_field("user", **variables)),
        )


@dataclass(frozen=True)
class PlaceholderProblem:
    field: str
    line_in_field: int  # 0-based line inside the field's text
    reason: str


def placeholder_problems(template: PromptTemplate) -> list[PlaceholderProblem]:
    """Unknown placeholders and Jinja syntax errors, per message field."""
    from jinja2 import TemplateSyntaxError

    allowed = set(template.inputs) | {"examples"}
    problems = []
    for field in MESSAGE_FIELDS:
        text = getattr(template, field)
        if not text:
            continue
        try:
            used = meta.find_undeclared_variables(_ENV.parse(text))
        except TemplateSyntaxError as exc:
            problems.append(PlaceholderProblem(field, (exc.lineno or 1) - 1, f"模板语法错误：{exc.message}"))
            continue
        for name in sorted(used - allowed):
            problems.append(PlaceholderProblem(field, _first_line_using(text, name), f"未知占位符 {name}"))
    return problems


def _first_line_using(text: str, name: str) -> int:
    pattern = re.compile(r"(\{\{|\{%)[^}]*\b" + re.escape(name) + r"\b")
    for number, line in enumerate(text.splitlines()):
        if pattern.search(line):
            return number
    return 0
