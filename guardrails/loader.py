"""Rule packs: YAML files validated on load, every mistake reported with its file and line.

A pack has a name, an optional public allowlist, optional lexicons, a list of rules and a list of
rule ids it disables. Packs are layered: a later pack's rule replaces an earlier rule with the same id.

`lexicons` are named word lists (each entry a word or a small regex alternative, e.g. `某(宝|东)`)
that the same pack's `regex` and `exceptions` reference as `{name}`: the reference becomes
`(?:entry|entry|…)` on load, so one list of competitor names serves several rules.
See `pack.schema.json` for the shape (editors use it) and `packs/default.yaml` for an example.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from guardrails import normalize
from guardrails.cache import cache_dir, store, touch
from guardrails.cache import key as cache_key
from guardrails.errors import PackError
from guardrails.normalize import fold_pattern
from guardrails.result import CATEGORIES

PACKS_DIR = Path(__file__).resolve().parent / "packs"
DEFAULT_PACK = PACKS_DIR / "default.yaml"
SEVERITIES = ("warn", "block")
DETECTORS = (
    "mobile", "landline", "labelled_phone", "extension", "email", "im_handle", "id_card", "bank_card", "address",
)  # fmt: skip
# A global inline flag group, e.g. `(?i)`: the engine prefixes regexes (see anchors.with_first_chars),
# where a global flag is an error; and the text it runs on is already folded (lower case, half-width).
_GLOBAL_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")
_LIST_FIELDS = ("phrases", "regex", "exceptions")
_LEXICON_NAME = re.compile(r"[a-z_][a-z0-9_]*")
_LEXICON_REF = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


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

    def __init__(self, path: Path, checked: bool = False):
        self.path = path
        self.lexicons: dict[str, str] = {}
        self.checked = checked  # this very file compiled before: its regexes need no compiling now

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
            values = tuple(
                self.expand(item, value, what) for item, value in zip(node.value, values, strict=True)
            )
        if regex and not self.checked:  # a pack file checked before compiles nothing here
            for item, value in zip(node.value, values, strict=True):
                try:
                    fold_pattern(value)  # what the engine compiles (cached for it)
                except re.error as folded:
                    try:  # the error as the author wrote the regex (folding escapes characters)
                        re.compile(value)
                    except re.error as exc:
                        raise self.fail(item, f"{what} 中的正则表达式 {value!r} 无效：{exc}") from None
                    message = f"{what} 中的正则表达式 {value!r} 把全角标点换成半角后无效：{folded}"
                    raise self.fail(item, message) from None
                if _GLOBAL_FLAGS.match(value):
                    raise self.fail(
                        item,
                        f"{what} 中的正则表达式 {value!r} 不要用 (?i) 这类全局标志：文本已统一为小写、半角",
                    )
        return values

    def expand(self, node: yaml.Node, value: str, what: str) -> str:
        """`value` with every `{lexicon}` reference replaced by its alternation."""

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in self.lexicons:
                known = "、".join(self.lexicons) or "（本规则包未定义词表）"
                raise self.fail(node, f"{what} 引用了未定义的词表 {{{name}}}；已定义：{known}")
            return self.lexicons[name]

        return _LEXICON_REF.sub(replace, value)

    def choice(self, node: yaml.Node, options: tuple[str, ...], what: str) -> str:
        value = self.text(node, what)
        if value not in options:
            raise self.fail(node, f"{what} 为 {value!r}，应为以下之一：{', '.join(options)}")
        return value


_RULE_KEYS = (
    "id", "category", "severity", "message", "suggestion", "phrases", "regex", "exceptions",
    "detector", "examples", "description",
)  # fmt: skip
_TOP_KEYS = ("pack", "version", "description", "allowlist", "lexicons", "rules", "disable")
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


def _read_lexicons(reader: _Reader, node: yaml.Node | None) -> dict[str, str]:
    """Each lexicon as one non-capturing alternation of its entries (each entry a valid regex)."""
    if node is None:
        return {}
    if not isinstance(node, yaml.MappingNode):
        raise reader.fail(node, "lexicons 应为映射（词表名: [词, 词, …]）")
    out: dict[str, str] = {}
    reader.lexicons = out  # a lexicon may reference the ones defined above it
    for key_node, value_node in node.value:
        name = key_node.value if isinstance(key_node, yaml.ScalarNode) else ""
        if not _LEXICON_NAME.fullmatch(name):
            raise reader.fail(key_node, f"词表名 {name!r} 无效：只能用小写字母、数字和下划线，且不以数字开头")
        if name in out:
            raise reader.fail(key_node, f"词表 {name!r} 重复")
        entries = reader.texts(value_node, f"lexicons.{name}", regex=True)
        if not entries:
            raise reader.fail(value_node, f"词表 {name!r} 为空")
        out[name] = "(?:" + "|".join(entries) + ")"
    return out


# libyaml's composer where PyYAML was built with it (7x faster on the default pack); same marks.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PackError(path, None, "文件不存在") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PackError(path, None, f"无法读取（{exc}）") from None


def _compose(path: Path, source: str) -> yaml.Node:
    try:
        node = yaml.compose(source, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or str(exc)
        raise PackError(path, mark.line + 1 if mark else None, f"YAML 语法错误：{reason}") from None
    if node is None:
        raise PackError(path, None, "文件为空")
    return node


def _checked_mark(source: str) -> Path:
    """Where the cache marks that a pack file with exactly this `source` passed every check,
    its regexes compiled by this code and this Python (they take most of the time a load takes)."""
    code = (sys.modules[__name__], normalize)
    return cache_dir() / f"{cache_key(code, [sys.version, source])}.checked"


def load_pack(path: Path | str) -> Pack:
    """Read and validate one pack file; raise PackError naming file, line and reason. A file
    that passed before (the cache's mark, see `_checked_mark`) is read without compiling its
    regexes again: the engine compiles those it runs, when it first runs them."""
    path = Path(path)
    source = _read(path)
    mark = _checked_mark(source)
    reader = _Reader(path, checked=mark.exists())
    top = reader.mapping(_compose(path, source), _TOP_KEYS, "规则包")
    if "rules" not in top and "disable" not in top and "allowlist" not in top:
        raise reader.fail(None, "规则包至少需要 rules、disable 或 allowlist 之一")
    reader.lexicons = _read_lexicons(reader, top.get("lexicons"))
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
    pack = Pack(
        name=reader.text(top["pack"], "pack") if "pack" in top else path.stem,
        path=path,
        rules=tuple(rules),
        allowlist=_read_allowlist(reader, top.get("allowlist")),
        disable=reader.texts(top["disable"], "disable") if "disable" in top else (),
    )
    if reader.checked:
        touch(mark)
    else:
        store(mark, b"")
    return pack
