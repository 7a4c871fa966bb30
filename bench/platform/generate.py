"""Seeded synthetic data for the platform benchmark: an incidents CSV in the documented import format, and
people with names in Cyrillic and Latin. Fictional combinations of common name parts; nothing real."""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

TACTICS = ("detention", "red_notice", "threats_to_relatives", "phishing", "surveillance", "assault",
           "extradition_request", "spyware", "doxxing", "unlawful_deportation", "trial_in_absentia", "rendition")
ORIGINS = ("RU", "BY", "TJ", "UZ", "KZ", "TM", "AZ", "CN", "EG", "TR")
HOSTS = ("DE", "FR", "AT", "PL", "LT", "LV", "GE", "TR", "CZ", "NL", "SE", "FI", "GB", "US", "AE", "RU", "KZ", "UA")
CITIES = ("Berlin", "Paris", "Vienna", "Warsaw", "Vilnius", "Riga", "Tbilisi", "Istanbul", "Prague", "Amsterdam",
          "Stockholm", "Helsinki", "London", "New York", "Dubai", "Moscow", "Almaty", "Kyiv")
# [Cyrillic, Latin]; surnames double as search words in the latency test
GIVEN = (("Алексей", "Aleksei"), ("Дилшод", "Dilshod"), ("Ерлан", "Erlan"), ("Умед", "Umed"), ("Анна", "Anna"),
         ("Нодира", "Nodira"), ("Руслан", "Ruslan"), ("Мурат", "Murat"), ("Ислам", "Islam"), ("Гулнора", "Gulnora"),
         ("Павел", "Pavel"), ("Шавкат", "Shavkat"), ("Динара", "Dinara"), ("Фаррух", "Farrukh"))
SURNAMES = tuple(
    (cyr + suffix_cyr, lat + suffix_lat)
    for cyr, lat in (("Назар", "Nazar"), ("Рахим", "Rahim"), ("Саид", "Said"), ("Курбан", "Kurban"),
                     ("Шарип", "Sharip"), ("Карим", "Karim"), ("Юсуп", "Yusup"), ("Эргаш", "Ergash"),
                     ("Тошмат", "Toshmat"), ("Холмат", "Kholmat"), ("Абен", "Aben"), ("Омар", "Omar"),
                     ("Нургали", "Nurgali"), ("Ворон", "Voron"), ("Сокол", "Sokol"), ("Лебед", "Lebed"),
                     ("Исма", "Isma"), ("Муса", "Musa"), ("Абдула", "Abdula"), ("Бекмурад", "Bekmurad"))
    for suffix_cyr, suffix_lat in (("ов", "ov"), ("ев", "ev"), ("бек", "bek"), ("заде", "zade"), ("ин", "in"))
)
LEVELS = (("public", "yes", ""), ("public", "no", ""), ("internal", "no", ""), ("confidential", "no", "bench-a"),
          ("confidential", "no", "bench-b"))
LEVEL_WEIGHTS = (30, 10, 35, 15, 10)
TEAMS = ("bench-a", "bench-b")


def search_words() -> list[str]:
    """The Latin surnames: each appears in about 1% of incident titles and people's names."""
    return [latin for _, latin in SURNAMES]


def write_incidents_csv(path: Path, count: int, seed: int = 11) -> None:
    from shelter.progress import track

    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["title", "date", "tactic", "origin_state", "host_country", "place", "confidentiality",
                         "published", "teams", "verification", "description"])
        for _ in track(range(count), "generating incidents"):
            given, surname = rng.choice(GIVEN), rng.choice(SURNAMES)
            tactic, city = rng.choice(TACTICS), rng.choice(CITIES)
            level, published, team = rng.choices(LEVELS, weights=LEVEL_WEIGHTS)[0]
            year, month, day = rng.randint(2014, 2026), rng.randint(1, 12), rng.randint(1, 28)
            date = rng.choice((f"{year}-{month:02d}-{day:02d}", f"{year}-{month:02d}", f"{year}"))
            writer.writerow([
                f"{tactic.replace('_', ' ').capitalize()}: {given[1]} {surname[1]} in {city}", date, tactic,
                rng.choice(ORIGINS), rng.choice(HOSTS), city, level, published, team,
                rng.choice(("unverified", "partially_verified", "verified")),
                f"Synthetic benchmark record about {given[0]} {surname[0]}, {city}.",
            ])


@dataclass(frozen=True)
class SyntheticPerson:
    primary_name: str
    cyrillic_name: str
    nationality: str
    residence: str
    confidentiality: str
    published: bool
    team: str


def people(count: int, seed: int = 12) -> Iterator[SyntheticPerson]:
    from shelter.progress import track

    rng = random.Random(seed)
    for _ in track(range(count), "generating people"):
        given, surname = rng.choice(GIVEN), rng.choice(SURNAMES)
        level, published, team = rng.choices(LEVELS, weights=LEVEL_WEIGHTS)[0]
        yield SyntheticPerson(f"{given[1]} {surname[1]}", f"{given[0]} {surname[0]}", rng.choice(ORIGINS),
                              rng.choice(HOSTS), level, published == "yes", team)
