"""The demo catalogue: the name parts, places, organisations and tactic facts in ``data/``, loaded and checked."""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).with_name("data")
TITLE_PLACEHOLDERS = {"target", "origin", "host", "city", "agency"}


class DemoDataError(ValueError):
    """The demo data files are malformed; the message names the file and the entry."""



@dataclass(frozen=True)
class NamePart:
    native: str
    latin: str


@dataclass(frozen=True)
class FeminineRule:
    native_endings: tuple[str, ...]
    native_suffix: str
    latin_endings: tuple[str, ...]
    latin_suffix: str

    def apply(self, part: NamePart) -> NamePart:
        native = part.native + self.native_suffix if part.native.endswith(self.native_endings) else part.native
        latin = part.latin + self.latin_suffix if part.latin.endswith(self.latin_endings) else part.latin
        return NamePart(native, latin)


@dataclass(frozen=True)
class OriginNames:
    code: str
    language: str
    native_is_latin: bool
    feminine: FeminineRule | None
    male: tuple[NamePart, ...]
    female: tuple[NamePart, ...]
    surnames: tuple[NamePart, ...]
    patronymics: tuple[NamePart, ...] = ()
    patronymics_female: tuple[NamePart, ...] = ()


@dataclass(frozen=True)
class DemoCatalogue:
    origins: dict[str, OriginNames]
    hosts: dict[str, tuple[str, ...]]
    diaspora: dict[str, tuple[str, ...]]
    state_organisations: tuple[dict[str, str], ...]
    movements: dict[str, str]
    organisations: tuple[dict[str, Any], ...]
    publishers: dict[str, tuple[str, ...]]
    titles: dict[str, tuple[str, ...]]
    acting_body: dict[str, str]  # tactic -> "prosecutor" or "embassy" (others: the security service)
    in_origin_state: frozenset[str]
    outcomes: dict[str, tuple[str, ...]]
    default_outcomes: tuple[str, ...]
    descriptions: dict[str, str]  # tactic category -> description


def _parts(raw: list[list[str]], where: str) -> tuple[NamePart, ...]:
    parts = []
    for entry in raw:
        if not (isinstance(entry, list) and len(entry) == 2 and all(isinstance(p, str) and p for p in entry)):
            raise DemoDataError(f"{where}: {entry!r} is not a [native, latin] pair")
        parts.append(NamePart(entry[0], entry[1]))
    if not parts:
        raise DemoDataError(f"{where}: empty list")
    return tuple(parts)


def _origin(code: str, raw: dict[str, Any]) -> OriginNames:
    where = f"people.yaml: origins.{code}"
    rule = raw.get("feminine")
    feminine = None
    if rule is not None:
        feminine = FeminineRule(tuple(rule["native"]), rule["add_native"], tuple(rule["latin"]), rule["add_latin"])
    return OriginNames(
        code=code, language=raw["language"], native_is_latin=bool(raw.get("native_is_latin", False)),
        feminine=feminine, male=_parts(raw["male"], f"{where}.male"), female=_parts(raw["female"], f"{where}.female"),
        surnames=_parts(raw["surnames"], f"{where}.surnames"),
        patronymics=_parts(raw["patronymics"], f"{where}.patronymics") if "patronymics" in raw else (),
        patronymics_female=(_parts(raw["patronymics_female"], f"{where}.patronymics_female")
                            if "patronymics_female" in raw else ()),
    )


def _check_titles(titles: dict[str, tuple[str, ...]]) -> None:
    from shelter.incidents.taxonomy import taxonomy

    codes = set(taxonomy().codes)
    missing, unknown = codes - set(titles), set(titles) - codes
    if missing or unknown:
        raise DemoDataError(f"workspace.yaml: titles must cover exactly the taxonomy; missing {sorted(missing)}, "
                            f"unknown {sorted(unknown)}")
    for code, templates in titles.items():
        for template in templates:
            used = {name for _, name, _, _ in string.Formatter().parse(template) if name}
            if not used <= TITLE_PLACEHOLDERS:
                raise DemoDataError(f"workspace.yaml: titles.{code}: unknown placeholder(s) "
                                    f"{sorted(used - TITLE_PLACEHOLDERS)} in {template!r}")


def _check_tactic_facts(catalogue: DemoCatalogue) -> None:
    """Every tactic named by the workspace's facts is in the taxonomy, and every category is described."""
    from shelter.incidents.taxonomy import taxonomy

    codes = set(taxonomy().codes)
    named = set(catalogue.acting_body) | catalogue.in_origin_state | set(catalogue.outcomes)
    if named - codes:
        raise DemoDataError(f"workspace.yaml: unknown tactic(s) {sorted(named - codes)}")
    undescribed = {tactic.category for tactic in taxonomy().tactics} - set(catalogue.descriptions)
    if undescribed:
        raise DemoDataError(f"workspace.yaml: descriptions missing for {sorted(undescribed)}")


def _check_countries(catalogue: DemoCatalogue) -> None:
    from shelter.countries import UnknownCountryError, country_code

    codes = [*catalogue.origins, *catalogue.hosts, *(o["country"] for o in catalogue.organisations)]
    for code in codes:
        try:
            if country_code(code) != code:
                raise DemoDataError(f"demo data: '{code}' is not an ISO 3166-1 alpha-2 code")
        except UnknownCountryError as error:
            raise DemoDataError(f"demo data: {error}") from error
    for origin, hosts in catalogue.diaspora.items():
        if origin not in catalogue.origins:
            raise DemoDataError(f"workspace.yaml: diaspora.{origin}: no name parts for this origin in people.yaml")
        for host in hosts:
            if host not in catalogue.hosts:
                raise DemoDataError(f"workspace.yaml: diaspora.{origin}: host {host} has no cities under hosts")
    for origin in catalogue.origins:
        if origin not in catalogue.diaspora or origin not in catalogue.movements:
            raise DemoDataError(f"workspace.yaml: origin {origin} needs a diaspora list and a movement")


@lru_cache(maxsize=1)
def load_catalogue(data_dir: Path = DATA_DIR) -> DemoCatalogue:
    people = yaml.safe_load((data_dir / "people.yaml").read_text(encoding="utf-8"))
    shape = yaml.safe_load((data_dir / "workspace.yaml").read_text(encoding="utf-8"))
    try:
        catalogue = DemoCatalogue(
            origins={code: _origin(code, raw) for code, raw in people["origins"].items()},
            hosts={code: tuple(cities) for code, cities in shape["hosts"].items()},
            diaspora={code: tuple(hosts) for code, hosts in shape["diaspora"].items()},
            state_organisations=tuple(shape["state_organisations"]),
            movements=dict(shape["movements"]),
            organisations=tuple(shape["organisations"]),
            publishers={kind: tuple(names) for kind, names in shape["publishers"].items()},
            titles={code: tuple(templates) for code, templates in shape["titles"].items()},
            acting_body={code: body for body, codes in shape["acting_body"].items() for code in codes},
            in_origin_state=frozenset(shape["in_origin_state"]),
            outcomes={code: tuple(outcomes) for code, outcomes in shape["outcomes"].items()},
            default_outcomes=tuple(shape["default_outcomes"]),
            descriptions=dict(shape["descriptions"]),
        )
    except KeyError as error:
        raise DemoDataError(f"demo data: missing key {error}") from error
    _check_titles(catalogue.titles)
    _check_tactic_facts(catalogue)
    _check_countries(catalogue)
    return catalogue

