"""Rules as data: credentials, taxonomy, titles, FX rates and facility weights.

Each data file lives under `fixtures/` with a source and an as-of date per rule, and is
validated at load with every problem reported at once.
"""

from pathlib import Path

FIXTURES_DIR = Path(__file__).resolve().parents[2] / "fixtures"
