"""The LLM client: a `ChatOpenAI` for any OpenAI-compatible endpoint, and the one retry policy.

The openai client's own retries are switched off (`max_retries=0`) so that retries are not stacked:
tenacity retries what is transient (429, 5xx, 408/409, timeouts, connection errors, a garbled
response body) with exponential backoff and jitter, honours `Retry-After`, and stops at
`settings.llm_max_attempts` attempts or before a wait would pass `settings.llm_max_seconds`.
Other 4xx (bad key, unknown model, bad request) fail at once.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    stop_before_delay,
    wait_exponential_jitter,
)

from assistant.errors import ServiceUnavailableError

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from assistant.settings import Settings

T = TypeVar("T")
TRANSIENT_STATUS = frozenset({408, 409, 429})
PLACEHOLDER_KEY = "not-needed"  # local servers (vLLM, Ollama, llama.cpp) accept any key
MAX_RETRY_AFTER_S = 60.0


def make_chat_model(settings: Settings) -> BaseChatModel:
    """A ChatOpenAI for the configured endpoint, with the client's own retries off.

    `streaming` is left unset on purpose: in langchain-core 1.7 an explicit `streaming=False`
    turns `.stream()` into a single final chunk.
    """
    from langchain_openai import ChatOpenAI

    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else PLACEHOLDER_KEY
    return ChatOpenAI(
        model=settings.model,
        api_key=key,
        base_url=settings.openai_base_url,
        timeout=settings.llm_timeout_s,
        max_retries=0,
        temperature=0.2,
    )


def status_of(exc: BaseException) -> int | None:
    status = getattr(exc, "status_code", None)
    return status if isinstance(status, int) else None


def is_transient(exc: BaseException) -> bool:
    """True for failures that may succeed when tried again."""
    import json

    import openai

    if isinstance(exc, openai.APIConnectionError):  # includes APITimeoutError
        return True
    if isinstance(exc, openai.APIResponseValidationError):  # a garbled body (truncated by a proxy)
        return True
    status = status_of(exc)
    if status is not None:
        return status in TRANSIENT_STATUS or status >= 500
    return isinstance(exc, TimeoutError | ConnectionError | json.JSONDecodeError)


def is_llm_failure(exc: BaseException) -> bool:
    """An error from the endpoint or the client (as opposed to a bug in our code)."""
    import openai

    return isinstance(exc, openai.OpenAIError) or is_transient(exc)


def retry_after_s(exc: BaseException | None) -> float | None:
    """The server's `Retry-After` / `retry-after-ms` hint in seconds, if it sent one."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if headers is None:
        return None
    try:
        if headers.get("retry-after-ms"):
            return max(0.0, float(headers["retry-after-ms"]) / 1000)
        value = headers.get("retry-after")
        if not value:
            return None
        if value.strip().replace(".", "", 1).isdigit():
            return float(value)
        when = email.utils.parsedate_to_datetime(value)
        return max(0.0, when.timestamp() - time.time())
    except (TypeError, ValueError, OverflowError):
        return None


class _Wait:
    """Exponential backoff with jitter, but never shorter than the server's Retry-After."""

    def __init__(self, initial_s: float, max_s: float):
        self.backoff = wait_exponential_jitter(multiplier=initial_s, max=max_s, jitter=initial_s)

    def __call__(self, state: RetryCallState) -> float:
        backoff = self.backoff(state)
        exc = state.outcome.exception() if state.outcome else None
        hint = retry_after_s(exc)
        return backoff if hint is None else max(min(hint, MAX_RETRY_AFTER_S), 0.0)


def retrying(settings: Settings, *, initial_wait_s: float | None = None) -> Retrying:
    """The retry policy from settings (tests shrink the waits with `llm_max_seconds`)."""
    initial = initial_wait_s if initial_wait_s is not None else min(0.5, settings.llm_max_seconds / 20)
    return Retrying(
        retry=retry_if_exception(is_transient),
        stop=stop_after_attempt(settings.llm_max_attempts) | stop_before_delay(settings.llm_max_seconds),
        wait=_Wait(initial, max_s=max(initial, settings.llm_max_seconds / 4)),
        reraise=True,
    )


def call_with_retries(
    fn: Callable[[], T], settings: Settings, *, on_attempt: Callable[[], None] | None = None
) -> T:
    """Run fn under the retry policy; a final failure becomes ServiceUnavailableError."""
    try:
        for attempt in retrying(settings):
            with attempt:
                if on_attempt:
                    on_attempt()
                return fn()
    except Exception as exc:
        if is_llm_failure(exc):
            raise unavailable(exc) from exc
        raise
    raise AssertionError("unreachable: tenacity either returns or raises")


def unavailable(exc: BaseException) -> ServiceUnavailableError:
    """A user-facing error for a failed LLM call, in Chinese."""
    status = status_of(exc)
    if status is not None:
        detail = f"HTTP {status}"
    elif "Timeout" in type(exc).__name__:
        detail = "请求超时"
    else:
        detail = type(exc).__name__
    return ServiceUnavailableError(f"大模型服务不可用（{detail}）：{_short(exc)}")


def _short(exc: BaseException, limit: int = 160) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
