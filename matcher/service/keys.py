"""API keys: random bearer tokens, stored as hashes, checked in constant time, revocable.

A key reads `mk_<key_id>_<secret>`: the key id finds the row, the secret proves possession.
The secret has 256 bits of entropy, so a plain SHA-256 (no slow KDF) is the right hash.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from enum import StrEnum

from matcher.errors import NotFoundError, UnauthenticatedError
from matcher.store import keys
from matcher.store.db import Session

PREFIX = "mk"


class Role(StrEnum):
    AGENCY = "agency"
    HOSPITAL = "hospital"
    AUDITOR = "auditor"
    ADMIN = "admin"


@dataclass(frozen=True)
class Principal:
    tenant: str
    role: Role
    key_id: str


@dataclass(frozen=True)
class IssuedKey:
    key_id: str
    token: str  # shown once, never stored
    tenant: str
    role: Role


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_key(*, session: Session, tenant: str, role: Role, label: str | None = None) -> IssuedKey:
    key_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    keys.insert_key(
        session=session,
        key_id=key_id,
        secret_hash=_hash(secret),
        tenant=tenant,
        role=str(role),
        label=label,
    )
    return IssuedKey(key_id, f"{PREFIX}_{key_id}_{secret}", tenant, role)


def revoke_key(*, session: Session, key_id: str) -> None:
    if not keys.revoke_key(session=session, key_id=key_id):
        raise NotFoundError(f"no active key {key_id}")


def revoke_keys_labelled(*, session: Session, label: str) -> int:
    return keys.revoke_keys_labelled(session=session, label=label)


def authenticate(*, session: Session, token: str) -> Principal:
    """The principal behind a bearer token; one message for every failure, to leak nothing."""
    failure = UnauthenticatedError("missing, malformed, unknown or revoked API key")
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX:
        raise failure
    _, key_id, secret = parts
    row = keys.find_key(session=session, key_id=key_id)
    # Hash even when the row is missing so both paths cost the same.
    presented = _hash(secret)
    expected = row.secret_hash if row is not None else _hash("")
    if row is None or not hmac.compare_digest(presented, expected) or row.revoked_at is not None:
        raise failure
    return Principal(tenant=row.tenant, role=Role(row.role), key_id=row.key_id)
