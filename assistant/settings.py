"""Settings from environment variables (prefix ASSISTANT_) and an optional `.env` file.

The OpenAI variables keep their standard names: OPENAI_API_KEY, OPENAI_BASE_URL.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent
BUNDLED_MANUAL_DIR = PACKAGE_DIR / "manual"


def _default_data_dir() -> Path:
    return REPO_DIR / "var"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="ASSISTANT_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    data_dir: Path = Field(default_factory=_default_data_dir, description="Index and store live here.")

    # Retrieval
    chroma_url: str | None = Field(default=None, description="http://host:port of a `chroma run` server.")
    collection: str = "manual"
    embedder: Literal["use", "openai"] = "use"
    openai_embedding_model: str = "text-embedding-3-small"
    threads: int = Field(default_factory=lambda: min(2, os.cpu_count() or 1), ge=1)
    top_k: int = Field(default=5, ge=1, le=50)

    # LLM
    openai_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_API_KEY", "ASSISTANT_OPENAI_API_KEY")
    )
    openai_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_BASE_URL", "ASSISTANT_OPENAI_BASE_URL")
    )
    model: str = "gpt-4o-mini"
    prompt: str = Field(default="draft_reply@production", description="NAME@VERSION or NAME@LABEL")
    llm_timeout_s: float = Field(default=30.0, gt=0)
    llm_max_attempts: int = Field(default=4, ge=1)
    llm_max_seconds: float = Field(default=60.0, gt=0, description="Total time budget across retries.")
    repair_attempts: int = Field(default=2, ge=0)

    # Guard
    # Paths separated by os.pathsep: the same variable guardrails reads itself (it cannot import us).
    guard_packs: Annotated[list[Path], NoDecode] = Field(
        default_factory=list, description="Extra rule packs layered on the default."
    )

    # Store and desk
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; default SQLite in data_dir.")
    users_file: Path | None = None

    # Prompts
    prompts_dir: Path | None = Field(
        default=None,
        description="Prompt store (templates/ + labels.yaml) the desk's lab writes; None: the bundled prompts/.",
    )

    @field_validator("guard_packs", mode="before")
    @classmethod
    def _split_pack_paths(cls, value: object) -> object:
        if isinstance(value, str):
            return [Path(part) for part in value.split(os.pathsep) if part.strip()]
        return value

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'audit.db'}"

    @property
    def resolved_users_file(self) -> Path:
        return self.users_file or self.data_dir / "users.json"

    @property
    def llm_configured(self) -> bool:
        return bool(self.openai_base_url or self.openai_api_key)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
