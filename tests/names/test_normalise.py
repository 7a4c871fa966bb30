from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shelter.names import normalise


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("KABIRI, Muhiddin", "muhiddin kabiri"),
        ("Gʻayratjon  QOSIMOV", "g'ayratjon qosimov"),
        ("G`ayratjon Qosimov", "g'ayratjon qosimov"),
        ("O‘ktam Xo’jayev", "o'ktam xo'jayev"),
        ("Kassym-Jomart Tokayev", "kassym jomart tokayev"),
        ("Präsident Putin", "putin"),
        ("Mr. Rustam Karimov", "rustam karimov"),
        ("Путин В.В.", "путин в в"),
        ("ПУ́ТИН Влади́мир", "путин владимир"),
        ("İlham Əliyev", "ilham əliyev"),
        ("ｋａｂｉｒｉ", "kabiri"),
        ("President", "president"),
        ("  ", ""),
        # Vowel signs and viramas of Indic, Khmer and Burmese script belong to their word.
        ("व्लादिमीर पुतिन", "व्लादिमीर पुतिन"),
        ("ဗလာဒီမီယာ ပူတင်", "ဗလာဒီမီယာ ပူတင်"),
        ("ウラジーミル・プーチン", "ウラジーミル プーチン"),
        # Arabic vowel points are left out, as most writers do.
        ("مُحَمَّد", "محمد"),
    ],
)
def test_examples(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@given(st.text())
def test_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once


@given(st.text(alphabet=st.characters(categories=("L", "M", "P", "Z")), max_size=40))
def test_output_is_lower_case_single_spaced(text: str) -> None:
    result = normalise(text)
    assert result == result.strip() and "  " not in result and "," not in result
