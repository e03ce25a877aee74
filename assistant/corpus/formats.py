"""Text out of the supported file formats: plain text, Markdown, HTML, .docx and .pdf."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

from assistant.errors import InputError

_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "table",
        "section",
        "article",
        "header",
        "footer",
        "blockquote",
        "pre",
        "dt",
        "dd",
    ]
)
_SKIPPED_TAGS = frozenset(["script", "style", "noscript", "template", "head", "svg"])


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "title":
            self._in_title = True
        if tag in _SKIPPED_TAGS:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in _SKIPPED_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> tuple[str, str]:
    """Visible text of an HTML page (block elements on their own lines) and its <title>."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts), parser.title.strip()


_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*", re.M)
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|`)")
_MD_RULE = re.compile(r"^\s*([-*_]\s*){3,}$", re.M)


def markdown_to_text(markdown: str) -> str:
    """Markdown without its markup: `## 一、总则` → `一、总则`, links → their text."""
    text = _MD_LINK.sub(r"\1", markdown)
    text = _MD_RULE.sub("", _MD_HEADING.sub("", text))
    return _MD_EMPHASIS.sub("", text)


def docx_to_text(data: bytes, name: str) -> str:
    """Paragraphs and table cells of a Word document, one per line."""
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several unrelated types for a bad package
        raise InputError(f"无法读取 Word 文件 {name}：文件已损坏或不是 .docx 格式") from exc
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def pdf_to_text(data: bytes, name: str) -> str:
    """Text layer of a PDF; a scanned PDF (no text) or a broken one is an InputError."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise InputError(f"PDF 文件 {name} 已加密，无法读取")
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"无法读取 PDF 文件 {name}：文件已损坏") from exc
    if not text.strip():
        raise InputError(f"PDF 文件 {name} 中没有可提取的文字（可能是扫描件），请先转换为文字版")
    return text
