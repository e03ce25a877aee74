"""Decoding bytes of Chinese text: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030, Big5.

Strict decodes come first. GB18030 and Big5 byte ranges overlap, so when both decode, the one
whose characters are common Chinese (GB2312 level 1 after folding to Simplified) wins. Statistical
detection (charset-normalizer) is only the last resort: on short Chinese texts it guesses wrong.
"""

from __future__ import annotations

import codecs

from assistant.corpus.normalize import to_simplified
from assistant.errors import InputError

_LEGACY_CHINESE = ("gb18030", "big5", "cp950")
_SNIFF_BYTES = 8192


def decode_text(data: bytes, name: str) -> str:
    """Text of `data`; raises InputError for binary or undecodable content."""
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return _strict(data, codec) or _undecodable(name)
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise InputError(f"文件 {name} 是二进制文件，不是文本")
    text = _strict(data, "utf-8")
    if text is not None:
        return text
    candidates = [t for t in (_strict(data, codec) for codec in _LEGACY_CHINESE) if t is not None]
    if candidates:
        return max(candidates, key=common_chinese_share)
    return _detected(data, name)


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def common_chinese_share(text: str) -> float:
    """Share of CJK characters that are common Simplified characters (GB2312 level 1)."""
    cjk = [ch for ch in to_simplified(text) if "\u4e00" <= ch <= "\u9fff"]
    if not cjk:
        return 0.0
    return sum(_is_common(ch) for ch in cjk) / len(cjk)


def _is_common(char: str) -> bool:
    try:
        encoded = char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return 0xB0 <= encoded[0] <= 0xD7


def _detected(data: bytes, name: str) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        _undecodable(name)
    text = str(best)
    if _plausible_share(text) < 0.8:
        _undecodable(name)
    return text


def _plausible_share(text: str) -> float:
    """Share of non-space characters that are ASCII, punctuation or common Chinese."""
    chars = [ch for ch in text if not ch.isspace()]
    if not chars:
        return 0.0
    plausible = sum(
        ch.isascii() and ch.isprintable() or _is_common(ch) or "\u3000" <= ch <= "\u303f" for ch in chars
    )
    return plausible / len(chars)


def _undecodable(name: str) -> str:
    raise InputError(f"无法识别文件 {name} 的文字编码（支持 UTF-8、GB18030、Big5），请另存为 UTF-8 后重试")
