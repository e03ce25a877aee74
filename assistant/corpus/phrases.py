"""The manual's quoted example phrases (`例如：“非常抱歉让您久等了”`), its standard wording."""

from __future__ import annotations

import re

_QUOTED = re.compile(r"“([^“”]+)”|「([^「」]+)」")


def quoted_phrases(text: str) -> list[str]:
    """Phrases inside “…” and 「…」, in order, stripped, without duplicates.

    Nested quotes give the innermost phrase (`“说：“您好。””` → `您好。`).
    """
    phrases: list[str] = []
    for match in _QUOTED.finditer(text):
        phrase = (match.group(1) or match.group(2)).strip()
        if phrase and phrase not in phrases:
            phrases.append(phrase)
    return phrases
