"""Values computed from one credential data set, remembered per (data set, key).

Eligibility keeps several such memos (rule matches, language checks, routes, the index's
outcomes per input; `matcher.eligibility.caches` lists them). Each is keyed by the data set's
identity and holds the data set itself, so the id of a data set that was collected can never
match another's entries; each is cleared whole when it reaches its `limit` (an attribute, so
tests may lower it).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Generic, TypeVar

from matcher.rules.credentials.data import CredentialData

V = TypeVar("V")


class DataCache(Generic[V]):
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._entries: dict[tuple[int, Hashable], tuple[CredentialData, V]] = {}

    def get(self, data: CredentialData, key: Hashable) -> V | None:
        hit = self._entries.get((id(data), key))
        return hit[1] if hit is not None and hit[0] is data else None

    def put(self, data: CredentialData, key: Hashable, value: V) -> None:
        if len(self._entries) >= self.limit:
            self._entries.clear()
        self._entries[(id(data), key)] = (data, value)

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
