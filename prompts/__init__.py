"""Versioned prompt templates (YAML data files that team leads edit) and their loader.

    load_prompt("draft_reply@2")            # a released version
    load_prompt("draft_reply@production")   # the version a label points at
    save_new_version("draft_reply", template) -> 3
    set_label("draft_reply", "production", 3)

`ASSISTANT_PROMPT` (Settings.prompt) picks the drafting prompt; see prompts/store.py for the layout.
"""

from __future__ import annotations

from prompts.store import DEFAULT_LABEL, PromptError, PromptStore, load_template_file, open_store
from prompts.template import Example, Message, PromptTemplate

__all__ = [
    "DEFAULT_LABEL",
    "Example",
    "Message",
    "PromptError",
    "PromptStore",
    "PromptTemplate",
    "labels",
    "list_prompts",
    "load_prompt",
    "open_store",
    "load_template_file",
    "save_new_version",
    "set_label",
    "versions",
]


def load_prompt(ref: str) -> PromptTemplate:
    return PromptStore().load(ref)


def list_prompts() -> list[str]:
    return PromptStore().list_prompts()


def versions(name: str) -> list[int]:
    return PromptStore().versions(name)


def labels(name: str) -> dict[str, int]:
    return PromptStore().labels(name)


def save_new_version(name: str, template: PromptTemplate | dict) -> int:
    return PromptStore().save_new_version(name, template)


def set_label(name: str, label: str, version: int) -> None:
    PromptStore().set_label(name, label, version)
