"""On SQLite, give the candidate table AUTOINCREMENT, so an erased candidate's id is never reused.

Without it SQLite hands the highest deleted rowid to the next insert: after an erasure, a new
person could get the erased person's id, and anything that still named that id (a hospital's
notes, a decision-log entry, a retried feedback call) would silently point at someone else.
PostgreSQL sequences never go back, so only SQLite needs this.

SQLite cannot add AUTOINCREMENT to a table, so the table is rebuilt the way SQLite documents
("Making Other Kinds Of Table Schema Changes"): with foreign keys off, a new table is created,
the rows copied, the old table dropped and the new one renamed, then the foreign keys are
checked before commit. Foreign keys can only be turned off outside a transaction, which is why
this runs after the Alembic migrations rather than as one of them (dropping the old table with
foreign keys on would cascade and delete every row that refers to a candidate).

An id erased before this rebuild ran is not known any more (tombstones keep a pseudonym, not
the id), so the sequence starts after the highest id still present.
"""

from __future__ import annotations

from sqlalchemy import Engine, MetaData
from sqlalchemy.schema import CreateIndex, CreateTable

from matcher.errors import ConflictError
from matcher.store.tables import CandidateRow

TABLE = "candidate"
_REBUILT = "candidate_autoincrement_rebuild"


def has_autoincrement(engine: Engine) -> bool | None:
    """Whether SQLite's candidate table has AUTOINCREMENT; None if there is no such table."""
    with engine.connect() as connection:
        sql = connection.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (TABLE,)
        ).scalar()
    return None if sql is None else "AUTOINCREMENT" in str(sql).upper()


def ensure_candidate_autoincrement(engine: Engine) -> bool:
    """Rebuild the candidate table with AUTOINCREMENT if it lacks it; True if rebuilt."""
    if engine.dialect.name != "sqlite" or has_autoincrement(engine) in (None, True):
        return False
    table = CandidateRow.__table__  # type: ignore[attr-defined]  # SQLModel sets it
    rebuilt = table.to_metadata(MetaData(), name=_REBUILT)
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        existing = [row[1] for row in cursor.execute(f"PRAGMA table_info({TABLE})").fetchall()]
        missing = set(existing) - {column.name for column in table.columns}
        if missing:  # copying would drop data the model does not know
            raise ConflictError(f"{TABLE}: unexpected column(s) {sorted(missing)}; not rebuilt")
        columns = ", ".join(existing)
        cursor.execute("PRAGMA foreign_keys=OFF")  # only takes effect outside a transaction
        cursor.execute("BEGIN IMMEDIATE")
        try:
            cursor.execute(str(CreateTable(rebuilt).compile(dialect=engine.dialect)))
            # Column names come from the table itself and were checked against the model.
            copy = f"INSERT INTO {_REBUILT} ({columns}) SELECT {columns} FROM {TABLE}"  # noqa: S608
            cursor.execute(copy)
            cursor.execute(f"DROP TABLE {TABLE}")
            cursor.execute(f"ALTER TABLE {_REBUILT} RENAME TO {TABLE}")
            for index in table.indexes:
                cursor.execute(str(CreateIndex(index).compile(dialect=engine.dialect)))
            broken = cursor.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise ConflictError(f"{TABLE}: {len(broken)} broken foreign key(s); not rebuilt")
            cursor.execute("COMMIT")
        except BaseException:
            cursor.execute("ROLLBACK")
            raise
    finally:
        raw.cursor().execute("PRAGMA foreign_keys=ON")
        raw.close()
    return True
