"""Loading user files: encodings, formats, and a clear InputError naming every bad file."""

import os

import pytest

from assistant.corpus import MAX_FILE_BYTES, bundled_manual_paths, discover, load_document
from assistant.errors import InputError

SIMPLIFIED = "退款说明\n一、退款时效\n您好，退款会在三个工作日内到账，请您耐心等待。"
TRADITIONAL = "退款說明\n一、退款時效\n您好，退款會在三個工作日內到賬，請您耐心等待。"


def write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        pytest.param("utf-8", SIMPLIFIED, id="utf-8"),
        pytest.param("utf-8-sig", SIMPLIFIED, id="utf-8-bom"),
        pytest.param("utf-16", SIMPLIFIED, id="utf-16-bom"),
        pytest.param("gb18030", SIMPLIFIED, id="gb18030"),
        pytest.param("gb18030", TRADITIONAL, id="gb18030-traditional"),
        pytest.param("big5", TRADITIONAL, id="big5"),
    ],
)
def test_encodings_are_detected(tmp_path, encoding, text):
    document = load_document(write(tmp_path, "manual.txt", text.encode(encoding)))
    assert document.text == SIMPLIFIED
    assert document.title == "退款说明"


def test_short_big5_text_is_not_mistaken_for_gb18030(tmp_path):
    document = load_document(write(tmp_path, "short.txt", "請稍等，馬上為您核實。".encode("big5")))
    assert document.text == "请稍等，马上为您核实。"


def test_document_identity(tmp_path):
    data = SIMPLIFIED.encode()
    path = write(tmp_path, "manual.txt", data)
    document = load_document(path)
    import hashlib

    assert document.content_hash == hashlib.sha256(data).hexdigest()
    assert document.path == str(path.resolve())


def test_bundled_manual_paths_are_named_by_file_name():
    paths = bundled_manual_paths()
    assert [p.name[:3] for p in paths] == ["000", "001", "002", "003", "004"]
    assert load_document(paths[1]).path == paths[1].name


def test_title_falls_back_to_file_stem(tmp_path):
    path = write(tmp_path, "退款政策.txt", "一、退款时效\n三个工作日内到账。".encode())
    assert load_document(path).title == "退款政策"


def test_html_drops_tags_scripts_and_styles_and_keeps_headings(tmp_path):
    html = (
        "<html><head><title>退款政策</title><style>p{color:red}</style></head><body>"
        "<script>var a = '广告';</script><h2>一、退款时效</h2><p>退款会在<b>三个</b>工作日内到账。</p>"
        "<p>例如：&ldquo;请您耐心等待&rdquo;</p></body></html>"
    )
    document = load_document(write(tmp_path, "policy.html", html.encode()))
    assert document.text == "## 一、退款时效\n退款会在三个工作日内到账。\n例如：“请您耐心等待”"
    assert document.title == "退款政策"  # from <title>: the page has no <h1>


def test_markdown_markup_is_removed_and_headings_kept_as_hash_lines(tmp_path):
    markdown = "# 退款政策\n\n## 一、退款时效 ##\n\n退款会在**三个**工作日内到账，见[说明](http://x)。\n"
    document = load_document(write(tmp_path, "policy.md", markdown.encode()))
    assert document.text == "# 退款政策\n## 一、退款时效\n退款会在三个工作日内到账，见说明。"
    assert document.title == "退款政策"


def test_docx_paragraphs_and_tables(tmp_path):
    import docx

    word = docx.Document()
    word.add_paragraph("退款政策")
    word.add_paragraph("一、退款时效")
    word.add_paragraph("退款会在三个工作日内到账。")
    table = word.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "时效"
    table.cell(0, 1).text = "三天"
    path = tmp_path / "policy.docx"
    word.save(path)
    document = load_document(path)
    assert document.text == "退款政策\n一、退款时效\n退款会在三个工作日内到账。\n时效 三天"


def text_pdf(text: str) -> bytes:
    """A one-page PDF with an ASCII text layer, written by hand (no PDF-writing dependency)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_pdf_text_layer_is_read(tmp_path):
    document = load_document(write(tmp_path, "policy.pdf", text_pdf("Refund within three working days.")))
    assert document.text == "Refund within three working days."


def test_pdf_without_text_is_a_clear_error(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    path = tmp_path / "scan.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(InputError, match=r"scan\.pdf.*没有可提取的文字"):
        load_document(path)


def huge(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: no real disk use
    return path


def broken_symlink(tmp_path):
    path = tmp_path / "gone.txt"
    os.symlink(tmp_path / "missing-target.txt", path)
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        pytest.param(
            lambda t: write(t, "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "二进制", id="binary"
        ),
        pytest.param(lambda t: write(t, "empty.txt", b""), "是空的", id="empty"),
        pytest.param(lambda t: write(t, "blank.txt", b" \n\t\n"), "是空的", id="only-whitespace"),
        pytest.param(
            lambda t: (t / "folder.txt").mkdir() or t / "folder.txt", "文件夹", id="directory-as-file"
        ),
        pytest.param(broken_symlink, "找不到", id="broken-symlink"),
        pytest.param(huge, "太大", id="huge"),
        pytest.param(
            lambda t: write(t, "bad.docx", b"PK\x03\x04 not a real docx"), "Word", id="corrupt-docx"
        ),
        pytest.param(lambda t: write(t, "bad.pdf", b"%PDF-1.4 garbage"), "PDF", id="corrupt-pdf"),
        pytest.param(
            lambda t: write(t, "noise.txt", b"\x81\x20---\n" * 3),
            "编码",
            id="undecodable",
        ),
        pytest.param(
            lambda t: write(t, "ads.txt", "最新文档\n- 广告".encode()),
            "没有可用的文字",
            id="only-boilerplate",
        ),
    ],
)
def test_bad_files_raise_input_error_naming_the_file(tmp_path, make, message):
    path = make(tmp_path)
    with pytest.raises(InputError) as info:
        load_document(path)
    assert path.name in str(info.value)
    assert message in str(info.value)


def test_discover_expands_folders_and_skips_unknown_types(tmp_path):
    (tmp_path / "sub").mkdir()
    write(tmp_path, "a.txt", b"x")
    write(tmp_path / "sub", "b.md", b"x")
    write(tmp_path, "c.exe", b"x")
    write(tmp_path, "d.DOCX", b"x")
    found = discover([tmp_path])
    assert [p.name for p in found] == ["a.txt", "d.DOCX", "b.md"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        pytest.param("c.exe", "不支持的文件类型", id="unsupported-type"),
        pytest.param("nope.txt", "找不到", id="missing"),
    ],
)
def test_discover_rejects_named_bad_files(tmp_path, name, message):
    write(tmp_path, "c.exe", b"x")
    with pytest.raises(InputError, match=message) as info:
        discover([tmp_path / name])
    assert name in str(info.value)
