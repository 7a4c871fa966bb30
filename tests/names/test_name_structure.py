"""Name structure beyond patronymics: kunya, laqab, nisba and nasab of Arabic names, Chinese surname
first, Uyghur patronymic-as-surname, Turkish two given names (``structure.py``)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from shelter.names import PersonRecord, ScreeningIndex, compare, normalise
from shelter.names.structure import parse_name, part_kinds

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "names" / "structure_pairs.tsv"


def _pairs() -> list[tuple[str, str, str, bool]]:
    with FIXTURE.open(encoding="utf-8") as stream:
        rows = csv.DictReader((line for line in stream if not line.startswith("#")), delimiter="\t")
        return [(row["structure"], row["left"], row["right"], row["same"] == "true") for row in rows]


@pytest.mark.parametrize(("structure", "left", "right", "same"), _pairs())
def test_public_names_by_structure(structure: str, left: str, right: str, same: bool) -> None:
    result = compare(PersonRecord((left,)), PersonRecord((right,)))
    assert result.is_match == same, (structure, result)


def test_every_structure_has_a_positive_and_a_negative_pair() -> None:
    by_structure: dict[str, set[bool]] = {}
    for structure, _, _, same in _pairs():
        by_structure.setdefault(structure, set()).add(same)
    missing = {structure for structure, labels in by_structure.items() if len(labels) < 2}
    # A laqab and a nisba are never wrongly joined to other names: their negatives are the kunya's
    # and the nasab's (a name part of its own on one side only).
    assert missing <= {"laqab", "nisba"}, missing


def _kinds(name: str) -> dict[str, str]:
    parsed = parse_name(name)
    return {part.form.text: kind for part, kind in zip(parsed.parts, part_kinds(parsed), strict=True)}


def test_kunya_is_one_part_and_not_the_name_it_contains() -> None:
    assert _kinds("Abu Muhammad al-Adnani") == {"abu muhammad": "kunya", "adnani": "nisba"}
    assert _kinds("Umm Kulthum") == {"umm kulthum": "kunya"}
    # Abou, Abi (after ibn) and Abu'l are Abu: the parts compare equal.
    result = compare(PersonRecord(("Abou Mohamed al-Adnani",)), PersonRecord(("Abu'l Muhammad Adnani",)))
    assert "kunya ABOU MOHAMED = ABU'L MUHAMMAD" in result.explanation
    # A kunya against a given name alone is a different part ("≠"): Abu Muhammad is Muhammad's father.
    explained = compare(PersonRecord(("Abu Muhammad al-Adnani",)), PersonRecord(("Muhammad al-Adnani",)))
    assert "ABU MUHAMMAD ≠ MUHAMMAD" in explained.explanation


def test_laqab_needs_the_article_written_apart() -> None:
    assert _kinds("Salah ad-Din al-Ayyubi") == {"salah ad-din": "laqab", "ayyubi": "nisba"}
    assert normalise("Saif al-Islam Gaddafi") == "saif al islam gaddafi"  # the article shows the laqab
    assert normalise("صلاح الدين الأيوبي") == "صلاح ال دين أيوبي"
    # Islam and Uddin written as names of their own are names: South Asian surnames.
    assert _kinds("Nazrul Islam") == {"nazrul": "", "islam": ""}
    assert [part.form.text for part in parse_name("Gias Uddin").parts] == ["gias", "uddin"]


def test_nisba_is_read_from_the_article_and_the_ending() -> None:
    assert _kinds("Mohammed Alzahrani")["alzahrani"] == "nisba"
    assert _kinds("محمد الزهراني")["زهراني"] == "nisba"
    assert _kinds("Ahmed El Masry")["masry"] == "nisba"
    # The article on a name that is not an adjective of origin (al-Qasim), and -i without the article
    # (Persian Karimi), are not nisbas.
    assert _kinds("Omar al-Qasim Haddad")["qasim"] != "nisba"
    assert "nisba" not in _kinds("Ali Karimi").values()


def test_nasab_links_are_dropped_and_the_fathers_names_kept() -> None:
    parsed = parse_name("Usama bin Muhammad bin Awad bin Ladin")
    assert [part.form.text for part in parsed.parts] == ["usama", "muhammad", "awad", "ladin"]
    assert part_kinds(parsed)[1:3] == ("nasab", "nasab")
    # The last name a link introduces is the family name as often as a father's.
    assert part_kinds(parse_name("Mohamed Ould Abdel Aziz"))[-1] != "nasab"
    # Two words with a link are a given name and a surname of that form (Ben Ali): nothing dropped.
    assert normalise("Ben Ali") == "ben ali"


def test_a_short_form_keeps_the_given_name_and_the_family_name_of_a_chain() -> None:
    # The fathers' names between the given name and the family name (the last linked name, or a nisba)
    # are nasab parts with or without the links, and a short form may leave them out.
    assert part_kinds(parse_name("Usama Muhammed Awad bin Laden"))[1:3] == ("nasab", "nasab")
    assert part_kinds(parse_name("Ayman Muhammad Rabi al-Zawahiri")) == ("", "nasab", "nasab", "nisba")
    chain = PersonRecord(("Usama bin Muhammad bin Awad bin Ladin",))
    short = compare(PersonRecord(("Osama bin Laden",)), chain)
    assert short.is_match and "nasab MUHAMMAD only on the right" in short.explanation
    # A name of Western structure keeps its penalty for a middle name one side lacks.
    assert compare(PersonRecord(("John Smith",)), PersonRecord(("John Michael Smith",))).score < 1.0
    # Two fathers, or the father's own name against his son's chain, are not a match.
    assert not compare(PersonRecord(("Mohammed bin Salman Al Saud",)), PersonRecord(("Mohammed bin Nayef Al Saud",))).is_match
    assert not compare(PersonRecord(("Muhammad bin Ladin",)), chain).is_match


def test_the_index_scores_name_structures_as_compare_does() -> None:
    pairs = [(left, right) for _, left, right, _ in _pairs()]
    index = ScreeningIndex.build([(f"r{number}", PersonRecord((right,))) for number, (_, right) in enumerate(pairs)])
    for number, (left, right) in enumerate(pairs):
        expected = compare(PersonRecord((left,)), PersonRecord((right,)))
        hits = {hit.key: hit.result.score for hit in index.search(PersonRecord((left,)), limit=len(pairs))}
        assert hits.get(f"r{number}") == (expected.score if expected.is_match else None), (left, right)


def test_chinese_surname_first_and_uyghur_given_name_first() -> None:
    assert _kinds("毛泽东") == {"毛": "surname", "泽东": "given name"}
    # A Uyghur name in characters puts the father's name last, as its surname.
    assert _kinds("伊力哈木·土赫提") == {"伊力哈木": "given name", "土赫提": "surname"}
    explained = compare(PersonRecord(("习近平",)), PersonRecord(("Jinping Xi",))).explanation
    assert "surname 习 (Chinese characters) = XI" in explained


def test_uyghur_father_and_child_share_a_name_but_are_not_one_person() -> None:
    # Ilham Tohti's daughter takes his given name as her surname.
    father, daughter = PersonRecord(("Ilham Tohti",), sex="m"), PersonRecord(("Jewher Ilham",), sex="f")
    assert not compare(father, daughter).is_match
    # Without the sexes the shared name is one agreeing part: never a match on its own.
    assert compare(PersonRecord(("Ilham Tohti",)), PersonRecord(("Jewher Ilham",))).score < 0.5


def test_turkish_two_given_names() -> None:
    assert _kinds("Recep Tayyip Erdoğan") == {"recep": "given name", "tayyip": "given name", "erdoğan": "surname"}
    result = compare(PersonRecord(("Recep Tayyip Erdoğan",)), PersonRecord(("Tayyip Erdogan",)))
    assert result.is_match
    assert "given name RECEP only on the left" in result.explanation
    # In capitals the order is the notice's (surname first), so nothing is read from it.
    assert set(_kinds("ERDOĞAN RECEP TAYYIP").values()) == {""}


def test_allah_written_apart_is_part_of_the_name_before_it() -> None:
    assert normalise("Asad Allah Haqqani") == "asadallah haqqani"
    assert normalise("اسد الله حقاني") == "اسدالله حقاني"
    assert normalise("Habib Ullah Khan") == "habibullah khan"
    # Names that begin with Allah keep it (Allah Ditta), and Abd Allah is one name already.
    assert normalise("Muhammad Allah Ditta") == "muhammad allah ditta"
    assert normalise("Abd Allah al-Najjar") == "abdallah najjar"
    assert compare(PersonRecord(("HAQQANI ASADULLAH",)), PersonRecord(("اسد الله حقاني",))).is_match
