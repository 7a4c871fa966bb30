"""Plain data exchanged with the indicator engine: catalogue entries, case facts and results."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

KINDS = ("red_notice", "diffusion", "extradition", "deportation")
ANSWERS = ("present", "absent", "unknown")
EVALUATIONS = ("automatic", "manual")
CATEGORIES = (
    "ordinary",
    "membership_only_terrorism",
    "political_religious",
    "economic",
    "excluded",
    "unknown",
)
# The offences the charge classifier names (catalogue/charge_kinds.yaml, "offence").
OFFENCES = (
    "banned_group_membership",
    "extremism",
    "constitutional_order",
    "insult_head_of_state",
    "false_information",
    "mass_riots",
    "armed_formation",
    "economic",
    "ordinary",
    "terrorism",
    "other_political",
    "religious",
    "excluded",
)
CONFIDENCES = ("high", "medium", "low", "none")
STATUSES_ABROAD = ("refugee", "asylum_seeker", "citizen_of_host", "undocumented")
TARGET_ROLES = ("subject", "relative", "associate")
STATE_CODE = re.compile(r"^[A-Z]{2}$")  # ISO 3166-1 alpha-2, as Interpol uses (XK for Kosovo)


class CaseFactsError(ValueError):
    """Case facts that the engine cannot evaluate; the message says which field and what is expected."""


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
    applies_to: tuple[str, ...]
    question: str
    evaluation: str
    rule: str | None
    sources: tuple[Source, ...]
    verified: bool
    evidence_hint: str = ""
    rule_params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Charge:
    text: str
    language: str | None = None
    translation: str | None = None
    issuing_state: str | None = None  # the warrant's state when it differs from the case's (ISO alpha-2)


@dataclass(frozen=True)
class ChargeCount:
    """One count of a charge text (charges often list several offences) and what it was read as."""

    text: str
    kinds: tuple[str, ...]
    matched_terms: tuple[str, ...]
    unexplained_words: tuple[str, ...]
    verified: bool = True  # False when a term's legal reading or an article number is unverified
    # Each matched term in Shelter's own words (parallel to matched_terms), so that a page can say it in its language.
    terms_said: tuple[Said, ...] = ()


@dataclass(frozen=True)
class ChargeClassification:
    category: str
    indicator_ids: tuple[str, ...]
    matched_terms: tuple[str, ...]
    explanation: str
    language: str | None = None
    counts: tuple[ChargeCount, ...] = ()
    # False when part of the text was not recognised, so a category other than "ordinary"
    # may be incomplete: an unrecognised count could be a concrete crime.
    complete: bool = False
    classified_text: str = ""
    sources: tuple[Source, ...] = ()
    # high: every word read; medium: every count names a known offence, some words were not recognised;
    # low: a count names no known offence (it could be a concrete crime), so the category supports no
    # indicator by itself; none: nothing decided.
    confidence: str = "none"
    # The offences recognised (OFFENCES), and the stretches of text that were not recognised.
    offences: tuple[str, ...] = ()
    unrecognised: tuple[str, ...] = ()
    # The explanation as Shelter's own sentences (message ids with fields), for a page in another language.
    said: tuple[Said, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The reading as plain data (for JSON): what was decided, how surely, and what was not read."""
        return {
            "text": self.classified_text,
            "language": self.language,
            "category": self.category,
            "confidence": self.confidence,
            "offences": list(self.offences),
            "unrecognised": list(self.unrecognised),
            "indicators": list(self.indicator_ids),
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class IncidentFact:
    """An incident from the registry; tactic is a code of the incident taxonomy, against the target's role."""

    id: str
    title: str
    tactic: str
    origin_state: str
    date: str | None
    against: str
    # False for incidents whose documentation is not yet verified; the evidence carries the flag on.
    verified: bool = True


@dataclass(frozen=True)
class RefusalFact:
    """A decision against the request elsewhere: an extradition refused, asylum granted, a CCF deletion.

    ``decision`` is what was decided in the recorder's own words (kept as typed); ``kind`` is the code of the kind of
    decision when it is one of a fixed set (a recorded status event's: refused_by_court, ccf_deletion, …) and
    ``kind_words`` its English words, so that a page can name the kind in its reader's language."""

    state: str
    date: str | None
    decision: str
    source: str | None
    kind: str = ""
    kind_words: str = ""


@dataclass(frozen=True)
class ManualAnswer:
    """A reviewer's answer; it replaces the automatic one and its note becomes the first evidence item."""

    indicator_id: str
    answer: str
    note: str


@dataclass(frozen=True)
class CaseFacts:
    """What Shelter knows about one notice or request, limited to what the requesting user may see.

    kind: red_notice | diffusion | extradition | deportation; issuing_state: ISO alpha-2 ("" when not
    known); subject_status_abroad: refugee | asylum_seeker | citizen_of_host | undocumented | None;
    subject_profile: registry tags (opposition, journalist, religious_figure, former_insider, relative, …);
    incidents: by any state against the subject, relatives or associates (rules keep the issuing state's);
    state_record: incident tactic -> count for the issuing state; returnee_outcomes: incident outcome ->
    count for people returned to it.
    """

    kind: str
    issuing_state: str
    charges: tuple[Charge, ...]
    subject_nationalities: tuple[str, ...] = ()
    subject_status_abroad: str | None = None
    subject_profile: tuple[str, ...] = ()
    incidents: tuple[IncidentFact, ...] = ()
    refusals: tuple[RefusalFact, ...] = ()
    state_record: Mapping[str, int] = field(default_factory=dict)
    returnee_outcomes: Mapping[str, int] = field(default_factory=dict)
    manual_answers: tuple[ManualAnswer, ...] = ()

    def __post_init__(self) -> None:
        state = self.issuing_state.strip().upper()
        if state and not STATE_CODE.match(state):
            raise CaseFactsError(
                f"issuing_state '{self.issuing_state}' is not an ISO 3166-1 alpha-2 code "
                "(expected a code such as RU or UZ, or an empty string when not known)"
            )
        object.__setattr__(self, "issuing_state", state)  # frozen: normalised once, here
        if self.kind not in KINDS:
            raise CaseFactsError(f"kind '{self.kind}' is not known (expected one of {', '.join(KINDS)})")
        if self.subject_status_abroad is not None and self.subject_status_abroad not in STATUSES_ABROAD:
            raise CaseFactsError(
                f"subject_status_abroad '{self.subject_status_abroad}' is not known "
                f"(expected one of {', '.join(STATUSES_ABROAD)}, or nothing when not known)"
            )
        for incident in self.incidents:
            if incident.against not in TARGET_ROLES:
                raise CaseFactsError(
                    f"incident {incident.id}: against '{incident.against}' is not known "
                    f"(expected one of {', '.join(TARGET_ROLES)})"
                )
        for manual in self.manual_answers:
            if manual.answer not in ANSWERS:
                raise CaseFactsError(
                    f"manual answer for {manual.indicator_id}: '{manual.answer}' is not an answer "
                    f"(expected one of {', '.join(ANSWERS)})"
                )
        for name, counts in (
            ("state_record", self.state_record),
            ("returnee_outcomes", self.returnee_outcomes),
        ):
            for key, count in counts.items():
                if not isinstance(count, int) or count < 0:
                    raise CaseFactsError(
                        f"{name}['{key}']: {count!r} is not a count (expected a whole number ≥ 0)"
                    )


# How a field of an evidence sentence is written: as it stands, or as a code (or codes) that the reader's
# language names (a country, a tactic, a target's role, a kind of notice, a status abroad, a profile tag, counts by
# tactic or by outcome, a length of time in months, a language: its code and English name, a decision: the code of
# its kind, the kind's English words and the decision as typed), or as words of a data file in each language the
# file gives (DATA_LANGUAGES: the English first, then the translation, empty when the file has none).
FIELD_KINDS = ("text", "country", "countries", "tactic", "roles", "notice_kind", "status_abroad", "profile",
               "tactic_counts", "outcome_counts", "months", "language", "decision", "translated")
DATA_LANGUAGES = ("en", "ru")


@dataclass(frozen=True)
class Field:
    """A named field of an evidence sentence: its values (one, or several for a list) and how they are written."""

    name: str
    values: tuple[str, ...]
    kind: str = "text"

    def __post_init__(self) -> None:
        if self.kind not in FIELD_KINDS:
            raise ValueError(f"field kind '{self.kind}' is not known (expected one of {', '.join(FIELD_KINDS)})")

    def english(self) -> str:
        """The field as the English sentence writes it (codes of countries stay codes, as the English text has
        always given them)."""
        values = self.values
        if self.kind in ("tactic", "status_abroad"):
            return ", ".join(v.replace("_", " ") for v in values)
        if self.kind == "roles":
            return " or ".join(values)
        if self.kind == "notice_kind":
            return ", ".join(v.replace("_", " ").capitalize() for v in values)
        if self.kind in ("tactic_counts", "outcome_counts"):
            return ", ".join(f"{code.replace('_', ' ')} {count}" for code, count in (v.split("=") for v in values))
        if self.kind == "months":
            return ", ".join(english_months(int(v)) for v in values)
        if self.kind == "language":  # (code, English name)
            return values[1]
        if self.kind == "decision":  # (code of the kind, its English words, the decision as typed)
            return ": ".join(part for part in values[1:] if part)
        if self.kind == "translated":  # the words in each of DATA_LANGUAGES
            return values[0]
        return ", ".join(values)

    def in_language(self, language: str) -> str:
        """A "translated" field's words in ``language`` (its English when the data file gives none)."""
        position = DATA_LANGUAGES.index(language) if language in DATA_LANGUAGES else 0
        return (self.values[position] if position < len(self.values) else "") or self.values[0]


def translated(name: str, words: Mapping[str, str]) -> Field:
    """A field holding words from a data file (a state fact, an offence's description) in each language it gives."""
    return Field(name, tuple(words.get(language, "") for language in DATA_LANGUAGES), "translated")


def english_months(months: int) -> str:
    if months % 12 == 0:
        years = months // 12
        return f"{years} year" + ("s" if years != 1 else "")
    return f"{months} month" + ("s" if months != 1 else "")


@dataclass(frozen=True)
class Said:
    """One sentence in Shelter's own words: a message id (English, with {named} fields) and its fields."""

    message: str
    fields: tuple[Field, ...] = ()

    def english(self) -> str:
        return self.message.format(**{f.name: f.english() for f in self.fields})


def plain(text: str) -> Said:
    """Words that are not a message of their own (composed from data): kept as written in every language."""
    return Said("{text}", (Field("text", (text,)),))


@dataclass(frozen=True)
class Evidence:
    kind: str
    text: str
    reference: str | None
    verified: bool
    # Shelter's own sentence as a message id (English, with {named} fields) and its fields, so that the layer that
    # shows it can say it in the reader's language; ``text`` is the English sentence. Empty for words that are not
    # Shelter's (a reviewer's note).
    message: str = ""
    fields: tuple[Field, ...] = ()
    # Further sentences of Shelter's after the message (a charge's reading), each said on its own.
    more: tuple[Said, ...] = ()
    # The reference in Shelter's own words, part by part (a charge's matched terms), when it has any.
    reference_said: tuple[Said, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "reference": self.reference, "verified": self.verified}


def said_in(evidence: Evidence, translate: Callable[[str], str], write: Callable[[Field], str]) -> str:
    """``evidence`` in another language: its message through ``translate`` (a catalogue look-up) with each field as
    ``write`` gives it. The English text when the evidence is not in Shelter's own words, or when the translation
    names a field the message does not have (a catalogue error must not hide the evidence)."""
    if not evidence.message:
        return evidence.text
    return say((Said(evidence.message, evidence.fields), *evidence.more), translate, write, " ") or evidence.text


def reference_in(evidence: Evidence, translate: Callable[[str], str], write: Callable[[Field], str]) -> str:
    """``evidence``'s reference in another language, as :func:`said_in` says its sentence."""
    return say(evidence.reference_said, translate, write, "; ") or evidence.reference or ""


def say(parts: tuple[Said, ...], translate: Callable[[str], str], write: Callable[[Field], str], between: str) -> str:
    """Shelter's sentences through ``translate``, their fields as ``write`` gives them; empty when there are none, or
    when a translation names a field its message does not have (a catalogue error must not hide the evidence)."""
    try:
        return between.join(translate(part.message).format(**{f.name: write(f) for f in part.fields})
                            for part in parts)
    except (KeyError, IndexError, ValueError):
        return ""


def said(kind: str, message: str, reference: str | None = None, verified: bool = True, *fields: Field,
         more: tuple[Said, ...] = (), reference_said: tuple[Said, ...] = ()) -> Evidence:
    """Evidence in Shelter's own words: ``message`` with its ``fields`` filled in, then the ``more`` sentences, kept
    apart for translation (and the reference's parts, when it is in Shelter's words too)."""
    text = " ".join(part.english() for part in (Said(message, tuple(fields)), *more))
    return Evidence(kind, text, reference, verified, message, tuple(fields), tuple(more), tuple(reference_said))


@dataclass(frozen=True)
class IndicatorResult:
    id: str
    answer: str
    evidence: tuple[Evidence, ...]
    question: str
    verified: bool
    evaluation: str = "automatic"
    overridden: bool = False
    sources: tuple[Source, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "answer": self.answer,
            "question": self.question,
            "verified": self.verified,
            "evaluation": self.evaluation,
            "overridden": self.overridden,
            "evidence": [item.to_dict() for item in self.evidence],
            "sources": [dict(source) for source in _source_dicts(self.sources)],
        }


_SOURCE_DICTS: dict[int, tuple[tuple[Source, ...], tuple[dict[str, Any], ...]]] = {}


def _source_dicts(sources: tuple[Source, ...]) -> tuple[dict[str, Any], ...]:
    # Every result of an indicator shares the catalogue's tuple of sources: build their dicts once per
    # tuple (found by identity, checked so that a reused id never returns another tuple's dicts).
    cached = _SOURCE_DICTS.get(id(sources))
    if cached is None or cached[0] is not sources:
        if len(_SOURCE_DICTS) > 1024:
            _SOURCE_DICTS.clear()
        cached = _SOURCE_DICTS[id(sources)] = (sources, tuple(source.to_dict() for source in sources))
    return cached[1]


@dataclass(frozen=True)
class StateFact:
    state: str
    topic: str
    text: str
    since: str | None
    sources: tuple[Source, ...]
    verified: bool
    # The text in the other DATA_LANGUAGES (state_facts.yaml, text_ru).
    translations: Mapping[str, str] = field(default_factory=dict, hash=False)

    @property
    def words(self) -> Mapping[str, str]:
        return {"en": self.text, **self.translations}


@dataclass(frozen=True)
class EchrMembership:
    parties: frozenset[str]
    former: Mapping[str, str]  # state -> date it ceased to be a party
    source: Source
    verified: bool


@dataclass(frozen=True)
class StateFacts:
    facts: tuple[StateFact, ...]
    echr: EchrMembership

    def about(self, state: str, topics: tuple[str, ...]) -> list[StateFact]:
        return [fact for fact in self.facts if fact.state == state and fact.topic in topics]
