"""Job-title normalisation: titles in many languages to canonical occupations and modalities."""

from matcher.rules.titles.normaliser import (
    CONFIDENCE_THRESHOLD,
    UNKNOWN,
    TitleMatch,
    compiled_taxonomy,
    normalise_titles,
)

__all__ = ["CONFIDENCE_THRESHOLD", "UNKNOWN", "TitleMatch", "compiled_taxonomy", "normalise_titles"]
