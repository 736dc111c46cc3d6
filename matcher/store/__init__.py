"""The storage edge: every SQL statement of the engine lives in this package.

`db` (engines, sessions, `Engine`/`Session` for code outside the store, `ping`), `errors`
(database failures translated), tables (`tables`, `api_tables`, `audit_tables`,
`batch_tables`, `service_tables`) and migrations, and one module of keyword-only functions
per resource: `candidates` (with the one pool loader), `requisitions`, `outcomes`, `keys`,
`idempotency`, `erasure`, `demographics`, `decision_log`, `oversight`, `service_settings`,
`batch_runs` and `batch_status`. Callers own the transaction; what they get back are domain
types and small storage shapes (`StoredCandidate`, `StoredRequisition`, ...).
"""
