"""Which patterns' requirements hold, given the literals found in a text.

`anchors.requirements(pattern)` says what a match needs: alternatives of conjunctions of clauses.
A conjunction holds when all its clauses do, a clause when one of its units does, and a unit when
each of its literal sets has a literal in the text. `Requirements` compiles the requirements of a
list of patterns once into numbers an Aho-Corasick automaton can carry as its values: a literal
stands for the clauses it holds alone (it is in a unit of one set) and for the marks it sets (one
mark per set of a larger unit). A unit whose marks are all set holds its clause. Clauses and marks
share one range of numbers, marks after clauses, so that one set of numbers holds all a text gives.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from guardrails.anchors import Clause, Needs


class Requirements:
    """The compiled requirements of a list of patterns (None: a pattern that needs nothing)."""

    def __init__(self, needs: Sequence[Needs | None]):
        self._gives: dict[str, tuple[list[int], list[int]]] = {}  # literal -> (clauses, marks)
        self._mark_unit: list[int] = []  # mark -> its unit
        # (marks, clause) of each unit of several sets; its marks become a frozenset once numbered
        self._units: list[tuple] = []
        self._clause_count = 0
        self._conjunctions = [tuple(map(self._conjunction, conjunctions or ())) for conjunctions in needs]
        base = self._base = self._clause_count  # the first mark's number
        self._units = [(frozenset(m + base for m in needed), clause) for needed, clause in self._units]
        self.free = frozenset(i for i, conjunctions in enumerate(needs) if conjunctions is None)
        # literal -> the numbers it gives: its clauses, then its marks (shifted past the clauses)
        self.literals: dict[str, tuple[int, ...]] = {
            literal: (*_unique(clauses), *(m + base for m in _unique(marks)))
            for literal, (clauses, marks) in self._gives.items()
        }
        # The conjunctions by their first clause: one holds only if that clause does, so that
        # `met` over all patterns looks only at the conjunctions of the clauses that hold.
        self._by_first: list[list[tuple[frozenset[int], int]]] = [[] for _ in range(base)]
        for pattern, conjunctions in enumerate(self._conjunctions):
            for conjunction in conjunctions:
                self._by_first[min(conjunction)].append((conjunction, pattern))

    def _conjunction(self, clauses: tuple[Clause, ...]) -> frozenset[int]:
        """Number the clauses of a conjunction and record what each literal of theirs gives."""
        numbers = []
        for clause in clauses:
            number = self._clause_count
            self._clause_count += 1
            for unit in clause:
                if len(unit) == 1:  # a unit of one set: any of its literals holds the clause
                    for literal in unit[0]:
                        self._gives.setdefault(literal, ([], []))[0].append(number)
                    continue
                needed = []
                for alternatives in unit:  # a mark per set; the unit holds when all are set
                    mark = len(self._mark_unit)
                    needed.append(mark)
                    for literal in alternatives:
                        self._gives.setdefault(literal, ([], []))[1].append(mark)
                    self._mark_unit.append(len(self._units))
                self._units.append((needed, number))
            numbers.append(number)
        return frozenset(numbers)

    def met(self, numbers: Iterable[int], among: Iterable[int] | None = None) -> set[int]:
        """The patterns (of `among`, else of all) one of whose conjunctions holds, given the
        `numbers` of the literals found (see `literals`). Patterns that need nothing are never
        among them: see `free`."""
        held = set(numbers)
        base = self._base
        if held and max(held) >= base:  # some marks: units whose marks are all set add their clause
            for unit in {self._mark_unit[m - base] for m in held if m >= base}:
                needed, clause = self._units[unit]
                if needed <= held:
                    held.add(clause)
        out = set()
        if among is None:  # look only at the conjunctions of the clauses that hold
            by_first = self._by_first
            for clause in held:
                if clause < base:
                    for conjunction, pattern in by_first[clause]:
                        if conjunction <= held:
                            out.add(pattern)
        else:
            conjunctions = self._conjunctions
            for pattern in among:
                for conjunction in conjunctions[pattern]:
                    if conjunction <= held:
                        out.add(pattern)
                        break
        return out


def _unique(values: list[int] | None) -> tuple[int, ...]:
    return tuple(dict.fromkeys(values)) if values else ()
