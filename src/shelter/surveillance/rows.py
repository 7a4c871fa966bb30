"""Surveillance records as rows read from files, without Django: Shelter's own CSV and JSON layout, the readers
of public spyware-market datasets and the project's seed. The importer (``importing``) writes a :class:`Batch`
through the write path; nothing here touches the database.

Links between rows are by name (a product names its vendor, a deployment its product), so that a file made by a
person, a published dataset and Shelter's own export all read the same way. A row that cannot be used is a
:class:`~shelter.intake.Problem` naming the row and the field; the importer writes nothing when there is one.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import IO, Any

import yaml

from shelter.countries import UnknownCountryError, country_code
from shelter.intake import InputRefused, Problem, csv_rows, json_type_problem, parse_json

KINDS = ("vendors", "products", "deployments", "licences")
LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class SourceRef:
    title: str
    url: str = ""
    locator: str = ""
    publisher: str = ""


@dataclass(frozen=True)
class Row:
    kind: str  # one of KINDS
    where: str  # "row 3", "vendors[2]"
    values: dict[str, Any]
    sources: tuple[SourceRef, ...] = ()


@dataclass
class Batch:
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: int = 0  # rows of a dataset that are not vendors, products or transfers (investors, people)

    def of(self, kind: str) -> list[Row]:
        return [row for row in self.rows if row.kind == kind]

    def extend(self, other: Batch) -> None:
        self.rows.extend(other.rows)
        self.problems.extend(other.problems)
        self.skipped += other.skipped


# The columns of Shelter's own layout, per kind; list columns take values separated by ";".
COLUMNS: dict[str, tuple[str, ...]] = {
    "vendors": ("name", "aliases", "brands", "country", "parent", "description"),
    "products": ("vendor", "name", "aliases", "family", "capabilities", "control_entries", "no_control_entry",
                 "description"),
    "deployments": ("vendor", "product", "kind", "customer_state", "agency", "date", "end_date", "description"),
    "licences": ("exporting_state", "exporter", "product", "control_entry", "destination", "end_user", "decision",
                 "date", "description"),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "vendors": ("name",),
    "products": ("vendor", "name"),
    "deployments": ("product", "kind", "customer_state"),
    "licences": ("exporting_state", "destination", "decision"),
}
LISTS = frozenset({"aliases", "brands", "capabilities", "control_entries"})
COUNTRIES = frozenset({"country", "customer_state", "exporting_state", "destination"})
SOURCE_COLUMNS = ("source_title", "source_url", "source_locator")


def _country(value: str, where: str, name: str, problems: list[Problem]) -> str:
    if not value.strip():
        return ""
    try:
        return country_code(value)
    except UnknownCountryError as error:
        problems.append(Problem(where, name, str(error)))
        return ""


def _clean(kind: str, raw: Mapping[str, Any], where: str, problems: list[Problem]) -> dict[str, Any] | None:
    """The values of one row of ``kind`` in Shelter's layout, or None (with problems) when it cannot be used."""
    values: dict[str, Any] = {}
    before = len(problems)
    for name in COLUMNS[kind]:
        value = raw.get(name)
        if value is None or value == "":
            continue
        if name in LISTS:
            items = value if isinstance(value, list) else str(value).split(LIST_SEPARATOR)
            if not all(isinstance(item, str) for item in items):
                problems.append(Problem(where, name, "expected a list of texts"))
                continue
            values[name] = [item.strip() for item in items if item.strip()]
        elif name == "no_control_entry":
            values[name] = value is True or str(value).strip().casefold() in ("true", "yes", "1")
        elif not isinstance(value, str | int | float):
            problems.append(Problem(where, name, "expected a text"))
        elif name in COUNTRIES:
            values[name] = _country(str(value), where, name, problems)
        else:
            values[name] = str(value).strip()
    for name in REQUIRED[kind]:
        if not values.get(name) and not any(p.field == name for p in problems[before:]):
            problems.append(Problem(where, name, "is required"))
    if kind == "licences" and not values.get("product") and not values.get("control_entry"):
        problems.append(Problem(where, "product", "name the product or the control-list entry"))
    return values if len(problems) == before else None


def _sources(raw: Mapping[str, Any], where: str, problems: list[Problem]) -> tuple[SourceRef, ...]:
    listed = raw.get("sources")
    if listed is None:
        title = str(raw.get("source_title") or "").strip()
        url = str(raw.get("source_url") or "").strip()
        return (SourceRef(title or url, url, str(raw.get("source_locator") or "").strip()),) if title or url else ()
    if not isinstance(listed, list) or not all(isinstance(s, dict) for s in listed):
        problems.append(Problem(where, "sources", "expected a list of objects with 'title', 'url', 'locator'"))
        return ()
    refs = []
    for index, item in enumerate(listed):
        title, url = str(item.get("title") or "").strip(), str(item.get("url") or "").strip()
        if not title and not url:
            problems.append(Problem(where, f"sources[{index}]", "give a title or a URL"))
            continue
        refs.append(SourceRef(title or url, url, str(item.get("locator") or "").strip(),
                              str(item.get("publisher") or "").strip()))
    return tuple(refs)


def add_row(kind: str, raw: Mapping[str, Any], where: str, batch: Batch) -> None:
    values = _clean(kind, raw, where, batch.problems)
    sources = _sources(raw, where, batch.problems)
    if values is not None:
        batch.rows.append(Row(kind, where, values, sources))


def read_csv(kind: str, handle: IO[str], source: str = "the file") -> Batch:
    """One kind of record from a CSV file in Shelter's layout (the header names the columns)."""
    if kind not in KINDS:
        raise InputRefused(f"'{kind}' is not a kind of surveillance record ({', '.join(KINDS)})")
    batch = Batch()
    header: list[str] = []
    for number, cells in csv_rows(handle, source=source):
        if number == 1:
            header = [cell.strip().casefold() for cell in cells]
            known = set(COLUMNS[kind]) | set(SOURCE_COLUMNS) | {"id"}
            missing = [name for name in REQUIRED[kind] if name not in header]
            unknown = [name for name in header if name and name not in known]
            if missing or unknown:
                raise InputRefused(f"{source}: the header of a {kind} file needs the columns "
                                   f"{', '.join(REQUIRED[kind])} and may have {', '.join(COLUMNS[kind])}, "
                                   f"{', '.join(SOURCE_COLUMNS)}"
                                   + (f"; unknown: {', '.join(unknown)}" if unknown else ""))
            continue
        if not any(cell.strip() for cell in cells):
            continue
        add_row(kind, dict(zip(header, cells, strict=False)), f"row {number}", batch)
    return batch


def read_json(text: str | bytes, source: str = "the file") -> Batch:
    """Every kind from one JSON document ``{"vendors": [...], "products": [...], ...}`` (Shelter's export)."""
    document = parse_json(text, source)
    if not isinstance(document, dict) or not set(document) & set(KINDS):
        raise InputRefused(f"{source}: expected a JSON object with lists named {', '.join(KINDS)}")
    batch = Batch()
    for kind in KINDS:
        items = document.get(kind, [])
        problem = json_type_problem(items, list)
        if problem:
            batch.problems.append(Problem(kind, "", problem))
            continue
        for index, item in enumerate(items):
            where = f"{kind}[{index}]"
            if not isinstance(item, dict):
                batch.problems.append(Problem(where, "", "expected an object"))
                continue
            add_row(kind, item, where, batch)
    return batch


def write_csv(kind: str, items: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """Rows in Shelter's CSV layout (the import's), one string per line; ``items`` as ``importing`` gives them."""
    columns = ("id", *COLUMNS[kind], *SOURCE_COLUMNS)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for item in items:
        first = (item.get("sources") or [{}])[0]
        writer.writerow([
            LIST_SEPARATOR.join(item.get(c) or []) if c in LISTS
            else first.get(c.removeprefix("source_"), "") if c in SOURCE_COLUMNS
            else ("true" if item.get(c) is True else "" if item.get(c) in (None, False) else item.get(c))
            for c in columns])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.getvalue():
        yield buffer.getvalue()


# --------------------------------------------------------------------------------------------------------
# Public spyware-market datasets, each from a file the user supplies. The column layouts are assumed (see
# docs/surveillance.md): a header is matched by any of the names listed, case and spacing ignored.


def _find(header: list[str], names: tuple[str, ...]) -> int | None:
    wanted = {n.casefold().replace(" ", "").replace("_", "") for n in names}
    return next((i for i, h in enumerate(header) if h.casefold().replace(" ", "").replace("_", "") in wanted), None)


def _dataset_rows(handle: IO[str], source: str, columns: Mapping[str, tuple[str, ...]],
                  required: tuple[str, ...]) -> Iterator[tuple[str, dict[str, str]]]:
    positions: dict[str, int] = {}
    for number, cells in csv_rows(handle, source=source):
        if number == 1:
            for name, names in columns.items():
                found = _find(cells, names)
                if found is not None:
                    positions[name] = found
            missing = [name for name in required if name not in positions]
            if missing:
                raise InputRefused(f"{source}: no column for {', '.join(missing)} (looked for "
                                   + "; ".join(" / ".join(columns[m]) for m in missing) + ")")
            continue
        if any(cell.strip() for cell in cells):
            yield f"row {number}", {name: cells[i].strip() if i < len(cells) else ""
                                    for name, i in positions.items()}


ATLANTIC_COUNCIL_COLUMNS = {
    "name": ("Entity Name", "Entity", "Name"),
    "type": ("Entity Type", "Type", "Category"),
    "country": ("Country of HQ", "HQ Country", "Country"),
    "parent": ("Parent Entity", "Parent", "Parent Company"),
    "aliases": ("Aliases", "Alias", "Other Names"),
    "source": ("Source", "Sources", "Source URL"),
}
VENDOR_TYPES = ("vendor", "holding", "subsidiary", "branch", "supplier", "reseller", "broker", "partner")
ATLANTIC_COUNCIL_TITLE = "Atlantic Council, Mythical Beasts: the spyware market dataset"


def read_atlantic_council(handle: IO[str], source: str = "the file") -> Batch:
    """Vendors (with their parent companies) from the Atlantic Council's dataset of spyware-market entities.
    Investors and individuals are counted as skipped: Shelter keeps vendors, not their funders."""
    batch = Batch()
    for where, cells in _dataset_rows(handle, source, ATLANTIC_COUNCIL_COLUMNS, ("name",)):
        kind = cells.get("type", "").casefold()
        if kind and not any(word in kind for word in VENDOR_TYPES):
            batch.skipped += 1
            continue
        description = f"Entity type in the dataset: {cells['type']}." if cells.get("type") else ""
        url = cells.get("source", "").split(LIST_SEPARATOR)[0].strip()
        raw = {"name": cells["name"], "aliases": cells.get("aliases", ""), "country": cells.get("country", ""),
               "parent": cells.get("parent", ""), "description": description,
               "sources": [{"title": ATLANTIC_COUNCIL_TITLE, "url": url, "locator": where}]}
        add_row("vendors", raw, where, batch)
    return batch


CARNEGIE_COLUMNS = {
    "state": ("Country", "Customer Country", "State"),
    "vendor": ("Company", "Vendor", "Supplier"),
    "product": ("Product", "Technology", "Tool"),
    "type": ("Type", "Technology Type", "Category"),
    "year": ("Year", "Date"),
    "source": ("Source", "Sources", "Source URL"),
}
CARNEGIE_TITLE = "Carnegie Endowment, Global Inventory of Commercial Spyware and Digital Forensics"
CAPABILITY_WORDS = (("forensic", "mobile_forensics"), ("spyware", "spyware"), ("intrusion", "spyware"),
                    ("imsi", "imsi_catcher"), ("interception", "lawful_interception"),
                    ("packet", "deep_packet_inspection"), ("facial", "facial_recognition"),
                    ("filter", "internet_filtering"), ("social", "social_media_monitoring"))


def read_carnegie(handle: IO[str], source: str = "the file") -> Batch:
    """Vendors, products and reported acquisitions or uses (as suspected use) from the Carnegie inventory."""
    batch = Batch()
    seen_vendors: set[str] = set()
    seen_products: set[tuple[str, str]] = set()
    for where, cells in _dataset_rows(handle, source, CARNEGIE_COLUMNS, ("state", "vendor")):
        vendor, product = cells["vendor"], cells.get("product", "") or cells["vendor"]
        refs = [{"title": CARNEGIE_TITLE, "url": cells.get("source", "").split(LIST_SEPARATOR)[0].strip(),
                 "locator": where}]
        kind = cells.get("type", "").casefold()
        capabilities = sorted({code for word, code in CAPABILITY_WORDS if word in kind})
        if vendor.casefold() not in seen_vendors:
            seen_vendors.add(vendor.casefold())
            add_row("vendors", {"name": vendor, "sources": refs}, where, batch)
        if (vendor.casefold(), product.casefold()) not in seen_products:
            seen_products.add((vendor.casefold(), product.casefold()))
            add_row("products", {"vendor": vendor, "name": product, "capabilities": capabilities, "sources": refs},
                 where, batch)
        year = cells.get("year", "")[:4]
        add_row("deployments", {"vendor": vendor, "product": product, "kind": "suspected_use",
                             "customer_state": cells["state"], "date": year if year.isdigit() else "",
                             "description": "Reported in the Carnegie inventory (acquisition or use).",
                             "sources": refs}, where, batch)
    return batch


READERS = {"atlantic-council": read_atlantic_council, "carnegie": read_carnegie}
# The formats an import reads: Shelter's CSV and JSON, FollowTheMoney (read by ``importing``) and the datasets.
FORMATS = ("csv", "json", "ftm", *READERS)


@cache
def _seed_document() -> dict[str, Any]:
    text = resources.files("shelter.surveillance").joinpath("data", "seed.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise InputRefused("seed.yaml: expected a mapping")
    return data


def seed() -> Batch:
    """The small seed of facts the project wrote from public reports, each with its citation."""
    document = _seed_document()
    batch = Batch()
    for kind in KINDS:
        for index, item in enumerate(document.get(kind, [])):
            add_row(kind, item, f"seed {kind}[{index}]", batch)
    return batch
