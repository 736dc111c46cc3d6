"""Pure, vectorised scoring: features, weighted scorer, learned ranker, ranking metrics.

Knows no database, no HTTP and no settings: callers pass plain arrays and values.
"""
