"""Load, list and release prompt templates kept as YAML files.

Layout of a store directory:
    templates/<name>.v<version>.yaml   one immutable file per released version
    labels.yaml                        {<name>: {<label>: <version>}}, e.g. production: 2

A reference is `name@version` (`draft_reply@2`) or `name@label` (`draft_reply@production`);
a bare `name` means `name@production`.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from pydantic import ValidationError

from assistant.errors import AssistantError
from assistant.fileio import atomic_write_text
from prompts.template import PromptTemplate, placeholder_problems

DEFAULT_ROOT = Path(__file__).resolve().parent
DEFAULT_LABEL = "production"
_FILE_PATTERN = re.compile(r"^(?P<name>[a-z][a-z0-9_]*)\.v(?P<version>[1-9][0-9]*)\.yaml$")
_LABEL_PATTERN = re.compile(r"^[a-z][a-z0-9_-]*$")


class PromptError(AssistantError):
    """A prompt template or label that cannot be used; the message names file, line and reason."""


class PromptStore:
    """The prompt templates under one directory (the packaged one by default)."""

    def __init__(self, root: Path | str | None = None):
        self.root = Path(root) if root is not None else DEFAULT_ROOT
        self.templates_dir = self.root / "templates"
        self.labels_file = self.root / "labels.yaml"

    # -- reading ---------------------------------------------------------------------------
    def list_prompts(self) -> list[str]:
        return sorted({name for name, _ in self._files()})

    def versions(self, name: str) -> list[int]:
        return sorted(version for n, version in self._files() if n == name)

    def labels(self, name: str) -> dict[str, int]:
        return dict(self._read_labels().get(name, {}))

    def path_for(self, name: str, version: int) -> Path:
        return self.templates_dir / f"{name}.v{version}.yaml"

    def resolve(self, ref: str) -> tuple[str, int]:
        """`name@version` or `name@label` (or bare `name`) to (name, version)."""
        name, _, selector = ref.strip().partition("@")
        selector = selector or DEFAULT_LABEL
        if not name:
            raise PromptError(f"提示词引用无效：{ref!r}（应为 名称@版本 或 名称@标签）")
        if selector.isdigit():
            version = int(selector)
        else:
            labels = self.labels(name)
            if selector not in labels:
                known = "、".join(sorted(labels)) or "无"
                raise PromptError(f"提示词 {name} 没有标签 {selector}（已有标签：{known}）")
            version = labels[selector]
        if version not in self.versions(name):
            known = ", ".join(map(str, self.versions(name))) or "无"
            raise PromptError(f"提示词 {name} 没有版本 {version}（已有版本：{known}）")
        return name, version

    def load(self, ref: str) -> PromptTemplate:
        name, version = self.resolve(ref)
        return load_template_file(self.path_for(name, version), expect=(name, version))

    # -- writing ---------------------------------------------------------------------------
    def save_new_version(self, name: str, template: PromptTemplate | dict) -> int:
        """Write `template` as the next version of `name`; never overwrites a released file."""
        data = template.model_dump(mode="json") if isinstance(template, PromptTemplate) else dict(template)
        self.templates_dir.mkdir(parents=True, exist_ok=True)
        for _ in range(20):  # another writer may take the same number: try the next one
            version = max(self.versions(name), default=0) + 1
            data.update(name=name, version=version)
            checked = _validate(data, source=f"{name}.v{version}")
            path = self.path_for(name, version)
            try:
                with path.open("x", encoding="utf-8") as out:
                    out.write(dump_template(checked))
            except FileExistsError:
                continue
            return version
        raise PromptError(f"无法为提示词 {name} 分配新版本号：{self.templates_dir}")

    def set_label(self, name: str, label: str, version: int) -> None:
        """Point `label` of `name` at `version` (an atomic rewrite of labels.yaml)."""
        if not _LABEL_PATTERN.fullmatch(label) or label.isdigit():
            raise PromptError(f"标签名无效：{label!r}（小写字母开头，可含数字、-、_）")
        if version not in self.versions(name):
            raise PromptError(f"提示词 {name} 没有版本 {version}，不能设置标签 {label}")
        labels = self._read_labels()
        labels.setdefault(name, {})[label] = int(version)
        text = yaml.safe_dump(labels, allow_unicode=True, sort_keys=True)
        atomic_write_text(self.labels_file, "# Which released version each label points at.\n" + text)

    # -- helpers ---------------------------------------------------------------------------
    def _files(self) -> list[tuple[str, int]]:
        if not self.templates_dir.is_dir():
            return []
        found = []
        for path in self.templates_dir.iterdir():
            match = _FILE_PATTERN.match(path.name)
            if match:
                found.append((match["name"], int(match["version"])))
        return found

    def _read_labels(self) -> dict[str, dict[str, int]]:
        if not self.labels_file.exists():
            return {}
        try:
            data = yaml.safe_load(self.labels_file.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise PromptError(f"{self.labels_file}: {_yaml_problem(exc)}") from None
        if not isinstance(data, dict) or not all(
            isinstance(v, dict) and all(isinstance(n, int) for n in v.values()) for v in data.values()
        ):
            raise PromptError(f"{self.labels_file}: 格式应为 名称: {{标签: 版本号}}")
        return data


def load_template_file(path: Path, expect: tuple[str, int] | None = None) -> PromptTemplate:
    """Read and validate one template file; errors name the file, the line and the reason."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PromptError(f"{path}: 无法读取：{exc.strerror}") from None
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise PromptError(f"{path}: {_yaml_problem(exc)}") from None
    if not isinstance(data, dict):
        raise PromptError(f"{path}:1: 模板应为一个 YAML 映射（键: 值）")
    template = _validate(data, source=str(path), node=node)
    if expect and (template.name, template.version) != expect:
        raise PromptError(
            f"{path}:1: 文件名表示 {expect[0]}@{expect[1]}，内容却是 {template.name}@{template.version}"
        )
    return template


def _validate(data: dict, source: str, node: yaml.Node | None = None) -> PromptTemplate:
    try:
        template = PromptTemplate.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        line = line_of(node, first["loc"])
        where = ".".join(str(p) for p in first["loc"]) or "(顶层)"
        reason = "未知字段" if first["type"] == "extra_forbidden" else first["msg"]
        raise PromptError(f"{source}:{line}: {where}: {reason}") from None
    problems = placeholder_problems(template)
    if problems:
        problem = problems[0]
        line = line_of(node, (problem.field,), inside=problem.line_in_field)
        raise PromptError(f"{source}:{line}: {problem.field}: {problem.reason}")
    return template


def line_of(node: yaml.Node | None, loc: tuple, inside: int = 0) -> int:
    """1-based line of the YAML node at `loc` (a pydantic error location); best effort."""
    if node is None:
        return 1
    current, line = node, node.start_mark.line
    for part in loc:
        child = _child(current, part)
        if child is None:
            break
        key_node, current = child
        line = (key_node or current).start_mark.line
    if inside and isinstance(current, yaml.ScalarNode) and current.style in ("|", ">"):
        line = current.start_mark.line + 1 + inside
    return line + 1


def _child(node: yaml.Node, part: object) -> tuple[yaml.Node | None, yaml.Node] | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == str(part):
                return key, value
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return None, node.value[part]
    return None


def _yaml_problem(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    return f"第 {mark.line + 1} 行：YAML 语法错误：{problem}" if mark else f"YAML 语法错误：{problem}"


def dump_template(template: PromptTemplate) -> str:
    data = template.model_dump(mode="json", exclude_defaults=False)
    return yaml.dump(data, Dumper=_BlockDumper, allow_unicode=True, sort_keys=False, width=1000)


class _BlockDumper(yaml.SafeDumper):
    """Multi-line strings as `|` blocks, so saved templates stay readable."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _represent_str)


def open_store(root: Path | str | None = None) -> PromptStore:
    """The prompt store at `root` (`Settings.prompts_dir`); None: the bundled `prompts/` folder.

    A new folder starts as a copy of the bundled released versions and their labels, and is the
    team's own store from then on: the lab saves versions and moves labels there, never in the
    repository. Versions bundled later are not copied in, so one version number never means two
    different templates.
    """
    if root is None:
        return PromptStore(DEFAULT_ROOT)
    store = PromptStore(Path(root).expanduser())
    if not store.labels_file.exists() and not store.list_prompts():
        _seed(PromptStore(DEFAULT_ROOT), store)
    return store


def _seed(source: PromptStore, target: PromptStore) -> None:
    """Copy every released template, the schema, then the labels (last: a store with labels is whole)."""
    target.templates_dir.mkdir(parents=True, exist_ok=True)
    for name in source.list_prompts():
        for version in source.versions(name):
            destination = target.path_for(name, version)
            if not destination.exists():
                atomic_write_text(destination, source.path_for(name, version).read_text(encoding="utf-8"))
    schema = source.root / "prompt.schema.json"  # the templates' `$schema` comment points here
    if schema.exists() and not (target.root / schema.name).exists():
        atomic_write_text(target.root / schema.name, schema.read_text(encoding="utf-8"))
    if source.labels_file.exists() and not target.labels_file.exists():
        atomic_write_text(target.labels_file, source.labels_file.read_text(encoding="utf-8"))
