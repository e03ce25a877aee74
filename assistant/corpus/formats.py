"""Text out of the supported file formats: plain text, Markdown, HTML, .docx and .pdf.

A format's own headings come out as `#` lines (`headings.heading_line`), so one splitter rule
handles Markdown, HTML `<h1>`–`<h6>` and Word heading styles; ordinary lines that would read as a
heading are escaped (`\\# 注意`). Plain .txt is passed through: its Markdown headings count too.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

from assistant.corpus.headings import escape_heading_lines, hash_heading, heading_line
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


_HEADING_TAGS = {f"h{level}": level for level in range(1, 7)}


class _TextExtractor(HTMLParser):
    """Visible text, block elements on their own lines, `<hN>` as `#`-heading lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.segments: list[str] = []  # finished text: escaped body runs and heading lines
        self.parts: list[str] = []  # body text since the last heading
        self.title = ""
        self._skip = 0
        self._in_title = False
        self._heading_level = 0
        self._heading: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "title":
            self._in_title = True
        if tag in _SKIPPED_TAGS:
            self._skip += 1
        elif tag in _HEADING_TAGS and not self._skip and not self._heading_level:
            self._heading_level = _HEADING_TAGS[tag]
            self._heading = []
        elif tag in _BLOCK_TAGS:
            (self._heading if self._heading_level else self.parts).append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in _SKIPPED_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _HEADING_TAGS and self._heading_level:
            self.end_body()
            self.segments.append(f"\n{heading_line(self._heading_level, ''.join(self._heading))}\n")
            self._heading_level = 0
        elif tag in _BLOCK_TAGS:
            (self._heading if self._heading_level else self.parts).append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif not self._skip:
            (self._heading if self._heading_level else self.parts).append(data)

    def text(self) -> str:
        """Everything read, once the page is fed; an unclosed heading's words count as text."""
        if self._heading_level:
            self.parts.extend(self._heading)
            self._heading_level = 0
        self.end_body()
        return "".join(self.segments)

    def end_body(self) -> None:
        """Close the body run before a heading (or at the end): its lines are ordinary text."""
        self.segments.append(escape_heading_lines("".join(self.parts)))
        self.parts = []


def html_to_text(html: str) -> tuple[str, str]:
    """Visible text of an HTML page (block elements on their own lines, `<h2>` → `## …`), and its <title>."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    return parser.text(), parser.title.strip()


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|`)")
_MD_RULE = re.compile(r" {0,3}([-*_][ \t]*){3,}")
_MD_FENCE = re.compile(r" {0,3}(```|~~~)")
_MD_SETEXT = re.compile(r" {0,3}(=+|-+)[ \t]*")
_MD_BLOCK_START = re.compile(r" {0,3}([-*+>]|\d+[.)]|#)")


def markdown_to_text(markdown: str) -> str:
    """Markdown without its markup, headings kept as `#` lines: `## **一、总则**` → `## 一、总则`.

    Setext headings (`标题` over `===`/`---`) become `#`/`##` lines; a `#` line inside a code block
    is ordinary text (escaped), fence lines and rules are dropped, links keep their text.
    """
    lines: list[str] = []
    in_fence = False
    for line in _MD_LINK.sub(r"\1", markdown).split("\n"):
        if _MD_FENCE.match(line):
            in_fence = not in_fence
        elif in_fence:
            lines.append(escape_heading_lines(line))
        elif _setext_underline(line, lines):
            lines[-1] = heading_line(1 if line.strip()[0] == "=" else 2, lines[-1])
        elif not _MD_RULE.fullmatch(line):
            lines.append(_markdown_line(line))
    return _MD_EMPHASIS.sub("", "\n".join(lines))


def _markdown_line(line: str) -> str:
    marker = hash_heading(line.strip()) if len(line) - len(line.lstrip(" ")) <= 3 else None
    if marker:
        title = line.strip()[marker.start : marker.end]
        return heading_line(int(marker.kind.split(":")[1]), title)
    return escape_heading_lines(line)


def _setext_underline(line: str, lines: list[str]) -> bool:
    """`===` or `---` right under a line of paragraph text (not a list item, quote or heading)."""
    if not _MD_SETEXT.fullmatch(line) or not lines or not lines[-1].strip():
        return False
    previous = lines[-1]
    return not _MD_BLOCK_START.match(previous) and not previous.startswith((" " * 4, "\\"))


_DOCX_HEADING_STYLE = re.compile(r"(?:heading|标题)\s*(\d)", re.I)
_DOCX_TITLE_STYLES = frozenset({"title", "标题"})


def docx_to_text(data: bytes, name: str) -> str:
    """Paragraphs and table rows of a Word document in order, one per line; heading styles
    ("Heading 2" / "标题 2", or an outline level) as `#` lines, a "Title" paragraph above them."""
    import docx
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several unrelated types for a bad package
        raise InputError(f"无法读取 Word 文件 {name}：文件已损坏或不是 .docx 格式") from exc
    blocks = list(document.iter_inner_content())
    levels = [_docx_heading_level(b) if isinstance(b, Paragraph) else None for b in blocks]
    shift = 1 if 0 in levels else 0  # a Title paragraph is level 1, so "Heading 1" is level 2
    lines: list[str] = []
    for block, level in zip(blocks, levels, strict=True):
        if not isinstance(block, Paragraph):
            lines.extend(escape_heading_lines(" ".join(c.text for c in row.cells)) for row in block.rows)
        elif level is None:
            lines.append(escape_heading_lines(block.text))
        else:
            lines.append(heading_line(level + shift, block.text))
    return "\n".join(lines)


def _docx_heading_level(paragraph) -> int | None:
    """0 for a Title paragraph, 1–9 for a heading (its style, a base style, or an outline level)."""
    own = _outline_level(paragraph._p)
    if own is not None:
        return own
    style = paragraph.style
    while style is not None:
        name = (style.name or "").strip()
        if name.lower() in _DOCX_TITLE_STYLES:
            return 0
        match = _DOCX_HEADING_STYLE.fullmatch(name)
        level = int(match.group(1)) if match else _outline_level(style.element)
        if level:
            return level
        style = style.base_style
    return None


def _outline_level(element) -> int | None:
    """`<w:pPr><w:outlineLvl w:val="1"/>` → 2 (Word counts from 0; 9 means body text)."""
    from docx.oxml.ns import qn

    found = element.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
    value = found.get(qn("w:val")) if found is not None else None
    return int(value) + 1 if value is not None and value.isdigit() and int(value) < 9 else None


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
    return escape_heading_lines(text)
