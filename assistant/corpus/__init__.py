"""The policy corpus: load files, clean scraped pages, split them into sections and chunks.

paths = discover([Path("docs")]) or bundled_manual_paths()
for path in paths:
    chunks = split_document(load_document(path))
"""

from assistant.corpus.clean import clean_text
from assistant.corpus.load import (
    MAX_FILE_BYTES,
    SUPPORTED_SUFFIXES,
    bundled_manual_paths,
    discover,
    load_document,
)
from assistant.corpus.normalize import normalize_text, search_key
from assistant.corpus.phrases import quoted_phrases
from assistant.corpus.split import PATH_SEPARATOR, split_document

__all__ = [
    "MAX_FILE_BYTES",
    "PATH_SEPARATOR",
    "SUPPORTED_SUFFIXES",
    "bundled_manual_paths",
    "clean_text",
    "discover",
    "load_document",
    "normalize_text",
    "search_key",
    "quoted_phrases",
    "split_document",
]
