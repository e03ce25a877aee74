"""The prompt lab tab (role `lead`): versions and labels, edit into a new version, compare two
versions on chosen scenarios side by side, move the `production` label.

The tab is hidden from agents, and every handler checks the role again on the server.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import gradio as gr
import yaml

from assistant.errors import AssistantError
from assistant.ui.i18n import t
from assistant.ui.services import DeskServices

PRODUCTION = "production"


@dataclass
class LabWidgets:
    prompt: gr.Dropdown
    refresh: gr.Button
    versions: gr.Dataframe
    base: gr.Dropdown
    template: gr.Code
    save: gr.Button
    version_a: gr.Dropdown
    version_b: gr.Dropdown
    scenarios: gr.Dropdown
    run: gr.Button
    notice: gr.HTML
    results: gr.HTML
    label_version: gr.Dropdown
    set_label: gr.Button
    status: gr.Textbox


def build_lab(services: DeskServices) -> LabWidgets:
    parts = {**_versions_section(services), **_edit_section(), **_compare_section()}
    w = LabWidgets(**parts)
    _wire(w, services)
    return w


def _versions_section(services: DeskServices) -> dict[str, Any]:
    """The prompt, its versions and labels, and the `production` label (with the lab's status)."""
    with gr.Row():
        prompt = gr.Dropdown(
            label=t("lab_prompt"),
            choices=_names(services),
            allow_custom_value=True,
            elem_id="lab-prompt",
            scale=3,
        )
        refresh = gr.Button(t("lab_refresh"), elem_id="lab-refresh", scale=1)
    versions = gr.Dataframe(
        headers=["版本", "标签", "说明"], label=t("lab_versions"), interactive=False, elem_id="lab-versions"
    )
    with gr.Row(equal_height=True):
        label_version = gr.Dropdown(
            label=t("lab_label_version"),
            choices=[],
            allow_custom_value=True,
            elem_id="lab-label-version",
            scale=1,
        )
        set_label = gr.Button(t("lab_set_label"), elem_id="lab-set-label", scale=1)
        status = gr.Textbox(label=t("lab_status"), interactive=False, elem_id="lab-status", scale=2)
    return {
        "prompt": prompt,
        "refresh": refresh,
        "versions": versions,
        "label_version": label_version,
        "set_label": set_label,
        "status": status,
    }


def _edit_section() -> dict[str, Any]:
    with gr.Accordion(t("lab_edit"), open=True):
        base = gr.Dropdown(
            label=t("lab_base_version"), choices=[], allow_custom_value=True, elem_id="lab-base"
        )
        template = gr.Code(
            label=t("lab_template"), language="yaml", lines=12, max_lines=22, elem_id="lab-template"
        )
        save = gr.Button(t("lab_save"), elem_id="lab-save")
    return {"base": base, "template": template, "save": save}


def _compare_section() -> dict[str, Any]:
    with gr.Row():
        version_a = gr.Dropdown(
            label=t("lab_version_a"), choices=[], allow_custom_value=True, elem_id="lab-version-a"
        )
        version_b = gr.Dropdown(
            label=t("lab_version_b"), choices=[], allow_custom_value=True, elem_id="lab-version-b"
        )
    scenarios = gr.Dropdown(
        label=t("lab_scenarios"),
        choices=[],
        multiselect=True,
        allow_custom_value=True,
        elem_id="lab-scenarios",
    )
    return {
        "version_a": version_a,
        "version_b": version_b,
        "scenarios": scenarios,
        "run": gr.Button(t("lab_run"), variant="primary", elem_id="lab-run"),
        "notice": gr.HTML(elem_id="lab-notice"),
        "results": gr.HTML(elem_id="lab-results"),
    }


@contextmanager
def _as_lead(services: DeskServices, request: Any) -> Iterator[None]:
    """Every lab handler runs inside this: the role is checked on the server, errors shown."""
    services.require_lead(request)
    try:
        yield
    except AssistantError as exc:
        raise gr.Error(str(exc)) from exc


def _wire(w: LabWidgets, services: DeskServices) -> None:
    listing = [
        w.prompt,
        w.versions,
        w.base,
        w.version_a,
        w.version_b,
        w.label_version,
        w.scenarios,
        w.template,
    ]

    def refresh(name, request: gr.Request):
        with _as_lead(services, request):
            return _refresh(services, name)

    def template_text(name, version, request: gr.Request):
        with _as_lead(services, request):
            return _template_text(services, name, version)

    def save(name, text, request: gr.Request):
        with _as_lead(services, request):
            return _save(services, name, text)

    def compare(name, version_a, version_b, scenario_ids, request: gr.Request):
        with _as_lead(services, request):
            return _compare(services, name, version_a, version_b, scenario_ids)

    def move_label(name, version, request: gr.Request):
        with _as_lead(services, request):
            return _move_label(services, name, version)

    w.refresh.click(refresh, [w.prompt], listing, api_name="lab_refresh")
    w.prompt.input(refresh, [w.prompt], listing, api_name=False)
    w.base.input(template_text, [w.prompt, w.base], [w.template], api_name=False)
    w.save.click(save, [w.prompt, w.template], [w.status, *listing], api_name="lab_save")
    inputs = [w.prompt, w.version_a, w.version_b, w.scenarios]
    w.run.click(compare, inputs, [w.notice, w.results], api_name="lab_run")
    w.set_label.click(move_label, [w.prompt, w.label_version], [w.status, *listing], api_name="lab_set_label")


def _names(services: DeskServices) -> list[str]:
    try:
        return services.prompt_store.list_prompts()
    except AssistantError:
        return []


def _refresh(services: DeskServices, name: str | None) -> list[Any]:
    store = services.prompt_store
    names = store.list_prompts()
    name = name if name in names else (names[0] if names else None)
    versions = store.versions(name) if name else []
    labels = store.labels(name) if name else {}
    rows = [
        [v, "、".join(sorted(k for k, n in labels.items() if n == v)), _description(store, name, v)]
        for v in versions
    ]
    current = labels.get(PRODUCTION, versions[-1] if versions else None)
    latest = versions[-1] if versions else None
    return [
        gr.Dropdown(choices=names, value=name),
        rows,
        gr.Dropdown(choices=versions, value=latest),
        gr.Dropdown(choices=versions, value=current),  # A: what runs now
        gr.Dropdown(choices=versions, value=latest),  # B: the newest candidate
        gr.Dropdown(choices=versions, value=current),
        gr.Dropdown(choices=_scenario_choices()),
        _template_text(services, name, latest),
    ]


def _description(store: Any, name: str, version: int) -> str:
    try:
        return store.load(f"{name}@{version}").description
    except AssistantError as exc:
        return f"（无法读取：{exc}）"


def _template_text(services: DeskServices, name: str | None, version: int | None) -> str:
    if not name or not version:
        return ""
    from prompts.store import dump_template

    return dump_template(services.prompt_store.load(f"{name}@{version}"))


def _save(services: DeskServices, name: str | None, text: str) -> list[Any]:
    if not name:
        raise gr.Error("请先选择提示词。")
    try:
        data = yaml.safe_load(text or "")
    except yaml.YAMLError as exc:
        raise gr.Error(f"模板不是有效的 YAML：{exc}") from exc
    if not isinstance(data, dict):
        raise gr.Error("模板应是一个 YAML 映射（name、description、system、user 等字段）。")
    version = services.prompt_store.save_new_version(name, data)
    return [f"已保存为 {name}@{version}（新文件，未改动已有版本）。", *_refresh(services, name)]


def _move_label(services: DeskServices, name: str | None, version: int | None) -> list[Any]:
    if not name or not version:
        raise gr.Error("请选择提示词和版本。")
    services.prompt_store.set_label(name, PRODUCTION, int(version))
    return [f"production 标签已指向 {name}@{version}。", *_refresh(services, name)]


def _scenario_choices() -> list[tuple[str, str]]:
    from assistant.ui import lab_eval

    return lab_eval.scenario_choices()


def _compare(services: DeskServices, name, version_a, version_b, scenario_ids) -> list[str]:
    from assistant.ui import lab_eval, render

    if not name or not version_a or not version_b:
        raise gr.Error("请选择提示词和两个版本。")
    if not scenario_ids:
        raise gr.Error("请至少选择一个场景。")
    refs = [f"{name}@{version_a}", f"{name}@{version_b}"]
    retriever = getattr(services.drafting, "retriever", None)
    comparison = lab_eval.run_versions(services.settings, refs, list(scenario_ids), retriever=retriever)
    return [render.banner_html(comparison.notice), lab_eval.comparison_html(comparison)]
