"""The multilingual occupation and modality taxonomy (fixtures/taxonomy/*.toml)."""

from matcher.rules.taxonomy.loader import DEFAULT_TAXONOMY_DIR, load_taxonomy, text_rules
from matcher.rules.taxonomy.model import (
    REQUIRED_LANGUAGES,
    ExcludedEntry,
    ModalityEntry,
    OccupationEntry,
    Taxonomy,
    WordLists,
)
from matcher.rules.taxonomy.text import TitleText, fold

__all__ = [
    "DEFAULT_TAXONOMY_DIR",
    "REQUIRED_LANGUAGES",
    "ExcludedEntry",
    "ModalityEntry",
    "OccupationEntry",
    "Taxonomy",
    "TitleText",
    "WordLists",
    "fold",
    "load_taxonomy",
    "text_rules",
]
