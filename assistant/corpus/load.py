"""Finding and reading policy files: formats, encoding detection, clear errors for bad files."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from assistant.corpus.clean import clean_text
from assistant.corpus.encoding import decode_text
from assistant.corpus.formats import docx_to_text, html_to_text, markdown_to_text, pdf_to_text
from assistant.corpus.split import derive_title
from assistant.errors import InputError
from assistant.models import Document
from assistant.settings import BUNDLED_MANUAL_DIR

SUPPORTED_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm", ".docx", ".pdf"})
MAX_FILE_BYTES = 20 * 1024 * 1024


def bundled_manual_paths() -> list[Path]:
    """The service manual shipped with the product (assistant/manual/), sorted."""
    return sorted(p for p in BUNDLED_MANUAL_DIR.iterdir() if p.suffix.lower() in SUPPORTED_SUFFIXES)


def discover(paths: Sequence[Path]) -> list[Path]:
    """Files to ingest: folders are searched (unknown file types skipped); files are checked."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(
                sorted(p for p in path.rglob("*") if p.suffix.lower() in SUPPORTED_SUFFIXES and p.is_file())
            )
        elif not path.exists():
            raise InputError(f"找不到文件：{path}")
        elif path.suffix.lower() not in SUPPORTED_SUFFIXES:
            supported = "、".join(sorted(SUPPORTED_SUFFIXES))
            raise InputError(f"不支持的文件类型：{path}（支持 {supported}）")
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def load_document(path: Path) -> Document:
    """Read, decode, extract and clean one file. Any unusable file raises InputError naming it."""
    path = Path(path)
    data = _read_bytes(path)
    raw, html_title = _extract_text(path, data)
    text = clean_text(raw)
    if not text.strip():
        raise InputError(f"文件 {path} 中没有可用的文字内容")
    title = derive_title(text, fallback=html_title or path.stem)
    return Document(
        path=_source_name(path), title=title, text=text, content_hash=hashlib.sha256(data).hexdigest()
    )


def _source_name(path: Path) -> str:
    resolved = path.resolve()
    return resolved.name if resolved.parent == BUNDLED_MANUAL_DIR.resolve() else str(resolved)


def _read_bytes(path: Path) -> bytes:
    if path.is_dir():
        raise InputError(f"无法读取文件 {path}：这是一个文件夹，不是文件")
    if not path.exists():
        raise InputError(f"找不到文件：{path}")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(
                f"文件 {path} 太大（{size / 1024 / 1024:.1f} MB），上限为 {MAX_FILE_BYTES // 1024 // 1024} MB"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"无法读取文件 {path}：{exc.strerror or exc}") from exc
    if not data.strip():
        raise InputError(f"文件 {path} 是空的")
    return data


def _extract_text(path: Path, data: bytes) -> tuple[str, str]:
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return docx_to_text(data, str(path)), ""
    if suffix == ".pdf":
        return pdf_to_text(data, str(path)), ""
    text = decode_text(data, str(path))
    if suffix in {".html", ".htm"}:
        return html_to_text(text)
    if suffix in {".md", ".markdown"}:
        return markdown_to_text(text), ""
    return text, ""
