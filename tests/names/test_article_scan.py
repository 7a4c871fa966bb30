"""An article before a word (al-Qasim, el Hashimi, القاسم) is found by scanning the text; the
regular expression it replaced is the reference."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from shelter.names.structure import _after_article

_TEXT = st.lists(st.sampled_from(["a", "l", "e", "ال", "x", " ", "-", ",", "\t", "ي"]), max_size=10).map("".join)
_WORD = st.lists(st.sampled_from(["a", "l", "e", "x", "ي", "ال"]), min_size=1, max_size=3).map("".join)


def _reference(text: str, word: str, *, last: bool) -> bool:
    end = "$" if last else r"(?:$|[\s\-,])"
    return re.search(rf"(?:^|[\s\-,])(?:al|el|ال)[\s\-]?{re.escape(word)}{end}", text) is not None


@settings(max_examples=2000, deadline=None)
@given(_TEXT, _WORD)
def test_the_scan_answers_as_the_pattern(text: str, word: str) -> None:
    assert _after_article(text, word, last=False) == _reference(text, word, last=False)
    assert _after_article(text, word, last=True) == _reference(text, word, last=True)


def test_articles_written_apart_joined_and_in_arabic() -> None:
    assert _after_article("ali al-hashimi", "hashimi", last=True)
    assert _after_article("el hashimi, ali", "hashimi", last=False)
    assert _after_article("محمد القاسمي", "قاسمي", last=True)
    assert not _after_article("ali hashimi", "hashimi", last=True)
    assert not _after_article("ali al-hashimi khan", "hashimi", last=True)
    assert not _after_article("kalhashimi", "hashimi", last=False)
