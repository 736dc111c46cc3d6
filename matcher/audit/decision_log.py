"""The decision log as auditors and operators use it: verify the chain, apply retention.

Every ranking the engine returns is appended by the code that ranks, in its own transaction
(`matcher.store.decision_log.append_decisions`); what a record holds and how the chain is
checked is `matcher.domain.decisions`.
"""

from __future__ import annotations

from matcher.domain.decisions import LogVerification
from matcher.store import decision_log
from matcher.store.db import Engine, read_session, write_session


def verify_decision_log(
    *, engine: Engine, checkpoint: tuple[int, str] | None = None
) -> LogVerification:
    """Recompute the chain from the anchor to the head; report the first record that fails.

    `checkpoint` is a (seq, hash) pair recorded outside the database earlier, such as the head
    printed by a previous verification: it catches a chain rewritten wholesale, head included.
    """
    with read_session(engine) as session:
        return decision_log.verify_log(session, checkpoint=checkpoint)


def prune_decision_log(*, engine: Engine, older_than_days: int) -> int:
    """Delete records older than the retention period, keeping the rest verifiable."""
    with write_session(engine) as session:
        return decision_log.prune(session, older_than_days=older_than_days)
