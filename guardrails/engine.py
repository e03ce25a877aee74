"""The engine: layered packs compiled once, one `check(text)` that returns spans in the original."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from guardrails.contacts import GATES, NUMBER_DETECTORS, Hit, detect, masked, may_hold_number
from guardrails.errors import GuardrailsError
from guardrails.loader import Allowlist, Pack, Rule
from guardrails.normalize import compact_raw, digits_raw, fold_pattern, normalize_raw
from guardrails.phrases import WINDOW, PhraseRules, fold_phrase
from guardrails.result import GuardResult, Violation

MASKED = "{masked}"
_RANK = {"warn": 1, "block": 2}
PASS = GuardResult("pass")  # immutable, so every clean text shares it


def layer(packs: Sequence[Pack]) -> tuple[tuple[Rule, ...], Allowlist]:
    """Later packs replace rules with the same id, add new ones, disable ids, extend allowlists."""
    rules: dict[str, Rule] = {}
    allowlist = Allowlist()
    for pack in packs:
        for rule_id in pack.disable:
            rules.pop(rule_id, None)
        for rule in pack.rules:
            rules[rule.id] = rule
        allowlist = allowlist.merged(pack.allowlist)
    return tuple(rules.values()), allowlist


@dataclass(frozen=True)
class _Allowed:
    numbers: frozenset[str]
    number_patterns: tuple[re.Pattern[str], ...]
    emails: frozenset[str]
    email_local_parts: frozenset[str]
    addresses: tuple[str, ...]

    @classmethod
    def compile(cls, allow: Allowlist) -> _Allowed:
        return cls(
            numbers=frozenset(re.sub(r"\D", "", n) for n in allow.numbers),
            number_patterns=tuple(re.compile(p) for p in allow.number_patterns),
            emails=frozenset(e.lower() for e in allow.emails),
            email_local_parts=frozenset(p.lower() for p in allow.email_local_parts),
            addresses=tuple(fold_phrase(a) for a in allow.addresses),
        )

    def permits(self, hit: Hit) -> bool:
        if hit.detector == "email":
            return hit.value in self.emails or hit.value.split("@")[0] in self.email_local_parts
        if hit.detector == "address":
            value = fold_phrase(hit.value)
            return any(value in a or a in value for a in self.addresses)
        digits = re.sub(r"\D", "", hit.value)
        return digits in self.numbers or any(p.fullmatch(digits) for p in self.number_patterns)


class Engine:
    """Compiled rules of one or more layered packs. Build once per process, call `check` often."""

    def __init__(self, packs: Sequence[Pack]):
        self.packs = tuple(packs)
        self.rules, self.allowlist = layer(self.packs)
        self._detectors: dict[str, list[Rule]] = {}
        for rule in self.rules:
            if rule.detector:
                self._detectors.setdefault(rule.detector, []).append(rule)
        # The number detectors always run (they check cheaply first); the others only when the
        # scan finds one of their gates.
        self._numbers = NUMBER_DETECTORS & self._detectors.keys()
        opens = {gate: detectors & self._detectors.keys() for gate, detectors in GATES.items()}
        gates = [gate for gate in GATES if opens[gate]]
        self._gates = [opens[gate] for gate in gates]
        self._text_rules = PhraseRules(self.rules, gates)
        self._exceptions = {r.id: [fold_pattern(p) for p in r.exceptions] for r in self.rules if r.detector}
        self._allowed = _Allowed.compile(self.allowlist)
        self._order = rule_order(self.rules)

    def check(self, text: str, suspects: bool = False) -> GuardResult:
        """The rules' verdict on `text`; with `suspects`, also the clauses the learned second
        opinion (`guardrails.model`) finds suspect where no rule matched (hints, not verdicts)."""
        result = self._check(text)
        if suspects and text.strip():
            from guardrails.model import default_model

            return result.with_suspects(default_model().suspects_beside(text, result.violations))
        return result

    def floor(self, text: str) -> None:
        """What `check` costs before it decides anything: the first lines of `_check`, normalising
        `text` and the one scan, callbacks included (the benchmark's yardstick for the Python
        around the scan)."""
        folded, offsets, stable = normalize_raw(text)
        compact, _ = compact_raw(folded, offsets)
        self._text_rules.reports(compact)
        may_hold_number(digits_raw(folded), stable)

    def _check(self, text: str) -> GuardResult:
        if not isinstance(text, str):
            raise GuardrailsError(f"只能检查文本，收到的是 {type(text).__name__}")
        if not text or text.isspace():
            return PASS
        folded, offsets, stable = normalize_raw(text)
        compact, at = compact_raw(folded, offsets)
        rules = self._text_rules
        matches, gates = rules.scan(compact)
        view = digits_raw(folded)
        numbers = bool(self._numbers) and may_hold_number(view, stable)
        if not (matches or gates or numbers):
            return PASS
        if at is None:
            found = [(s, e, rules.rule(i), None) for i, s, e in matches]
        else:
            found = [(at[s], at[e - 1] + 1, rules.rule(i), None) for i, s, e in matches]
        if gates or numbers:
            wanted = self._numbers.union(*(self._gates[gate] for gate in gates)) if gates else self._numbers
            found.extend(self._detected(view, offsets, wanted, numbers))
        if not found:
            return PASS
        if len(found) > 1:
            found = resolve(found, self._order)
        return GuardResult.of(tuple(violation(f, text) for f in found))

    def _detected(
        self, view: str, offsets: tuple[int, ...] | None, wanted: frozenset[str], numbers: bool
    ) -> list[Found]:
        out = []
        for hit in detect(view, wanted, numbers):
            if self._allowed.permits(hit):
                continue
            for rule in self._detectors[hit.detector]:
                if not _covered(view, hit.start, hit.end, self._exceptions[rule.id]):
                    if offsets is None:
                        out.append((hit.start, hit.end, rule, hit))
                    else:
                        out.append((offsets[hit.start], offsets[hit.end - 1] + 1, rule, hit))
        return out


def _covered(text: str, start: int, end: int, patterns: list[re.Pattern[str]]) -> bool:
    lo = max(0, start - WINDOW)
    window = text[lo : end + WINDOW]
    return any(m.start() + lo <= start and end <= m.end() + lo for p in patterns for m in p.finditer(window))


# A rule's match at [start, end) of the original text, before resolving overlaps, with the
# detector's hit (None for phrases and regexes). A plain tuple: cheap to make, ordered by position.
Found = tuple[int, int, Rule, "Hit | None"]


def violation(found: Found, text: str) -> Violation:
    """The violation, its text sliced from `text`; a detector's suggestion may hold
    `{masked}`, filled with the detected value masked (138****5678)."""
    start, end, rule, hit = found
    suggestion = rule.suggestion
    if suggestion and hit is not None and MASKED in suggestion:
        suggestion = suggestion.replace(MASKED, masked(hit))
    return Violation.make(
        rule.id, rule.category, rule.severity, start, end, text[start:end], rule.message, suggestion
    )


def resolve(found: list[Found], order: dict[str, int]) -> list[Found]:
    """Sort by position (start, then longer first, then by `order`: a rule's rank by severity,
    then id); merge overlapping matches of one rule into one span (one highlight, one
    suggestion); drop a match inside another of the same category at least as severe."""
    if len(found) == 1:
        return found
    keyed = sorted([(f[0], -f[1], order[f[2].id], i, f) for i, f in enumerate(found)])
    ordered = [k[-1] for k in keyed]
    end = ordered[0][1]
    for f in ordered[1:]:
        if f[0] < end:
            break
        end = f[1]
    else:
        return ordered  # no two overlap: nothing merges, nothing lies inside another
    kept: list[Found] = []
    for f in ordered:
        if not _absorbed(kept, f):
            kept.append(f)
    return kept


def rule_order(rules: Sequence[Rule]) -> dict[str, int]:
    """Each rule's rank among `rules`: more severe first, then by id (how `resolve` breaks ties)."""
    return {r.id: i for i, r in enumerate(sorted(rules, key=lambda r: (-_RANK[r.severity], r.id)))}


def _absorbed(kept: list[Found], f: Found) -> bool:
    """Whether `f` merges into a kept match of its rule that it overlaps (extending it), or lies
    inside a kept match of its category that is at least as severe."""
    start, end, rule, _ = f
    for i, k in enumerate(kept):
        if k[2].id == rule.id and start < k[1]:
            if end > k[1]:
                kept[i] = (k[0], end, k[2], k[3])
            return True
    category, rank = rule.category, _RANK[rule.severity]
    for k in kept:
        if k[2].category == category and k[0] <= start and end <= k[1] and _RANK[k[2].severity] >= rank:
            return True
    return False


def build_engine(paths: Sequence[str]) -> Engine:
    from guardrails.loader import DEFAULT_PACK, load_pack

    return Engine([load_pack(DEFAULT_PACK), *(load_pack(p) for p in paths)])
