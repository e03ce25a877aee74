"""Chroma embedding functions: the offline USE model (default) or OpenAI embeddings.

The USE function is registered with Chroma so that a reopened collection rebuilds it from its
stored config instead of falling back to Chroma's default (which downloads a model).
"""

from __future__ import annotations

from typing import Any

from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function

from assistant.errors import InputError
from assistant.settings import Settings

USE_NAME = "assistant-use-m3"


@register_embedding_function
class UseEmbeddingFunction(EmbeddingFunction[Documents]):
    """Multilingual USE v3 through the shared `assistant.embedder.get_use`."""

    def __init__(self, threads: int | None = None) -> None:
        self.threads = threads

    def __call__(self, input: Documents) -> Embeddings:
        from assistant.embedder import get_use

        vectors = get_use(self.threads).encode(list(input))
        return [row for row in vectors]

    @staticmethod
    def name() -> str:
        return USE_NAME

    def get_config(self) -> dict[str, Any]:
        return {"threads": self.threads}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> UseEmbeddingFunction:
        return UseEmbeddingFunction(threads=config.get("threads"))

    def default_space(self) -> Space:
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        return ["cosine", "l2", "ip"]


def embedder_id(settings: Settings) -> str:
    """The name recorded in the index; a query with another embedder is refused."""
    if settings.embedder == "openai":
        return f"openai:{settings.openai_embedding_model}"
    return "use"


def make_embedding_function(settings: Settings) -> EmbeddingFunction[Documents]:
    if settings.embedder == "use":
        return UseEmbeddingFunction(threads=settings.threads)
    return _openai_function(settings)


def _openai_function(settings: Settings) -> EmbeddingFunction[Documents]:
    import os
    import warnings

    from chromadb.utils.embedding_functions import OpenAIEmbeddingFunction

    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
    if not key and not os.environ.get("OPENAI_API_KEY"):
        raise InputError("ASSISTANT_EMBEDDER=openai 需要设置 OPENAI_API_KEY")
    with warnings.catch_warnings():  # a key given in .env cannot be persisted: that is intended
        warnings.simplefilter("ignore", DeprecationWarning)
        return OpenAIEmbeddingFunction(
            api_key=None if os.environ.get("OPENAI_API_KEY") else key,
            api_key_env_var="OPENAI_API_KEY",
            model_name=settings.openai_embedding_model,
            api_base=settings.openai_base_url,
        )
