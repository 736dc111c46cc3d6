"""Settings from the environment (MATCHER_*). Only entry points call `get_settings()`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from matcher.domain.decisions import MIN_RETENTION_DAYS

DEV_PSEUDONYM_KEY = "development-only-pseudonym-key"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MATCHER_", extra="ignore")

    database_url: str = "sqlite:///matcher.db"
    environment: str = "development"
    models_dir: Path = Path("models")
    log_level: str = "INFO"
    # Keys the HMAC pseudonyms of candidates (erasure ledger, tombstones, decision log).
    pseudonym_key: str = DEV_PSEUDONYM_KEY
    max_batch_rows: int = 10_000
    max_batch_bytes: int = 20 * 1024 * 1024
    # Decision-log retention; audits under NYC LL144 and the EU AI Act need at least six months.
    decision_log_retention_days: int = Field(default=365, ge=MIN_RETENTION_DAYS)

    @model_validator(mode="after")
    def _no_placeholder_secrets_outside_development(self) -> Settings:
        if self.environment != "development" and self.pseudonym_key == DEV_PSEUDONYM_KEY:
            raise ValueError("set MATCHER_PSEUDONYM_KEY to a secret outside development")
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
