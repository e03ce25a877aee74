"""The Gradio app: desk and lab tabs, login, and the launch that `assistant serve` runs."""

from __future__ import annotations

import ipaddress
from typing import Any

import gradio as gr
from starlette.middleware import Middleware

from assistant.errors import InputError
from assistant.settings import Settings
from assistant.ui import render
from assistant.ui.desk import build_desk
from assistant.ui.i18n import I18N, ChineseByDefault, t
from assistant.ui.lab import build_lab
from assistant.ui.services import LOCAL_MODE_BANNER, DeskServices, users_configured

CONCURRENCY = 20

CSS = """
.banner { padding: 8px 12px; border-radius: 6px; margin: 4px 0; }
.banner-notice { background: #fef3c7; color: #92400e; border: 1px solid #f59e0b; }
.banner-local { background: #e0f2fe; color: #075985; border: 1px solid #38bdf8; }
.muted { color: #64748b; }
.source-text { white-space: pre-wrap; font-size: 0.9em; padding: 4px 8px; }
.draft-meta { font-size: 0.85em; margin: 2px 0 6px; }
.draft-meta code { font-size: 0.95em; }
.hints { margin: 4px 0; padding-left: 1.2em; }
#hints { padding-top: 2.2em !important; }
.lab-table { width: 100%; border-collapse: collapse; table-layout: fixed; }
.lab-table th, .lab-table td { border: 1px solid #e2e8f0; padding: 8px; vertical-align: top; text-align: left; }
.lab-table th:first-child, .lab-table td:first-child { width: 22%; }
.lab-verdict .ok { color: #15803d; font-weight: 600; }
.lab-verdict .bad { color: #b91c1c; font-weight: 600; }
.lab-message { margin-top: 6px; font-size: 0.9em; }
.lab-reply { background: #f8fafc; border-radius: 4px; padding: 6px; margin: 6px 0; white-space: pre-wrap; }
.lab-reply mark { background: #fecaca; padding: 0 1px; }
.lab-findings ul, .lab-assertions ul { margin: 4px 0; padding-left: 1.2em; font-size: 0.9em; }
"""

# Ctrl+Enter (Cmd+Enter) in the customer message drafts a reply.
JS = """
() => {
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && e.target.closest('#customer-message')) {
      e.preventDefault();
      document.querySelector('#generate-btn')?.click();
    }
  });
}
"""


def is_loopback(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_bind(host: str, users_configured: bool) -> None:
    """Refuse to expose an app without accounts beyond this machine."""
    if not is_loopback(host) and not users_configured:
        raise InputError(
            f"拒绝在 {host} 上启动：尚未配置任何账号，审核台只能绑定本机地址（127.0.0.1）。"
            "请先用 `assistant users add` 添加账号，或去掉 --host。"
        )


def build_app(services: DeskServices) -> gr.Blocks:
    # No telemetry: agents type customers' messages here, and the machine may have no network.
    with gr.Blocks(title="客服回复助手", analytics_enabled=False) as demo:
        if services.local_mode:
            gr.HTML(render.banner_html(LOCAL_MODE_BANNER, "local"), elem_id="mode-banner")
        with gr.Tabs():
            with gr.Tab(t("tab_desk"), id="desk"):
                build_desk(services)
            with gr.Tab(t("tab_lab"), id="lab", visible=False, elem_id="lab-tab") as lab_tab:
                build_lab(services)

        def on_load(request: gr.Request):
            user = services.acting_user(request)
            return gr.Tab(visible=services.is_lead(user))

        demo.load(on_load, None, [lab_tab], api_name=False)
    return demo


def launch(settings: Settings, host: str, port: int, *, prevent_thread_lock: bool = False) -> Any:
    """Build the services and the app, then serve it (blocks unless `prevent_thread_lock`)."""
    check_bind(host, users_configured(settings))
    services = DeskServices.create(settings)
    _ = services.drafting.retriever  # load the index now: a missing one fails here, with its message
    demo = build_app(services).queue(default_concurrency_limit=CONCURRENCY)
    auth = None if services.local_mode else services.authenticate
    return demo.launch(
        server_name=host,
        server_port=port,
        auth=auth,
        auth_message="请用审核台账号登录。",
        prevent_thread_lock=prevent_thread_lock,
        i18n=I18N,
        css=CSS,
        js=JS,
        app_kwargs={"middleware": [Middleware(ChineseByDefault)]},
        footer_links=["settings"],
        quiet=True,
        show_error=True,
    )
