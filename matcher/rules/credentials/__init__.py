"""Credential catalogue, equivalence rules and language requirements (fixtures/credentials).

Rules are data: each file is validated at load and every problem is reported at once.
"""

from matcher.rules.credentials.data import (
    CredentialData,
    default_credential_data,
    load_credential_data,
)

__all__ = ["CredentialData", "default_credential_data", "load_credential_data"]
