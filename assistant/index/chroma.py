"""The Chroma client: embedded `PersistentClient` by default, `HttpClient` when a server URL is set."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlparse

from assistant.errors import InputError, ServiceUnavailableError
from assistant.settings import Settings

if TYPE_CHECKING:
    from chromadb.api import ClientAPI


def chroma_target(settings: Settings) -> str:
    """Where the dense index lives, as recorded in the manifest."""
    return settings.chroma_url.rstrip("/") if settings.chroma_url else "embedded"


def make_client(settings: Settings) -> ClientAPI:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if not settings.chroma_url:
        path = settings.index_dir / "chroma"
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
    url = urlparse(settings.chroma_url)
    if url.scheme not in ("http", "https") or not url.hostname:
        raise InputError(f"ASSISTANT_CHROMA_URL 不是有效的地址：{settings.chroma_url}")
    port = url.port or (443 if url.scheme == "https" else 8000)
    try:
        return chromadb.HttpClient(
            host=url.hostname, port=port, ssl=url.scheme == "https", settings=chroma_settings
        )
    except Exception as exc:  # chromadb raises plain ValueError/ConnectError when unreachable
        raise ServiceUnavailableError(f"无法连接 Chroma 服务器 {settings.chroma_url}：{exc}") from exc
