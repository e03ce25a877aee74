"""Rule packs: YAML files validated on load, every mistake reported with its file and line.

A pack has a name, an optional public allowlist, a list of rules and a list of rule ids it
disables. Packs are layered: a later pack's rule replaces an earlier rule with the same id.
See `pack.schema.json` for the shape (editors use it) and `packs/default.yaml` for an example.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from guardrails.errors import PackError
from guardrails.result import CATEGORIES

PACKS_DIR = Path(__file__).resolve().parent / "packs"
DEFAULT_PACK = PACKS_DIR / "default.yaml"
SEVERITIES = ("warn", "block")
DETECTORS = ("mobile", "landline", "extension", "email", "im_handle", "id_card", "bank_card", "address")
_LIST_FIELDS = ("phrases", "regex", "exceptions")


@dataclass(frozen=True)
class Examples:
    flag: tuple[str, ...] = ()
    passing: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    id: str
    category: str
    severity: str
    message: str
    suggestion: str | None = None
    phrases: tuple[str, ...] = ()
    regex: tuple[str, ...] = ()
    exceptions: tuple[str, ...] = ()
    detector: str | None = None
    examples: Examples = Examples()
    origin: str = ""


@dataclass(frozen=True)
class Allowlist:
    numbers: tuple[str, ...] = ()
    number_patterns: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    email_local_parts: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()

    def merged(self, other: Allowlist) -> Allowlist:
        return Allowlist(
            *(tuple(dict.fromkeys(a + b)) for a, b in zip(_fields(self), _fields(other), strict=True))
        )


def _fields(allow: Allowlist) -> tuple[tuple[str, ...], ...]:
    return (allow.numbers, allow.number_patterns, allow.emails, allow.email_local_parts, allow.addresses)


@dataclass(frozen=True)
class Pack:
    name: str
    path: Path
    rules: tuple[Rule, ...] = ()
    allowlist: Allowlist = field(default_factory=Allowlist)
    disable: tuple[str, ...] = ()


class _Reader:
    """Walks a composed YAML node tree, failing with the node's line on any mistake."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, node: yaml.Node | None, reason: str) -> PackError:
        line = node.start_mark.line + 1 if node is not None else None
        return PackError(self.path, line, reason)

    def mapping(self, node: yaml.Node, allowed: tuple[str, ...], what: str) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{what} 应为映射（key: value）")
        out: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key not in allowed:
                raise self.fail(key_node, f"{what} 中有未知字段 {key!r}；可用字段：{', '.join(allowed)}")
            if key in out:
                raise self.fail(key_node, f"{what} 中字段 {key!r} 重复")
            out[key] = value_node
        return out

    def text(self, node: yaml.Node, what: str) -> str:
        if not isinstance(node, yaml.ScalarNode) or node.tag.endswith(":null") or node.value == "":
            raise self.fail(node, f"{what} 应为非空文本")
        return node.value

    def texts(self, node: yaml.Node, what: str, regex: bool = False) -> tuple[str, ...]:
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, f"{what} 应为列表")
        values = tuple(self.text(item, what) for item in node.value)
        if regex:
            for item, value in zip(node.value, values, strict=True):
                try:
                    re.compile(value)
                except re.error as exc:
                    raise self.fail(item, f"{what} 中的正则表达式 {value!r} 无效：{exc}") from None
        return values

    def choice(self, node: yaml.Node, options: tuple[str, ...], what: str) -> str:
        value = self.text(node, what)
        if value not in options:
            raise self.fail(node, f"{what} 为 {value!r}，应为以下之一：{', '.join(options)}")
        return value


_RULE_KEYS = (
    "id", "category", "severity", "message", "suggestion", "phrases", "regex", "exceptions",
    "detector", "examples", "description",
)  # fmt: skip
_TOP_KEYS = ("pack", "version", "description", "allowlist", "rules", "disable")
_ALLOW_KEYS = ("numbers", "number_patterns", "emails", "email_local_parts", "addresses")


def _read_rule(reader: _Reader, node: yaml.Node) -> Rule:
    fields = reader.mapping(node, _RULE_KEYS, "规则")
    for required in ("id", "category", "severity", "message"):
        if required not in fields:
            raise reader.fail(node, f"规则缺少必填字段 {required!r}")
    rule_id = reader.text(fields["id"], "id")
    lists = {
        name: reader.texts(fields[name], f"{rule_id}.{name}", regex=name != "phrases")
        for name in _LIST_FIELDS
        if name in fields
    }
    detector = reader.choice(fields["detector"], DETECTORS, "detector") if "detector" in fields else None
    if not (lists.get("phrases") or lists.get("regex") or detector):
        raise reader.fail(node, f"规则 {rule_id} 需要 phrases、regex 或 detector 之一")
    suggestion = reader.text(fields["suggestion"], "suggestion") if "suggestion" in fields else None
    if suggestion and "{masked}" in suggestion and not detector:
        raise reader.fail(
            fields["suggestion"], f"规则 {rule_id} 的 suggestion 只有 detector 规则可以使用 {{masked}}"
        )
    return Rule(
        id=rule_id,
        category=reader.choice(fields["category"], CATEGORIES, "category"),
        severity=reader.choice(fields["severity"], SEVERITIES, "severity"),
        message=reader.text(fields["message"], "message"),
        suggestion=suggestion,
        detector=detector,
        examples=_read_examples(reader, fields.get("examples"), rule_id),
        origin=f"{reader.path}:{node.start_mark.line + 1}",
        **lists,
    )


def _read_examples(reader: _Reader, node: yaml.Node | None, rule_id: str) -> Examples:
    if node is None:
        return Examples()
    fields = reader.mapping(node, ("flag", "pass"), f"{rule_id}.examples")
    return Examples(
        flag=reader.texts(fields["flag"], f"{rule_id}.examples.flag") if "flag" in fields else (),
        passing=reader.texts(fields["pass"], f"{rule_id}.examples.pass") if "pass" in fields else (),
    )


def _read_allowlist(reader: _Reader, node: yaml.Node | None) -> Allowlist:
    if node is None:
        return Allowlist()
    fields = reader.mapping(node, _ALLOW_KEYS, "allowlist")
    values = {
        key: reader.texts(value, f"allowlist.{key}", regex=key == "number_patterns")
        for key, value in fields.items()
    }
    return Allowlist(**values)


def _compose(path: Path) -> yaml.Node:
    try:
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PackError(path, None, "文件不存在") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PackError(path, None, f"无法读取（{exc}）") from None
    try:
        node = yaml.compose(source, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or str(exc)
        raise PackError(path, mark.line + 1 if mark else None, f"YAML 语法错误：{reason}") from None
    if node is None:
        raise PackError(path, None, "文件为空")
    return node


def load_pack(path: Path | str) -> Pack:
    """Read and validate one pack file; raise PackError naming file, line and reason."""
    path = Path(path)
    reader = _Reader(path)
    top = reader.mapping(_compose(path), _TOP_KEYS, "规则包")
    if "rules" not in top and "disable" not in top and "allowlist" not in top:
        raise reader.fail(None, "规则包至少需要 rules、disable 或 allowlist 之一")
    rules: list[Rule] = []
    seen: dict[str, yaml.Node] = {}
    rule_nodes = top["rules"].value if "rules" in top else []
    if "rules" in top and not isinstance(top["rules"], yaml.SequenceNode):
        raise reader.fail(top["rules"], "rules 应为列表")
    for node in rule_nodes:
        rule = _read_rule(reader, node)
        if rule.id in seen:
            raise reader.fail(
                node, f"规则 id {rule.id!r} 重复（第 {seen[rule.id].start_mark.line + 1} 行已定义）"
            )
        seen[rule.id] = node
        rules.append(rule)
    return Pack(
        name=reader.text(top["pack"], "pack") if "pack" in top else path.stem,
        path=path,
        rules=tuple(rules),
        allowlist=_read_allowlist(reader, top.get("allowlist")),
        disable=reader.texts(top["disable"], "disable") if "disable" in top else (),
    )
