"""Ranking beyond one request: features from records, training, saved models, evaluation."""
