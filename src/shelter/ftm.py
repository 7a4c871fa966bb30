"""FollowTheMoney entities, one JSON object per line: the one reader of FtM files, used by every importer that
takes them (records in ``connectors``, notices from OpenSanctions in ``notices``).

Parsing and the schemata are the followthemoney library's. A delta record (``{"op": "ADD", "entity": {...}}``)
stands for its entity. Lines are checked as every importer checks JSON lines (``shelter.intake``: length and
nesting limits). A line that is not an entity is handed back as a :class:`BadLine` naming its number, so
that each importer reports it in its own way.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from followthemoney import model
from followthemoney.exc import InvalidData
from followthemoney.proxy import EntityProxy

from shelter.intake import parse_json_line


@dataclass(frozen=True)
class BadLine:
    number: int
    field: str  # "" when the line is not JSON, "schema" when it is JSON but not an entity
    message: str

    @property
    def where(self) -> str:
        return f"line {self.number}"


@dataclass(frozen=True)
class EntityLine:
    number: int
    proxy: EntityProxy

    @property
    def where(self) -> str:
        return f"line {self.number}"


def entity_lines(lines: Iterable[str]) -> Iterator[EntityLine | BadLine]:
    """Each non-blank line of ``lines`` as an entity, or as the reason it is not one."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        parsed = parse_json_line(number, line)
        if parsed.problem:
            yield BadLine(number, "", parsed.problem)
            continue
        data = parsed.value
        if isinstance(data, dict) and isinstance(data.get("entity"), dict) and "schema" not in data:
            data = data["entity"]
        if not isinstance(data, dict) or not data.get("schema") or not data.get("id"):
            yield BadLine(number, "schema", "not a FollowTheMoney entity (needs 'id' and 'schema')")
            continue
        try:
            # cleaned=True: the values as the file gives them, so that each importer checks them and says
            # which it cannot use (the library would drop an invalid date or country without a word)
            yield EntityLine(number, model.get_proxy(data, cleaned=True))
        except (InvalidData, TypeError, KeyError, AttributeError, ValueError) as error:
            yield BadLine(number, "schema", f"not a FollowTheMoney entity ({error})")
