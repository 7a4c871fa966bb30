"""Synthetic screening data: a registry of people and notice-style queries with planted true matches.

Names come from ``pools.toml`` and the native-script lists in ``../shared/data/names_by_country_sigpwned``
(when present), drawn with Zipf-like weights so that common names are very common, as in real
registries. Registry names are Cyrillic or romanised, with patronymics and dates of birth; queries
are written the way Interpol notices write them ("SURNAME GIVEN", Latin, upper case).

A share of the people (``SCRIPT_SHARES``) have Arabic, Persian, Uyghur, Kurdish, Pashto or Dari names
(``script_pools.toml``: Arabic script, Latin forms, and for Uyghur the Chinese characters of PRC
documents) or Chinese names
(characters of names_by_country_sigpwned's China lists, given names also recombined from their
characters; Taiwan's lists, with their Wade-Giles given names). The registry writes them in their own script, in characters (Uyghur ones with the
interpunct ·) or in a Latin spelling; notices write them in a Latin spelling or, for Chinese and some
Uyghur names, in pinyin. ``planted.csv`` says for each planted pair which scripts meet
(``script``: registry script/notice script) and the name's language, so recall can be read per script
(``bench/names/script_recall.py``).
"""

from __future__ import annotations

import csv
import itertools
import random
import tomllib
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pypinyin import lazy_pinyin
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


# Share of the registry (and of the unplanted queries) per language written in another script.
SCRIPT_SHARES = {
    "arabic": 0.04,
    "persian": 0.02,
    "uyghur": 0.03,
    "chinese": 0.03,
    "kurdish": 0.01,
    "pashto": 0.01,
    "dari": 0.01,
    "taiwanese": 0.01,
}

Entry = tuple[str, ...]  # native form, Latin forms..., "zh:" + Chinese characters (script_pools.toml)


@dataclass(frozen=True)
class ScriptPool:
    language: str
    given: list[Entry]
    surnames: list[Entry]


def _pinyin(han: str) -> str:
    return "".join(lazy_pinyin(han)).capitalize()


def _chinese_pool() -> ScriptPool | None:
    """China's commonest surnames and given names (characters; pinyin from pypinyin), given names also
    recombined from their characters: a Chinese given name is chosen character by character."""
    folder = SHARED_DATA / "names_by_country_sigpwned"
    if not folder.exists():
        return None
    lists: dict[str, list[str]] = {"forenames": [], "surnames": []}
    for kind in lists:
        with (folder / f"common-{kind}-by-country.csv").open(encoding="utf-8-sig") as stream:
            for row in csv.DictReader(stream):
                native = row["Localized Name"]
                if row["Country"] == "CN" and native and not native.isascii() and native not in lists[kind]:
                    lists[kind].append(native)
    characters = list(dict.fromkeys(char for name in lists["forenames"] for char in name))
    given = lists["forenames"] + [
        first + second for first in characters for second in characters if first != second
    ]
    given = list(dict.fromkeys(given))
    return ScriptPool(
        "chinese",
        [(name, _pinyin(name)) for name in given],
        [(name, _pinyin(name)) for name in lists["surnames"]],
    )


def _strip_tones(text: str) -> str:
    return "".join(char for char in unicodedata.normalize("NFD", text) if not unicodedata.combining(char))


def _taiwanese_pool() -> ScriptPool | None:
    """Taiwan's commonest given names (characters with their Wade-Giles spelling, Shu-fen) and
    surnames (characters with the spelling the list gives)."""
    folder = SHARED_DATA / "names_by_country_sigpwned"
    if not folder.exists():
        return None
    lists: dict[str, list[Entry]] = {"forenames": [], "surnames": []}
    for kind in lists:
        with (folder / f"common-{kind}-by-country.csv").open(encoding="utf-8-sig") as stream:
            for row in csv.DictReader(stream):
                native, latin = row["Localized Name"], _strip_tones(row["Romanized Name"])
                if row["Country"] == "TW" and native and latin and not native.isascii():
                    lists[kind].append((native, latin))
    return ScriptPool("taiwanese", lists["forenames"], lists["surnames"])


def load_script_pools() -> list[ScriptPool]:
    data = tomllib.loads((HERE / "script_pools.toml").read_text(encoding="utf-8"))
    pools = [
        ScriptPool(
            language,
            [tuple(entry) for entry in data[language]["given"]],
            [tuple(entry) for entry in data[language]["surname"]]
            # Uyghur surnames are fathers' given names.
            + ([tuple(entry) for entry in data[language]["given"]] if language == "uyghur" else []),
        )
        for language in ("arabic", "persian", "uyghur", "kurdish", "pashto", "dari")
    ]
    chinese = [pool for pool in (_chinese_pool(), _taiwanese_pool()) if pool is not None]
    return pools + chinese


def _zipf_index(rng: random.Random, count: int) -> int:
    # Weight 1/(rank + 3): the commonest name of a list is about one person in ten, as the
    # commonest given names are (the commonest surnames are rarer: Ivanov is about 1 %).
    weights = _ZIPF_WEIGHTS.get(count)
    if weights is None:
        weights = _ZIPF_WEIGHTS[count] = list(itertools.accumulate(1 / (rank + 3) for rank in range(1, count + 1)))
    return rng.choices(_POSITIONS[:count], cum_weights=weights)[0]


def _zipf_choice(rng: random.Random, items: list[str]) -> str:
    return items[_zipf_index(rng, len(items))]


_POSITIONS = range(1 << 20)
_ZIPF_WEIGHTS: dict[int, list[float]] = {}


@dataclass(frozen=True)
class Person:
    pool: Pool
    sex: str
    given: str
    father: str
    surname: str
    dob: str


@dataclass(frozen=True)
class ScriptPerson:
    pool: ScriptPool
    given: Entry
    father: Entry
    surname: Entry
    dob: str


def _latin_forms(entry: Entry) -> list[str]:
    return [form for form in entry[1:] if not form.startswith("zh:")]


def _han(entry: Entry) -> str | None:
    return next((form[3:] for form in entry if form.startswith("zh:")), None)


def _random_dob(rng: random.Random) -> str:
    roll = rng.random()
    year = rng.randint(1940, 2006)
    return (
        f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        if roll < 0.75
        else str(year)
        if roll < 0.92
        else ""
    )


def _entry_choice(rng: random.Random, entries: list[Entry]) -> Entry:
    return entries[_zipf_index(rng, len(entries))]


def random_script_person(rng: random.Random, pool: ScriptPool) -> ScriptPerson:
    given = _entry_choice(rng, pool.given)
    surname = _entry_choice(rng, [entry for entry in pool.surnames if entry[0] != given[0]] or pool.surnames)
    return ScriptPerson(pool, given, _entry_choice(rng, pool.given), surname, _random_dob(rng))


def random_any(
    rng: random.Random, pools: list[Pool], script_pools: list[ScriptPool]
) -> Person | ScriptPerson:
    roll = rng.random()
    for pool in script_pools:
        roll -= SCRIPT_SHARES[pool.language]
        if roll < 0:
            return random_script_person(rng, pool)
    return random_person(rng, pools)


def random_person(rng: random.Random, pools: list[Pool]) -> Person:
    pool = rng.choice(pools)
    sex = "m" if rng.random() < 0.7 else "f"
    given = _zipf_choice(rng, pool.male if sex == "m" else pool.female)
    surname = _zipf_choice(rng, pool.surnames)
    if sex == "f" and surname.endswith(("ов", "ев", "ин", "ov", "ev", "in")):
        surname += "а" if surname[-1] in "вн" else "a"
    return Person(pool, sex, given, _zipf_choice(rng, pool.male), surname, _random_dob(rng))


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


def script_registry_name(rng: random.Random, person: ScriptPerson) -> tuple[str, str]:
    """The name as a registry would hold it, and its script ("Arabic", "Han" or "Latin")."""
    language = person.pool.language
    if language == "taiwanese":
        if rng.random() < 0.7:
            return f"{person.surname[0]}{person.given[0]}", "Han"
        return f"{person.given[1]} {person.surname[1]}", "Latin"
    if language == "chinese":
        if rng.random() < 0.6:
            return f"{person.surname[0]}{person.given[0]}", "Han"
        given, surname = person.given[1], person.surname[1]
        return (f"{given} {surname}" if rng.random() < 0.5 else f"{surname} {given}"), "Latin"
    roll = rng.random()
    given_han, surname_han = _han(person.given), _han(person.surname)
    if language == "uyghur" and given_han and surname_han and roll < 0.25:
        return f"{given_han}·{surname_han}", "Han"
    # Arabic names often carry the father's name between the given name and the family name.
    with_father = language == "arabic" and rng.random() < 0.4
    if roll < 0.6:
        words = [person.given[0], *([person.father[0]] if with_father else []), person.surname[0]]
        return " ".join(words), "Arabic"
    words = [
        rng.choice(_latin_forms(entry))
        for entry in (person.given, *([person.father] if with_father else []), person.surname)
    ]
    return " ".join(words), "Latin"


def script_notice_name(rng: random.Random, person: ScriptPerson) -> tuple[str, str]:
    """"SURNAME GIVEN" as a notice writes it, and its script ("Latin" or "pinyin")."""
    if person.pool.language == "chinese":
        return f"{person.surname[1]} {person.given[1]}".upper(), "pinyin"
    if person.pool.language == "taiwanese":
        # A Taiwanese passport's Wade-Giles given name, hyphenated (CHEN SHU-FEN).
        return f"{person.surname[1]} {person.given[1]}".upper(), "Wade-Giles"
    given_han, surname_han = _han(person.given), _han(person.surname)
    if given_han and surname_han and rng.random() < 0.3:
        # A notice issued from China spells a Uyghur name in the pinyin of its characters.
        return f"{_pinyin(surname_han)} {_pinyin(given_han)}".upper(), "pinyin"
    return f"{rng.choice(_latin_forms(person.surname))} {rng.choice(_latin_forms(person.given))}".upper(), "Latin"


def _cyrillic_or_latin(name: str) -> str:
    return "Cyrillic" if any("\u0400" <= char <= "\u04ff" for char in name) else "Latin"


def generate(registry_size: int, query_count: int, planted_share: float, seed: int, folder: Path) -> Path:
    """Write registry.csv, queries.csv and planted.csv (query_id, registry_id) into folder."""
    from shelter.progress import track

    rng = random.Random(seed)
    pools = load_pools()
    script_pools = load_script_pools()
    folder.mkdir(parents=True, exist_ok=True)
    people: list[Person | ScriptPerson] = []
    scripts: list[str] = []  # the script of each registry name
    with (folder / "registry.csv").open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["id", "name", "dob", "country"])
        for number in track(range(registry_size), "generating the registry"):
            person = random_any(rng, pools, script_pools)
            if isinstance(person, ScriptPerson):
                name, script = script_registry_name(rng, person)
            else:
                name = registry_name(rng, person)
                script = _cyrillic_or_latin(name)
            people.append(person)
            scripts.append(script)
            writer.writerow([f"R{number}", name, person.dob, ""])
    with (
        (folder / "queries.csv").open("w", newline="", encoding="utf-8") as queries,
        (folder / "planted.csv").open("w", newline="", encoding="utf-8") as planted,
    ):
        query_writer, planted_writer = csv.writer(queries), csv.writer(planted)
        query_writer.writerow(["id", "name", "dob", "country"])
        # script: the registry name's script / the notice's ("Arabic/Latin", "Han/pinyin" ...).
        planted_writer.writerow(["query_id", "registry_id", "script", "language"])
        for number in track(range(query_count), "generating queries"):
            planted = rng.random() < planted_share
            if planted:
                index = rng.randrange(registry_size)
                person = people[index]
            else:
                person = random_any(rng, pools, script_pools)
            if isinstance(person, ScriptPerson):
                name, notice_script = script_notice_name(rng, person)
                language = person.pool.language
            else:
                name, notice_script, language = notice_name(rng, person), "Latin", person.pool.language
            if planted:
                planted_writer.writerow([f"Q{number}", f"R{index}", f"{scripts[index]}/{notice_script}", language])
            # Notices give the full date when the registry has one, else the year, or nothing.
            query_writer.writerow([f"Q{number}", name, person.dob, ""])
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
