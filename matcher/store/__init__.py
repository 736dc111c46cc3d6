"""Storage edge: tables, engine, migrations and keyword-only persistence functions."""
