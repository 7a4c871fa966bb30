"""Synthetic screening data: a registry of people and notice-style queries with planted true matches.

Names come from ``pools.toml`` and the native-script lists in ``../shared/data/names_by_country_sigpwned``
(when present), drawn with Zipf-like weights so that common names are very common, as in real
registries. Registry names are Cyrillic or romanised, with patronymics and dates of birth; queries
are written the way Interpol notices write them ("SURNAME GIVEN", Latin, upper case).
"""

from __future__ import annotations

import csv
import itertools
import random
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from romanise import RUSSIAN_SYSTEMS, azerbaijani_to_ascii, azerbaijani_to_russian, national_latin, romanise

HERE = Path(__file__).resolve().parent
SHARED_DATA = HERE.parents[1] / ".." / "shared" / "data"
_PATRONYMIC_LANGUAGES = {"ru", "tj", "tm", "kg", "uz", "kz", "by", "ua"}


@dataclass(frozen=True)
class Pool:
    language: str
    male: list[str]
    female: list[str]
    surnames: list[str]


def load_pools() -> list[Pool]:
    data = tomllib.loads((HERE / "pools.toml").read_text(encoding="utf-8"))
    pools = {
        language: Pool(language, list(entry["male"]), list(entry["female"]), list(entry["surnames"]))
        for language, entry in data.items()
        if language != "near_surnames"
    }
    folder = SHARED_DATA / "names_by_country_sigpwned"
    if folder.exists():
        for country, language in (("RU", "ru"), ("KZ", "kz"), ("KG", "kg")):
            with (folder / "common-forenames-by-country.csv").open(encoding="utf-8-sig") as stream:
                for row in csv.DictReader(stream):
                    name = row["Localized Name"].replace("\u0301", "")
                    if row["Country"] == country and name and any("а" <= c <= "я" for c in name.lower()):
                        target = pools[language].male if row["Gender"] == "M" else pools[language].female
                        if name not in target:
                            target.append(name)
            with (folder / "common-surnames-by-country.csv").open(encoding="utf-8-sig") as stream:
                for row in csv.DictReader(stream):
                    name = row["Localized Name"]
                    new = name not in pools[language].surnames
                    if row["Country"] == country and name.endswith(("ов", "ев", "ин")) and new:
                        pools[language].surnames.append(name)
    return list(pools.values())


def _zipf_choice(rng: random.Random, items: list[str]) -> str:
    # Weight 1/(rank + 3): the commonest name of a list is about one person in ten, as the
    # commonest given names are (the commonest surnames are rarer: Ivanov is about 1 %).
    weights = _ZIPF_WEIGHTS.get(len(items))
    if weights is None:
        weights = _ZIPF_WEIGHTS[len(items)] = list(
            itertools.accumulate(1 / (rank + 3) for rank in range(1, len(items) + 1))
        )
    return rng.choices(items, cum_weights=weights)[0]


_ZIPF_WEIGHTS: dict[int, list[float]] = {}


@dataclass(frozen=True)
class Person:
    pool: Pool
    sex: str
    given: str
    father: str
    surname: str
    dob: str


def random_person(rng: random.Random, pools: list[Pool]) -> Person:
    pool = rng.choice(pools)
    sex = "m" if rng.random() < 0.7 else "f"
    given = _zipf_choice(rng, pool.male if sex == "m" else pool.female)
    surname = _zipf_choice(rng, pool.surnames)
    if sex == "f" and surname.endswith(("ов", "ев", "ин", "ov", "ev", "in")):
        surname += "а" if surname[-1] in "вн" else "a"
    roll = rng.random()
    year = rng.randint(1940, 2006)
    dob = (
        f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        if roll < 0.75
        else str(year)
        if roll < 0.92
        else ""
    )
    return Person(pool, sex, given, _zipf_choice(rng, pool.male), surname, dob)


def _patronymic(person: Person) -> str:
    father = person.father
    if person.pool.language == "az":
        return f"{father} {'oğlu' if person.sex == 'm' else 'qızı'}"
    if person.pool.language == "uz" and father[-1] not in "йь":
        return f"{father} {'ўғли' if person.sex == 'm' else 'қизи'}"
    stem = father[:-1] if father.endswith(("й", "ь")) else father
    return (
        stem + ("евич" if father.endswith(("й", "ь")) else "ович")
        if person.sex == "m"
        else stem + ("евна" if father.endswith(("й", "ь")) else "овна")
    )


def _written(rng: random.Random, person: Person, native: str) -> str:
    language = person.pool.language
    if language == "az":
        roll = rng.random()
        return (
            native
            if roll < 0.4
            else azerbaijani_to_russian(native)
            if roll < 0.7
            else azerbaijani_to_ascii(native)
        )
    if rng.random() < 0.5:
        return native
    if language in ("uz", "kz", "tm", "tj") and rng.random() < 0.4:
        return national_latin(native, language)
    return romanise(native, rng.choice(RUSSIAN_SYSTEMS))


def registry_name(rng: random.Random, person: Person) -> str:
    parts = [person.surname, person.given]
    if rng.random() < 0.6:
        parts.append(_patronymic(person))
    if rng.random() < 0.5:
        parts = parts[1:2] + parts[2:] + parts[:1]
    return _written(rng, person, " ".join(parts)).title()


def notice_name(rng: random.Random, person: Person) -> str:
    """ "SURNAME GIVEN" in a Latin spelling, as Interpol notices write names."""
    native = f"{person.surname} {person.given}"
    language = person.pool.language
    if language == "az":
        return azerbaijani_to_ascii(native).upper()
    if language in ("uz", "kz", "tm", "tj") and rng.random() < 0.4:
        return national_latin(native, language).upper()
    return romanise(native, rng.choice(RUSSIAN_SYSTEMS)).upper()


def generate(registry_size: int, query_count: int, planted_share: float, seed: int, folder: Path) -> Path:
    """Write registry.csv, queries.csv and planted.csv (query_id, registry_id) into folder."""
    from shelter.progress import track

    rng = random.Random(seed)
    pools = load_pools()
    folder.mkdir(parents=True, exist_ok=True)
    people: list[Person] = []
    with (folder / "registry.csv").open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["id", "name", "dob", "country"])
        for number in track(range(registry_size), "generating the registry"):
            person = random_person(rng, pools)
            people.append(person)
            writer.writerow([f"R{number}", registry_name(rng, person), person.dob, ""])
    with (
        (folder / "queries.csv").open("w", newline="", encoding="utf-8") as queries,
        (folder / "planted.csv").open("w", newline="", encoding="utf-8") as planted,
    ):
        query_writer, planted_writer = csv.writer(queries), csv.writer(planted)
        query_writer.writerow(["id", "name", "dob", "country"])
        planted_writer.writerow(["query_id", "registry_id"])
        for number in track(range(query_count), "generating queries"):
            if rng.random() < planted_share:
                index = rng.randrange(registry_size)
                person = people[index]
                planted_writer.writerow([f"Q{number}", f"R{index}"])
            else:
                person = random_person(rng, pools)
            # Notices give the full date when the registry has one, else the year, or nothing.
            query_writer.writerow([f"Q{number}", notice_name(rng, person), person.dob, ""])
    return folder


def people_rows(path: Path) -> Iterator[list[str]]:
    with path.open(encoding="utf-8") as stream:
        reader = csv.reader(stream)
        next(reader)
        yield from reader


if __name__ == "__main__":
    import sys

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/shelter-names-speed")
    generate(int(sys.argv[2]) if len(sys.argv) > 2 else 100_000, 10_000, 0.5, 7, target)
    print("written to", target)
