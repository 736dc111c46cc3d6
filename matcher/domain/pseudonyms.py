"""Keyed pseudonyms: stable for one deployment's key, meaningless without it."""

from __future__ import annotations

import hashlib
import hmac

from matcher.domain.records import normalise_external_id


def candidate_pseudonym(key: str, candidate_id: int) -> str:
    return hmac.new(key.encode(), f"candidate:{candidate_id}".encode(), hashlib.sha256).hexdigest()


def subject_hash(key: str, agency: str, external_id: str) -> str:
    """Identifies a person as an agency submits them, for the erasure ledger.

    The id is normalised as it is for storage, so a stored id and a resubmitted one agree.
    """
    message = f"subject:{agency}\x00{normalise_external_id(external_id)}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()
