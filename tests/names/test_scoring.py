from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shelter.names import DEFAULT_THRESHOLD, PartialDateError, PersonRecord, compare
from shelter.names.structure import parse_name

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "names"


def _pairs() -> list[dict[str, str]]:
    with (FIXTURES / "variant_pairs.tsv").open(encoding="utf-8") as stream:
        return list(csv.DictReader(stream, delimiter="\t"))


@pytest.mark.parametrize("row", _pairs(), ids=lambda row: f"{row['left']}|{row['right']}")
def test_labelled_pairs(row: dict[str, str]) -> None:
    result = compare(
        PersonRecord((row["left"],), dob=row["left_dob"] or None),
        PersonRecord((row["right"],), dob=row["right_dob"] or None),
    )
    assert result.is_match == (row["label"] == "true"), (row["why"], result)


def test_explanation_reads_like_a_caseworker_note() -> None:
    result = compare(
        PersonRecord(("KABIRI MUHIDDIN",), dob="1965"), PersonRecord(("Муҳиддин Кабирӣ",), dob="1965-12-05")
    )
    assert result.score == 1.0 and result.is_match
    assert "surname KABIRI = Кабирӣ (Tajik Cyrillic)" in result.explanation
    assert "given name MUHIDDIN = Муҳиддин (Tajik Cyrillic)" in result.explanation
    assert result.explanation.endswith("birth year agrees")


def test_explanation_names_the_differences() -> None:
    result = compare(PersonRecord(("Rustam Karimov",)), PersonRecord(("Rustam Kasimov",)))
    assert "surname KARIMOV ≠ KASIMOV" in result.explanation
    sister = compare(PersonRecord(("Karimov Rustam",)), PersonRecord(("Karimova Rustam",)))
    assert "different gender form" in sister.explanation and "sex differs" in sister.explanation


@pytest.mark.parametrize(
    ("left", "right", "phrases"),
    [
        # The word before a patronymic is the given name; the other one is the surname.
        ("Putin Vladimir Vladimirovich", "Путин Владимир", ["surname PUTIN", "given name VLADIMIR"]),
        # "Surname, Given" and capitals in a mixed-case name mark the surname.
        ("KABIRI, Muhiddin", "Muhiddin Kabiri", ["surname KABIRI", "given name MUHIDDIN"]),
        ("Mariya OSETROVA", "Mariya Zakharova", ["given name MARIYA", "surname OSETROVA only on the left"]),
        # A given name known in several languages, and a surname ending.
        ("Timur Nazarbek", "Timur Nazarbek", ["name TIMUR", "name NAZARBEK"]),
        ("Sergei Lavrov", "Sergey Lavrov", ["given name SERGEI", "surname LAVROV"]),
        ("Gayratjon Tursun", "Tursun Gayratjon", ["given name GAYRATJON", "surname TURSUN"]),
        (
            "Ilham Heydar oglu Aliyev",
            "Алиев Ильхам",
            ["given name ILHAM", "patronymic HEYDAR only on the left"],
        ),
    ],
)
def test_explanation_says_which_part_is_which(left: str, right: str, phrases: list[str]) -> None:
    explanation = compare(PersonRecord((left,)), PersonRecord((right,))).explanation
    for phrase in phrases:
        assert phrase in explanation, explanation


@pytest.mark.parametrize(
    ("joined", "split"),
    [
        ("Abdulaziz Kamilov", "Abdul Aziz Kamilov"),
        ("Alireza Karimi", "Ali Reza Karimi"),
        ("Kassymjomart Tokayev", "Касым-Жомарт Токаев"),
    ],
)
def test_a_name_written_as_one_word_or_two(joined: str, split: str) -> None:
    result = compare(PersonRecord((joined,)), PersonRecord((split,)))
    assert result.is_match, result
    # Two words are joined only when together they are the other word: Abdul Aziz is not Abdulla.
    assert not compare(PersonRecord(("Abdulla Kamilov",)), PersonRecord(("Abdul Aziz Kamilov",))).is_match


def test_tajik_surname_form() -> None:
    result = compare(PersonRecord(("Rustam Karimzoda",)), PersonRecord(("Рустам Каримов",)))
    assert result.is_match and "other surname form" in result.explanation


def test_dates_of_birth_move_the_score() -> None:
    name_a, name_b = ("KABIRI MUHIDDIN",), ("Муҳиддин Кабирӣ",)
    same = compare(PersonRecord(name_a, dob="1965-12-05"), PersonRecord(name_b, dob="1965-12-05")).score
    swapped = compare(PersonRecord(name_a, dob="1965-05-12"), PersonRecord(name_b, dob="1965-12-05")).score
    near = compare(PersonRecord(name_a, dob="1966"), PersonRecord(name_b, dob="1965-12-05")).score
    other = compare(PersonRecord(name_a, dob="1979"), PersonRecord(name_b, dob="1965-12-05")).score
    assert same > swapped > near > other
    assert other < DEFAULT_THRESHOLD


def test_sex_and_nationality() -> None:
    man = PersonRecord(("Aziz Rakhimov",), sex="m", nationalities=("UZ",))
    assert not compare(man, PersonRecord(("Aziz Rakhimov",), sex="f")).is_match
    assert compare(man, PersonRecord(("Азиз Рахимов",), nationalities=("UZ", "RU"))).score == 1.0
    assert compare(man, PersonRecord(("Азиз Рахимов",), nationalities=("KZ",))).score < 1.0


def test_aliases_take_the_best_name() -> None:
    record = PersonRecord(("Osetrova Maria", "Мария Александровна Захарова"), dob="1988-01-07")
    assert compare(record, PersonRecord(("Zakharova Mariya",), dob="1988-01-07")).is_match


def test_threshold_decides() -> None:
    a, b = PersonRecord(("Alisher Usmanov",)), PersonRecord(("Alisher Usmonov",))
    result = compare(a, b)
    assert 0.75 < result.score < 1.0
    assert not compare(a, b, threshold=result.score + 0.01).is_match


def test_bad_date_is_an_error_a_person_can_act_on() -> None:
    with pytest.raises(PartialDateError, match="expected YYYY, YYYY-MM or YYYY-MM-DD"):
        compare(PersonRecord(("A B",), dob="31/02/2019"), PersonRecord(("A B",)))


def test_empty_records() -> None:
    assert compare(PersonRecord(()), PersonRecord(("A B",))).score == 0.0
    assert compare(PersonRecord(("",)), PersonRecord(("A B",))).score == 0.0


NAME_WORDS = st.sampled_from(
    [
        "Каримов",
        "Karimov",
        "Kasimov",
        "Qosimov",
        "Рустам",
        "Rustam",
        "ўғли",
        "oglu",
        "Ivanovna",
        "Ivan",
        "V.",
        "Кабирӣ",
        "Muhiddin",
        "Gʻayratjon",
        "Əliyev",
        "Nazarbayev",
        "Абишұлы",
        "Putin",
        "zoda",
        "Karimova",
    ]
)
NAMES = st.lists(NAME_WORDS, min_size=1, max_size=4).map(" ".join)
DATES = st.one_of(
    st.none(), st.sampled_from(["1965", "1965-12", "1965-12-05", "1965-05-12", "1966", "1980-01-01"])
)
RECORDS = st.builds(
    PersonRecord,
    names=st.lists(NAMES, min_size=1, max_size=2).map(tuple),
    dob=DATES,
    nationalities=st.lists(st.sampled_from(["UZ", "TJ", "RU"]), max_size=2).map(tuple),
    sex=st.sampled_from([None, "m", "f"]),
)


@settings(max_examples=300, deadline=None)
@given(RECORDS, RECORDS)
def test_scoring_is_symmetric_and_bounded(a: PersonRecord, b: PersonRecord) -> None:
    forward, backward = compare(a, b), compare(b, a)
    assert forward.score == backward.score
    assert 0.0 <= forward.score <= 1.0
    assert forward.is_match == (forward.score >= DEFAULT_THRESHOLD)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60), st.text(max_size=60))
def test_no_input_crashes_it(left: str, right: str) -> None:
    result = compare(PersonRecord((left,)), PersonRecord((right,)))
    assert 0.0 <= result.score <= 1.0
    assert isinstance(result.explanation, str)


@settings(max_examples=100, deadline=None)
@given(NAMES)
def test_a_name_matches_itself(name: str) -> None:
    # A single name part is never enough for a match (see test_labelled_pairs: "Putin").
    if sum(1 for part in parse_name(name).parts if part.role == "name") >= 2:
        assert compare(PersonRecord((name,)), PersonRecord((name,))).is_match
