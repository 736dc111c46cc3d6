"""Accountability: bias audits, the hash-chained decision log, demographics and human oversight.

Nothing on the ranking path (scoring/, matcher/engine/pipeline.py, matcher/engine/pool.py) may
import this package: demographics are read for audits only
(tests/audit/test_import_boundary.py checks it).
"""
