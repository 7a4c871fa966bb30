"""Cross-script person-name matching: normalise, transliterate, structure, score, explain, screen.

Pure Python, no Django. See docs/names.md.
"""

from shelter.names.dates import DateError
from shelter.names.index import Hit, IndexFileError, ScreeningIndex, find_similar
from shelter.names.normalise import normalise
from shelter.names.scoring import DEFAULT_THRESHOLD, MatchResult, PersonRecord, compare

__all__ = [
    "DEFAULT_THRESHOLD",
    "DateError",
    "Hit",
    "IndexFileError",
    "MatchResult",
    "PersonRecord",
    "ScreeningIndex",
    "compare",
    "find_similar",
    "normalise",
]
