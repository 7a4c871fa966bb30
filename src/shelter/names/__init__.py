"""Cross-script person-name matching: normalise, transliterate, structure, score, explain, screen.

Pure Python, no Django. See docs/names.md.
"""

from shelter.names.dates import PartialDateError
from shelter.names.index import Hit, IndexFileError, ScreeningIndex, date_agrees, find_similar
from shelter.names.normalise import normalise
from shelter.names.scoring import DEFAULT_THRESHOLD, MatchResult, PersonRecord, compare

__all__ = [
    "DEFAULT_THRESHOLD",
    "Hit",
    "IndexFileError",
    "MatchResult",
    "PartialDateError",
    "PersonRecord",
    "ScreeningIndex",
    "compare",
    "date_agrees",
    "find_similar",
    "normalise",
]
