from __future__ import annotations

import pytest
from pydantic import ValidationError

from matcher.settings import Settings


def test_decision_log_retention_is_never_below_183_days() -> None:
    assert Settings().decision_log_retention_days >= 183
    with pytest.raises(ValidationError):
        Settings(decision_log_retention_days=182)


def test_placeholder_pseudonym_key_is_refused_outside_development() -> None:
    with pytest.raises(ValidationError, match="MATCHER_PSEUDONYM_KEY"):
        Settings(environment="production")
    assert Settings(environment="production", pseudonym_key="s3cret-from-vault").environment
