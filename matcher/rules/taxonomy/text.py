"""Text folding shared by the taxonomy loader and the title normaliser.

Titles and taxonomy terms go through the same steps, so that a synonym written as
"Técnico en radiología" matches a title typed as "TECNICO EN RADIOLOGIA".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# Letters that NFKD does not decompose into a base letter plus a combining mark.
_EXTRA_FOLDS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "þ": "th"})
_LIGATURES = {"æ": "ae", "œ": "oe", "ß": "ss"}
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lower-case ASCII words separated by single spaces: accents, case, punctuation dropped."""
    lowered = text.casefold().translate(_EXTRA_FOLDS)
    for ligature, plain in _LIGATURES.items():
        lowered = lowered.replace(ligature, plain)
    # NFKD splits "é" into "e" plus a combining accent; the ASCII encode then drops the accent
    # (and any letter outside the Latin script, which the word pattern would drop anyway).
    ascii_only = unicodedata.normalize("NFKD", lowered).encode("ascii", "ignore").decode("ascii")
    return _NOT_WORD.sub(" ", ascii_only).strip()


def phrase_pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    """One regex matching any folded term as whole words; "x*" matches words starting with x.

    Longer terms come first so that the longest term wins where several start at one place.
    """
    parts: list[str] = []
    for term in sorted(set(terms), key=lambda t: (-len(t), t)):
        if term.endswith("*"):
            parts.append(re.escape(term[:-1]) + r"[0-9a-z]*")
        else:
            parts.append(re.escape(term))
    if not parts:
        return None
    return re.compile(r"\b(?:" + "|".join(parts) + r")\b")


@dataclass(frozen=True)
class TitleText:
    """The word-level rewriting rules of fixtures/taxonomy/words.toml, compiled."""

    noise: re.Pattern[str] | None  # noise words and phrases
    noise_patterns: re.Pattern[str] | None  # applied after them: "II" is last once "night" goes
    variants: Mapping[str, str]
    stopwords: frozenset[str]
    generic: frozenset[str]

    def expand(self, title: str) -> str:
        """Folded title without noise words, with variants rewritten and stopwords dropped."""
        folded = fold(title)
        if self.noise is not None:
            folded = " ".join(self.noise.sub(" ", folded).split())
        if self.noise_patterns is not None:
            folded = self.noise_patterns.sub(" ", folded)
        words = " ".join(self.variants.get(w, w) for w in folded.split()).split()
        return " ".join(w for w in words if w not in self.stopwords)

    def core(self, expanded: str) -> str:
        """The words that tell occupations apart: generic role words and repeats removed."""
        kept = dict.fromkeys(w for w in expanded.split() if w not in self.generic)
        return " ".join(kept)
