"""Build the labelled evaluation set of name pairs.

Sources (see each folder's SOURCE.md under ../shared/data):
- ``name_variants_putin``: 80 real spellings of one person (MIT, nomenklatura fixture);
- ``opensanctions_ftm_samples``: sanctioned persons with names in several scripts, and the
  Zakharov family, whose members are different people with one surname (CC BY-NC 4.0, used
  here for evaluation only, not copied into the repository);
- ``names_by_country_sigpwned``: native-script and romanised forenames and surnames (CC0) of
  Russia, Central Asia, the Caucasus, Belarus and Ukraine; and of Georgia, Greece, China, Taiwan,
  Japan and Korea with siblings and namesakes from other families, the only negatives in
  scripts other than Latin and Cyrillic;
- generated people from ``pools.toml`` spelled with the systems in ``romanise.py``, and hard
  negatives: one-letter-apart surnames, siblings, relatives of the other sex, another father,
  the same name with another date of birth.

Every pair carries a ``group`` (the person or family it is about); the split into ``dev``
(rules were tuned on it) and ``test`` (reported) is by group, so no person is in both.
"""

from __future__ import annotations

import csv
import hashlib
import itertools
import json
import random
import tomllib
import unicodedata
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from romanise import (
    RUSSIAN_SYSTEMS,
    azerbaijani_to_ascii,
    azerbaijani_to_russian,
    national_latin,
    romanise,
    russify,
)

HERE = Path(__file__).resolve().parent
SHARED_DATA = HERE.parents[1] / ".." / "shared" / "data"
CORE_SCRIPTS = ("Latin", "Cyrillic")


@dataclass(frozen=True)
class Pair:
    group: str
    source: str
    kind: str
    left: str
    right: str
    left_dob: str
    right_dob: str
    label: bool
    split: str = ""
    scope: str = "core"  # "core" = Latin/Cyrillic; "other-scripts" = Greek, Arabic, CJK ...


def split_of(group: str) -> str:
    return "dev" if hashlib.sha256(group.encode()).digest()[0] % 2 == 0 else "test"


def _scripts(text: str) -> set[str]:
    scripts = set()
    for char in text:
        if char.isalpha():
            name = unicodedata.name(char, "")
            scripts.add("Latin" if "LATIN" in name else "Cyrillic" if "CYRILLIC" in name else name.split()[0])
    return scripts


def _scope(*texts: str) -> str:
    return "core" if all(_scripts(text) <= set(CORE_SCRIPTS) for text in texts) else "other-scripts"


def _case(rng: random.Random, text: str) -> str:
    roll = rng.random()
    return text.upper() if roll < 0.3 else text.title() if roll < 0.8 else text.lower()


# ---------------------------------------------------------------- real data


def putin_pairs(rng: random.Random, per_scope: int = 300) -> Iterator[Pair]:
    names = [
        line.strip()
        for line in (SHARED_DATA / "name_variants_putin" / "putin_names.txt").open(encoding="utf-8")
    ]
    names = [name for name in names if name]
    pairs = list(itertools.combinations(names, 2))
    by_scope: dict[str, list[tuple[str, str]]] = {}
    for left, right in pairs:
        by_scope.setdefault(_scope(left, right), []).append((left, right))
    for scope, items in sorted(by_scope.items()):
        for left, right in rng.sample(items, min(per_scope, len(items))):
            # One person: split by pair, so that both halves hold some of the 80 spellings.
            group = "putin-" + hashlib.sha256(f"{left}|{right}".encode()).hexdigest()[:8]
            yield Pair(
                group, "putin-80", "same person, other spelling", left, right, "", "", True, scope=scope
            )


def _opensanctions_people() -> list[dict[str, object]]:
    people = []
    for filename in ("yente_t1_entities.ftm.json", "yente_zala_entities.ftm.json"):
        for line in (SHARED_DATA / "opensanctions_ftm_samples" / filename).open(encoding="utf-8"):
            entity = json.loads(line)
            if entity.get("schema") == "Person":
                properties = entity["properties"]
                names = sorted(set(properties.get("name", []) + properties.get("alias", [])))
                dob = (properties.get("birthDate") or [""])[0]
                people.append({"id": entity["id"], "names": names, "dob": dob})
    return people


def opensanctions_pairs(rng: random.Random) -> Iterator[Pair]:
    people = _opensanctions_people()
    for person in people:
        names = list(person["names"])  # type: ignore[call-overload]
        combos = list(itertools.combinations(names, 2))
        for left, right in rng.sample(combos, min(25, len(combos))):
            dob = str(person["dob"])
            yield Pair(
                str(person["id"]),
                "opensanctions",
                "same person, other spelling",
                left,
                right,
                dob if rng.random() < 0.5 else "",
                dob,
                True,
                scope=_scope(left, right),
            )
    # Different people: the Zakharov family and the others, with their real dates of birth.
    for first, second in itertools.combinations(people, 2):
        for _ in range(6):
            left = rng.choice(list(first["names"]))  # type: ignore[call-overload]
            right = rng.choice(list(second["names"]))  # type: ignore[call-overload]
            group = "|".join(sorted((str(first["id"]), str(second["id"]))))
            yield Pair(
                group,
                "opensanctions",
                "different people",
                left,
                right,
                str(first["dob"]),
                str(second["dob"]),
                False,
                scope=_scope(left, right),
            )


def sigpwned_pairs(rng: random.Random) -> Iterator[Pair]:
    folder = SHARED_DATA / "names_by_country_sigpwned"
    countries = {"RU", "KZ", "KG", "TJ", "AZ", "BY", "UA"}
    forenames: dict[str, list[tuple[str, str]]] = {}
    surnames: dict[str, list[tuple[str, str]]] = {}
    with (folder / "common-forenames-by-country.csv").open(encoding="utf-8-sig") as stream:
        for row in csv.DictReader(stream):
            if row["Country"] in countries and row["Gender"] == "M" and row["Localized Name"]:
                forenames.setdefault(row["Country"], []).append(
                    (row["Localized Name"], row["Romanized Name"])
                )
    with (folder / "common-surnames-by-country.csv").open(encoding="utf-8-sig") as stream:
        for row in csv.DictReader(stream):
            if row["Country"] in countries and row["Localized Name"] and row["Romanized Name"]:
                surnames.setdefault(row["Country"], []).append((row["Localized Name"], row["Romanized Name"]))
    for country in sorted(set(forenames) & set(surnames)):
        for index in range(40):
            given = rng.choice(forenames[country])
            family = rng.choice(surnames[country])
            if given[0] == given[1] and family[0] == family[1]:
                continue  # no second spelling
            left = f"{given[0]} {family[0]}"
            right = f"{family[1]} {given[1]}" if rng.random() < 0.5 else f"{given[1]} {family[1]}"
            group = f"sig-{country}-{index}-{family[1]}"
            yield Pair(
                group,
                "names-by-country",
                "same person, other spelling",
                left,
                _case(rng, right),
                "",
                "",
                True,
                scope=_scope(left, right),
            )
            other = rng.choice(forenames[country])
            if other[1] != given[1]:
                yield Pair(
                    group,
                    "names-by-country",
                    "sibling (other given name)",
                    left,
                    _case(rng, f"{other[1]} {family[1]}"),
                    "",
                    "",
                    False,
                    scope=_scope(left, right),
                )


def other_script_pairs(rng: random.Random) -> Iterator[Pair]:
    """People of countries whose names are written in other scripts (Georgian, Greek, Chinese,
    Japanese, Korean), with the two hard negatives that measure precision there: a sibling
    (another given name, same surname) and a namesake from another family (same given name)."""
    folder = SHARED_DATA / "names_by_country_sigpwned"
    countries = {"GE", "GR", "CN", "TW", "JP", "KR"}

    def read(filename: str) -> dict[str, list[tuple[str, str]]]:
        names: dict[str, list[tuple[str, str]]] = {}
        with (folder / filename).open(encoding="utf-8-sig") as stream:
            for row in csv.DictReader(stream):
                native, romanised = row["Localized Name"], row["Romanized Name"]
                if row["Country"] in countries and native and romanised and not native.isascii():
                    names.setdefault(row["Country"], []).append((native, romanised))
        return names

    forenames = read("common-forenames-by-country.csv")
    surnames = read("common-surnames-by-country.csv")
    for country in sorted(set(forenames) & set(surnames)):
        for index in range(30):
            given, family = rng.choice(forenames[country]), rng.choice(surnames[country])
            left = f"{given[0]} {family[0]}"
            group = f"sig-other-{country}-{index}-{family[1]}"
            other_given, other_family = None, None
            for kind, right, label in (
                ("same person, other spelling", f"{given[1]} {family[1]}", True),
                ("sibling (other given name)", "", False),
                ("namesake from another family (other surname)", "", False),
            ):
                if kind.startswith("sibling"):
                    other_given, other_family = rng.choice(forenames[country]), rng.choice(surnames[country])
                    # Rows of one name group are variants of one name: compare romanisations.
                    if other_given[1].lower() == given[1].lower():
                        continue
                    right = f"{other_given[1]} {family[1]}"
                elif kind.startswith("namesake"):
                    assert other_family is not None
                    if other_family[1].lower() == family[1].lower():
                        continue
                    right = f"{given[1]} {other_family[1]}"
                yield Pair(
                    group,
                    "names-by-country",
                    kind,
                    left,
                    _case(rng, right),
                    "",
                    "",
                    label,
                    scope="other-scripts",
                )


# ---------------------------------------------------------------- generated people


@dataclass(frozen=True)
class Person:
    language: str
    given: str
    surname: str
    father: str
    sex: str
    dob: str


def _female_surname(surname: str) -> str:
    lowered = surname.lower()
    if lowered.endswith(("ов", "ев", "ёв", "ин", "ov", "ev", "yev", "in")):
        return surname + ("а" if surname[-1].lower() in "вн" else "a")
    return surname


def _patronymic(father: str, sex: str, language: str) -> str:
    if language in ("uz",):
        return f"{father} {'ўғли' if sex == 'm' else 'қизи'}"
    if language == "kz":
        return f"{father}{'ұлы' if sex == 'm' else 'қызы'}"
    if language == "az":
        return f"{father} {'oğlu' if sex == 'm' else 'qızı'}"
    if language == "kg":
        return f"{father} {'уулу' if sex == 'm' else 'кызы'}"
    base = father
    if base.endswith(("й", "ь")):
        return base[:-1] + ("евич" if sex == "m" else "евна")
    return base + ("ович" if sex == "m" else "овна")


def _random_dob(rng: random.Random) -> str:
    return f"{rng.randint(1950, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _full_name(person: Person, with_patronymic: bool, surname_first: bool) -> str:
    parts = [person.given]
    if with_patronymic:
        parts.append(_patronymic(person.father, person.sex, person.language))
    return " ".join([person.surname, *parts] if surname_first else [*parts, person.surname])


def _spell(rng: random.Random, person: Person, name: str) -> tuple[str, str]:
    """One written form of a name, and the system that produced it."""
    if person.language == "az":
        system = rng.choice(["native", "ascii", "russian-cyrillic", *RUSSIAN_SYSTEMS])
        if system == "native":
            return name, system
        if system == "ascii":
            return azerbaijani_to_ascii(name), system
        cyrillic = azerbaijani_to_russian(name)
        return (cyrillic, system) if system == "russian-cyrillic" else (romanise(cyrillic, system), system)
    systems = ["native", "russified", *RUSSIAN_SYSTEMS]
    if person.language in ("uz", "kz", "tm", "tj"):
        systems += ["national-latin"] * 3
    system = rng.choice(systems)
    if system == "native":
        return name, system
    if system == "russified":
        return russify(name), system
    if system == "national-latin":
        spelled = national_latin(name, person.language)
        if person.language == "uz" and rng.random() < 0.5:
            # Uzbek oʻ/gʻ are typed with whatever apostrophe is at hand, or none.
            spelled = spelled.replace("ʻ", rng.choice(["'", "`", "’", "‘", ""]))
        return spelled, system
    return romanise(name, system), system


def _rendering(rng: random.Random, person: Person) -> str:
    with_patronymic = rng.random() < 0.5
    surname_first = rng.random() < 0.4
    name, _ = _spell(rng, person, _full_name(person, with_patronymic, surname_first))
    if surname_first and rng.random() < 0.3:
        first, _, rest = name.partition(" ")
        name = f"{first}, {rest}"
    return _case(rng, name)


def _dob_view(rng: random.Random, dob: str) -> str:
    roll = rng.random()
    if roll < 0.25:
        return ""
    if roll < 0.5:
        return dob[:4]
    if roll < 0.55:
        year, month, day = dob.split("-")
        return f"{year}-{day}-{month}" if int(day) <= 12 else dob
    return dob


def _people(
    rng: random.Random, pools: dict[str, dict[str, list[str]]], language: str, count: int
) -> list[Person]:
    pool = pools[language]
    people = []
    for _ in range(count):
        sex = "m" if rng.random() < 0.75 else "f"
        given = rng.choice(pool["male" if sex == "m" else "female"])
        surname = rng.choice(pool["surnames"])
        if sex == "f":
            surname = _female_surname(surname)
        people.append(Person(language, given, surname, rng.choice(pool["male"]), sex, _random_dob(rng)))
    return people


def generated_pairs(rng: random.Random, per_language: int = 120) -> Iterator[Pair]:
    pools = tomllib.loads((HERE / "pools.toml").read_text(encoding="utf-8"))
    near_surnames = {a: b for a, b in pools["near_surnames"]["pairs"]} | {
        b: a for a, b in pools["near_surnames"]["pairs"]
    }
    near_given = {a: b for a, b in pools["near_surnames"]["near_given"]} | {
        b: a for a, b in pools["near_surnames"]["near_given"]
    }
    languages = [name for name in pools if name != "near_surnames"]
    for language in languages:
        for number, person in enumerate(_people(rng, pools, language, per_language)):
            group = f"gen-{language}-{number}"
            for _ in range(3):
                left, right = _rendering(rng, person), _rendering(rng, person)
                yield Pair(
                    group,
                    f"generated-{language}",
                    "same person, other spelling",
                    left,
                    right,
                    _dob_view(rng, person.dob),
                    _dob_view(rng, person.dob),
                    True,
                )
            # Hard negatives, each about the same family.
            male_given = pools[language]["male" if person.sex == "m" else "female"]
            sibling = Person(
                language,
                rng.choice([g for g in male_given if g != person.given]),
                person.surname,
                person.father,
                person.sex,
                _random_dob(rng),
            )
            yield Pair(
                group,
                f"generated-{language}",
                "sibling (other given name)",
                _rendering(rng, person),
                _rendering(rng, sibling),
                _dob_view(rng, person.dob),
                _dob_view(rng, sibling.dob),
                False,
            )
            base_surname = (
                person.surname[:-1] if person.sex == "f" and person.surname[-1] in "аa" else person.surname
            )
            if base_surname in near_surnames:
                other_surname = near_surnames[base_surname]
                if person.sex == "f":
                    other_surname = _female_surname(other_surname)
                near = Person(
                    language, person.given, other_surname, person.father, person.sex, _random_dob(rng)
                )
                yield Pair(
                    group,
                    f"generated-{language}",
                    "other family, surname one letter apart",
                    _rendering(rng, person),
                    _rendering(rng, near),
                    "",
                    "",
                    False,
                )
            if person.given in near_given:
                near = Person(
                    language,
                    near_given[person.given],
                    person.surname,
                    person.father,
                    person.sex,
                    _random_dob(rng),
                )
                yield Pair(
                    group,
                    f"generated-{language}",
                    "given names one letter apart",
                    _rendering(rng, person),
                    _rendering(rng, near),
                    "",
                    "",
                    False,
                )
            year = int(person.dob[:4])
            other_year = year + rng.choice([-1, 1]) * rng.randint(3, 25)
            namesake_dob = f"{other_year}{person.dob[4:]}"
            yield Pair(
                group,
                f"generated-{language}",
                "namesake (same name, other date of birth)",
                _rendering(rng, person),
                _rendering(rng, person),
                person.dob,
                namesake_dob,
                False,
            )
            other_father = rng.choice([g for g in pools[language]["male"] if g != person.father])
            cousin = Person(
                language, person.given, person.surname, other_father, person.sex, _random_dob(rng)
            )
            left = _spell(rng, person, _full_name(person, True, rng.random() < 0.5))[0]
            right = _spell(rng, cousin, _full_name(cousin, True, rng.random() < 0.5))[0]
            yield Pair(
                group, f"generated-{language}", "namesake with another father", left, right, "", "", False
            )
            if person.sex == "m" and person.surname != _female_surname(person.surname):
                relative = Person(
                    language,
                    rng.choice(pools[language]["female"]),
                    _female_surname(person.surname),
                    person.father,
                    "f",
                    _random_dob(rng),
                )
                yield Pair(
                    group,
                    f"generated-{language}",
                    "relative of the other sex",
                    _rendering(rng, person),
                    _rendering(rng, relative),
                    "",
                    "",
                    False,
                )


def build(seed: int = 20261127) -> list[Pair]:
    rng = random.Random(seed)
    pairs: list[Pair] = []
    for source in (putin_pairs, opensanctions_pairs, sigpwned_pairs, generated_pairs):
        pairs.extend(source(rng))
    # A generator of its own, so that adding these left every earlier pair as it was.
    pairs.extend(other_script_pairs(random.Random(seed + 1)))
    return [Pair(**{**asdict(pair), "split": split_of(pair.group)}) for pair in pairs]


def write(pairs: list[Pair], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(
            stream, fieldnames=list(Pair.__dataclass_fields__), delimiter="\t", lineterminator="\n"
        )
        writer.writeheader()
        for pair in pairs:
            writer.writerow({**asdict(pair), "label": "true" if pair.label else "false"})


if __name__ == "__main__":
    import collections
    import sys

    built = build()
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/tmp/shelter-names-eval.tsv")
    write(built, target)
    print(len(built), "pairs ->", target)
    print(collections.Counter((p.source, p.label, p.split) for p in built))
