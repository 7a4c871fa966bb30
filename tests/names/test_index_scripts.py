"""The screening index finds what ``compare`` finds across scripts: Arabic script against Latin,
Chinese characters against pinyin, Turkic letters against ASCII."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from shelter.names import PersonRecord, ScreeningIndex, compare

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "names" / "multiscript_pairs.tsv"


def _pairs() -> list[tuple[str, str, str]]:
    with FIXTURE.open(encoding="utf-8") as stream:
        rows = csv.DictReader((line for line in stream if not line.startswith("#")), delimiter="\t")
        return [(row["script_pair"], row["left"], row["right"]) for row in rows]


def test_fixture_covers_every_script_pair() -> None:
    assert {pair for pair, _, _ in _pairs()} == {
        "Arabic script/Latin",
        "Latin/Latin (names from Arabic script)",
        "Turkic letters/ASCII",
        "Han/pinyin",
    }


@pytest.mark.parametrize("script_pair", sorted({pair for pair, _, _ in _pairs()}))
def test_index_candidates_include_every_compare_match(script_pair: str) -> None:
    pairs = [(left, right) for pair, left, right in _pairs() if pair == script_pair]
    index = ScreeningIndex()
    matched = []
    for number, (left, right) in enumerate(pairs):
        index.add(f"r{number}", PersonRecord((right,)))
        if compare(PersonRecord((left,)), PersonRecord((right,))).is_match:
            matched.append((number, left, right))
    assert len(matched) >= len(pairs) // 2
    missed = [
        (left, right)
        for number, left, right in matched
        if f"r{number}" not in {hit.key for hit in index.search(PersonRecord((left,)), limit=len(pairs))}
    ]
    # including one word against two (Shariat-Madari / Shariatmadari, Hasan Zadeh / حسن‌زاده)
    assert missed == []


def test_index_finds_one_word_against_two_adjacent_words_both_ways() -> None:
    registry = {
        "saeid": "Saeid Hasan Zadeh",
        "hossein": "Hossein Alinejad",
        "ali": "Ali Hasan",
        "zadeh": "Zadeh Saeid Hasan",  # the same words, not adjacent in that order
    }
    index = ScreeningIndex()
    for key, name in registry.items():
        index.add(key, PersonRecord((name,)))
    for query, expected in (
        ("سعید حسن\u200cزاده", {"saeid"}),  # one query word, two adjacent registry words
        ("Hossein Ali Nejad", {"hossein"}),  # two adjacent query words, one registry word
        ("HASANZADEH Saeid", None),
    ):
        found = {hit.key for hit in index.search(PersonRecord((query,)), limit=10)}
        matched = {key for key, name in registry.items() if compare(PersonRecord((query,)), PersonRecord((name,))).is_match}
        assert found == matched, query
        if expected is not None:
            assert found == expected, query


def test_index_finds_an_arabic_script_word_whose_latin_spelling_adds_an_h() -> None:
    # Mohmand for مومند: the h after a long vowel that compare lets the Latin add; blocking must too.
    query = PersonRecord(("MOHMAND GULBUDDIN",))
    registry = PersonRecord(("ګلبدین مومند",))
    assert compare(query, registry).is_match
    index = ScreeningIndex.build([("r1", registry), ("r2", PersonRecord(("Gulbuddin Mahmud",)))])
    assert [hit.key for hit in index.search(query)] == ["r1"]


def test_index_finds_th_against_s_as_compare_does() -> None:
    # Othman / USMAN: ث as th in English spellings, s in Kurdish and Turkic ones; compare takes t / s as
    # cheap, so blocking must bring the words together, both ways.
    registry = [("kubad", PersonRecord(("Kubad Othman",))), ("rebwar", PersonRecord(("Rebwar Usman",))),
                ("other", PersonRecord(("Kubad Rahman",)))]
    index = ScreeningIndex.build(registry)
    for query, key in (("USMAN KUBAD", "kubad"), ("OTHMAN REBWAR", "rebwar")):
        assert compare(PersonRecord((query,)), dict(registry)[key]).is_match
        assert [hit.key for hit in index.search(PersonRecord((query,)))] == [key]
