"""Export-licence assessment for surveillance technology, without Django.

Facts come in as plain data; each indicator in ``data/indicators.yaml`` answers present, absent or
unknown with the evidence that decided it. Silence in the record gives "unknown", never "absent".

The incident indicators (EX-03 to EX-06) read an :class:`IncidentRecord`: counts by tactic and, for each
question, the first incidents and how many there are in all. The records side counts them in the database;
:func:`summarise` makes the same record from a list of incidents (a facts file, a test).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from html import escape
from importlib import resources
from typing import Any

import yaml

CONTROL_ENTRIES = ("4.A.5", "4.D.4", "4.E.1.c", "5.A.1.f", "5.A.1.j")
STATE_CODE = re.compile(r"^[A-Z]{2}$")
EVIDENCE_SHOWN = 25


class AssessmentError(ValueError):
    """Facts the assessment cannot use; the message says which field and what is expected."""


@dataclass(frozen=True)
class Source:
    title: str
    url: str | None
    verified: bool
    pinpoint: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "url": self.url, "pinpoint": self.pinpoint, "verified": self.verified}


@dataclass(frozen=True)
class Indicator:
    id: str
    title: str
    question: str
    sources: tuple[Source, ...]
    title_ru: str = ""


@dataclass(frozen=True)
class Family:
    family: str
    product: str
    vendor: str
    source: Source
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.family, self.product, *self.aliases)


@dataclass(frozen=True)
class Deployment:
    product: str
    state: str
    agency: str = ""
    citation: str = ""


@dataclass(frozen=True)
class Incident:
    reference: str
    perpetrator_state: str
    perpetrator_agency: str = ""
    digital: bool = False
    product: str = ""
    tactic: str = ""
    agencies: tuple[str, ...] = ()  # every name of every perpetrator agency, when more than one is known


@dataclass(frozen=True)
class Excerpt:
    """The first incidents that answer a question (in the record's order) and how many answer it in all."""

    incidents: tuple[Incident, ...] = ()
    total: int = 0

    @classmethod
    def of(cls, incidents: list[Incident]) -> Excerpt:
        return cls(tuple(incidents[:EVIDENCE_SHOWN]), len(incidents))

    @property
    def more(self) -> int:
        return self.total - len(self.incidents)


@dataclass(frozen=True)
class IncidentRecord:
    """What the incident indicators read: the destination's incidents by tactic, its digital incidents, the
    incidents whose perpetrator agency is the end user and the incidents that name the product."""

    by_tactic: tuple[tuple[str, int], ...] = ()
    digital: Excerpt = Excerpt()
    by_end_user: Excerpt = Excerpt()
    naming_product: Excerpt = Excerpt()


@dataclass(frozen=True)
class Listing:
    """The vendor or the end user found on a sanctions or entity list (an imported FollowTheMoney entity)."""

    party: str  # "vendor" or "end user"
    name: str
    listed_as: str
    list_name: str


@dataclass(frozen=True)
class Denial:
    """An earlier licence refusal for the destination, as recorded."""

    state: str
    destination: str
    what: str = ""
    end_user: str = ""
    date: str = ""
    citation: str = ""


@dataclass(frozen=True)
class Facts:
    product: str
    destination: str
    end_user: str = ""
    control_entries: tuple[str, ...] | None = None  # None: the record says nothing
    deployments: tuple[Deployment, ...] = ()
    incidents: tuple[Incident, ...] = ()
    vendor: str = ""
    capabilities: tuple[str, ...] = ()
    listings: tuple[Listing, ...] = ()
    denials: tuple[Denial, ...] = ()
    assessing_state: str = ""  # the state deciding the licence: its own denials are not "earlier denials by others"
    record: IncidentRecord | None = None  # counted where the incidents are stored; None: summarised from incidents


@dataclass(frozen=True)
class Answer:
    indicator: Indicator
    answer: str
    evidence: tuple[str, ...] = field(default=())
    more: int = 0  # lines of evidence on record beyond those given

    def __post_init__(self) -> None:
        # A state with thousands of incidents on record: the first lines and how many more, not a wall of text.
        more = self.more + max(0, len(self.evidence) - EVIDENCE_SHOWN)
        if more:
            object.__setattr__(self, "evidence", (*self.evidence[:EVIDENCE_SHOWN], f"... and {more} more"))

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.indicator.id,
            "title": self.indicator.title,
            "title_ru": self.indicator.title_ru,
            "answer": self.answer,
            "evidence": list(self.evidence),
            "sources": [s.to_dict() for s in self.indicator.sources],
        }


def _source(raw: dict[str, Any]) -> Source:
    return Source(str(raw["title"]), raw.get("url"), bool(raw.get("verified", False)), raw.get("pinpoint"))


def _load(name: str) -> dict[str, Any]:
    text = resources.files("shelter.surveillance").joinpath("data", name).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise AssessmentError(f"{name}: expected a mapping at the top level")
    return data


@cache
def catalogue() -> tuple[Indicator, ...]:
    return tuple(
        Indicator(str(i["id"]), str(i["title"]), str(i["question"]), tuple(_source(s) for s in i["sources"]),
                  str(i.get("title_ru") or ""))
        for i in _load("indicators.yaml")["indicators"]
    )


@cache
def families() -> tuple[Family, ...]:
    return tuple(
        Family(str(f["family"]), str(f["product"]), str(f["vendor"]), _source(f["source"]),
               tuple(str(a) for a in f.get("aliases", ())))
        for f in _load("families.yaml")["families"]
    )


def family_for(name: str) -> Family | None:
    """The spyware family a threat feed or triage verdict names, matched without regard to case."""
    key = name.strip().casefold()
    return next((f for f in families() if key in (n.casefold() for n in f.names)), None)


def families_in(text: str) -> tuple[Family, ...]:
    """The families a feed or collection name speaks of ("NSO Group Pegasus", "Cytrox Predator"), by whole word."""
    words = set(re.findall(r"\w+", text.casefold()))
    return tuple(f for f in families() if any(set(re.findall(r"\w+", n.casefold())) <= words for n in f.names))


def validate(facts: Facts) -> None:
    if not facts.product.strip():
        raise AssessmentError("product: give the product name")
    if not STATE_CODE.match(facts.destination):
        raise AssessmentError(f"destination: expected a two-letter ISO country code such as UZ, got {facts.destination!r}")
    if facts.assessing_state and not STATE_CODE.match(facts.assessing_state):
        raise AssessmentError(f"assessing_state: expected a two-letter ISO country code, got {facts.assessing_state!r}")
    for entry in facts.control_entries or ():
        if entry not in CONTROL_ENTRIES and not re.match(r"^\d[A-E]\d{3}", entry):
            raise AssessmentError(f"control_entries: unknown entry {entry!r}; expected one of {', '.join(CONTROL_ENTRIES)} or an EU Annex I code")


def _same(a: str, b: str) -> bool:
    return bool(a.strip()) and a.strip().casefold() == b.strip().casefold()


def summarise(facts: Facts) -> IncidentRecord:
    """The incident record the indicators read, from the incidents listed in ``facts`` (in their order)."""
    record = [i for i in facts.incidents if i.perpetrator_state == facts.destination]
    by_tactic: dict[str, int] = {}
    for incident in record:
        by_tactic[incident.tactic or "unspecified"] = by_tactic.get(incident.tactic or "unspecified", 0) + 1
    end_user = facts.end_user
    return IncidentRecord(
        by_tactic=tuple(by_tactic.items()),
        digital=Excerpt.of([i for i in record if i.digital]),
        by_end_user=Excerpt.of([i for i in facts.incidents if end_user.strip() and (
            _same(i.perpetrator_agency, end_user) or any(_same(a, end_user) for a in i.agencies))]),
        naming_product=Excerpt.of([i for i in facts.incidents if _same(i.product, facts.product)]),
    )


def assess(facts: Facts) -> list[Answer]:
    validate(facts)
    by_id = {i.id: i for i in catalogue()}
    record = facts.record if facts.record is not None else summarise(facts)
    answers: list[Answer] = []

    if facts.control_entries is None:
        answers.append(Answer(by_id["EX-01"], "unknown", ("the product record lists no control entries",)))
    elif facts.control_entries:
        answers.append(Answer(by_id["EX-01"], "present", tuple(f"listed under {e}" for e in facts.control_entries)))
    else:
        answers.append(Answer(by_id["EX-01"], "absent", ("the product record states it has no control entry",)))

    supplied = [d for d in facts.deployments if d.state == facts.destination]
    answers.append(Answer(
        by_id["EX-02"],
        "present" if supplied else "unknown",
        tuple(f"{d.product} to {d.state} {d.agency}".strip() + (f" ({d.citation})" if d.citation else "") for d in supplied),
    ))

    digital = record.digital
    answers.append(Answer(
        by_id["EX-03"],
        "present" if digital.total else "unknown",
        tuple(f"incident {i.reference}" + (f" naming {i.product}" if i.product else "") for i in digital.incidents),
        digital.more,
    ))

    if not facts.end_user.strip():
        answers.append(Answer(by_id["EX-04"], "unknown", ("no end-user named",)))
    else:
        named = record.by_end_user
        answers.append(Answer(
            by_id["EX-04"],
            "present" if named.total else "unknown",
            tuple(f"{facts.end_user} is perpetrator in incident {i.reference}" for i in named.incidents),
            named.more,
        ))

    family = family_for(facts.product)
    used = record.naming_product
    answers.append(Answer(
        by_id["EX-05"],
        "present" if family or used.total else "unknown",
        ((f"{family.family} by {family.vendor} ({family.source.title})",) if family else ())
        + tuple(f"named in incident {i.reference}" for i in used.incidents),
        used.more,
    ))

    by_tactic = [(tactic, count) for tactic, count in record.by_tactic if count]
    answers.append(Answer(
        by_id["EX-06"],
        "present" if by_tactic else "unknown",
        tuple(f"{tactic}: {count} incident(s)" for tactic, count in sorted(by_tactic, key=lambda t: (-t[1], t[0]))),
    ))

    answers.append(_article_5(by_id["EX-07"], facts, family is not None, answers))

    answers.append(Answer(
        by_id["EX-08"],
        "present" if facts.listings else "unknown",
        tuple(f"{item.party} {item.name} listed as {item.listed_as} on {item.list_name}" for item in facts.listings),
    ))

    denials = [d for d in facts.denials if d.destination == facts.destination and d.state != facts.assessing_state]
    answers.append(Answer(
        by_id["EX-09"],
        "present" if denials else "unknown",
        tuple(" ".join(part for part in (f"{d.state} denied", d.what, f"for {d.end_user}" if d.end_user else "",
                                        f"({d.date})" if d.date else "", f"[{d.citation}]" if d.citation else "")
                       if part) for d in denials),
    ))
    return answers


RISK_INDICATORS = ("EX-03", "EX-04", "EX-06")


def _article_5(indicator: Indicator, facts: Facts, in_family: bool, earlier: list[Answer]) -> Answer:
    """The catch-all for non-listed cyber-surveillance items: present when the item is one and the record shows a
    risk of use for internal repression (EX-03, EX-04 or EX-06 present)."""
    if facts.control_entries:
        return Answer(indicator, "absent", ("the item is listed (EX-01): Annex I applies, not the catch-all",))
    risks = [a for a in earlier if a.indicator.id in RISK_INDICATORS and a.answer == "present"]
    surveillance_item = bool(facts.capabilities) or in_family
    if surveillance_item and risks:
        return Answer(indicator, "present", tuple(
            [f"cyber-surveillance item ({', '.join(facts.capabilities) or 'spyware family'})"]
            + [f"{a.indicator.id} present" for a in risks]))
    reasons = [] if surveillance_item else ["the record does not say what the item does"]
    if not risks:
        reasons.append("no risk indicator present on the record")
    return Answer(indicator, "unknown", tuple(reasons))


def report(facts: Facts) -> dict[str, Any]:
    """The assessment as JSON-ready data, for the CLI and later the API."""
    answers = assess(facts)
    return {
        "product": facts.product,
        "destination": facts.destination,
        "end_user": facts.end_user,
        "vendor": facts.vendor,
        "indicators": [a.to_dict() for a in answers],
        "present": sum(a.answer == "present" for a in answers),
        "unknown": sum(a.answer == "unknown" for a in answers),
    }


def memo_html(data: dict[str, Any]) -> str:
    """The assessment as a self-contained HTML memo; every value from the record is escaped."""
    rows = []
    for item in data["indicators"]:
        evidence = "".join(f"<li>{escape(str(line))}</li>" for line in item["evidence"]) or "<li>nothing on record</li>"
        sources = "".join(
            f"<li>{escape(s['title'])}{', ' + escape(s['pinpoint']) if s['pinpoint'] else ''}"
            f"{'' if s['verified'] else ' [not verified]'}</li>"
            for s in item["sources"]
        )
        rows.append(
            f"<section><h2>{escape(item['id'])} {escape(item['title'])}: {escape(item['answer'])}</h2>"
            f"<h3>Evidence</h3><ul>{evidence}</ul><h3>Sources</h3><ul>{sources}</ul></section>"
        )
    title = f"Licence assessment: {escape(data['product'])} to {escape(data['destination'])}"
    end_user = f"<p>End-user: {escape(data['end_user'])}</p>" if data["end_user"] else ""
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head><body>'
        f"<h1>{title}</h1>{end_user}<p>{data['present']} present, {data['unknown']} unknown. "
        "Unknown means the record is silent, not that the risk is absent.</p>"
        f"{''.join(rows)}</body></html>"
    )
