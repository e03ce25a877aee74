"""Assertion types for scenarios. Add one: a class with a `type` literal, fields, `evaluate(ctx)`."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from eval.assertions.base import (
    AssertionResult,
    BaseAssertion,
    EvalContext,
    Judge,
    Outcome,
    run_assertion,
)
from eval.assertions.grounding import GuardClean, Retrieves, describe_violations, rule_pack_results
from eval.assertions.judge import Rubric
from eval.assertions.text import (
    AsksFor,
    ContainsAll,
    ContainsAny,
    Hedged,
    MaxChars,
    NotContains,
    Regex,
    SimilarTo,
)

Assertion = Annotated[
    Retrieves
    | ContainsAny
    | ContainsAll
    | NotContains
    | Regex
    | GuardClean
    | AsksFor
    | Hedged
    | MaxChars
    | SimilarTo
    | Rubric,
    Field(discriminator="type"),
]

ASSERTION_TYPES = (
    "retrieves",
    "contains_any",
    "contains_all",
    "not_contains",
    "regex",
    "guard_clean",
    "asks_for",
    "hedged",
    "max_chars",
    "similar_to",
    "rubric",
)

__all__ = [
    "ASSERTION_TYPES",
    "Assertion",
    "AssertionResult",
    "BaseAssertion",
    "EvalContext",
    "Judge",
    "Outcome",
    "describe_violations",
    "rule_pack_results",
    "run_assertion",
]
