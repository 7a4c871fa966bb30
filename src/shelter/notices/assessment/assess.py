"""Assessing a notice: gather the facts a user may see into :class:`shelter.indicators.CaseFacts`, run the
indicator engine, and lay the lawyer's reviews (overriding answers, with notes and evidence) over it.

Reviews are records with their own confidentiality (internal by default): a reader gets, per indicator, the
latest review they may see, and only its answer overrides the automatic one for them.

Every fact comes through the visibility filter of the requesting user: the same notice can be assessed
with more evidence by a member of the case team than by a colleague outside it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils.translation import override

from shelter.access.models import User
from shelter.access.visibility import Viewer, visible_to
from shelter.access.writes import describe, require_editor, save_restricted
from shelter.incidents.models import Incident, IncidentTarget, Verification
from shelter.incidents.taxonomy import taxonomy
from shelter.indicators import (
    CaseFacts,
    IncidentFact,
    IndicatorResult,
    ManualAnswer,
    RefusalFact,
    classify_charge,
    evaluate,
    load_catalogue,
)
from shelter.indicators import (
    Charge as ChargeFact,
)
from shelter.notices.models import (
    REFUSAL_KINDS,
    Charge,
    IndicatorReview,
    Notice,
    NoticeStatusEvent,
    ReviewEvidence,
    ScreeningMatch,
    StatusEventKind,
)
from shelter.registry.candidates import MatchDecision
from shelter.registry.models import Person, Relationship, RelationshipKind

_TARGET_ROLE_TO_AGAINST = {"target": "subject", "relative": "relative", "associate": "associate"}
# Registry statuses the engine reasons about; the others ("resident", "returned") carry no protection claim.
_ENGINE_STATUSES = {"refugee", "asylum_seeker", "citizen_of_host", "undocumented"}


@dataclass
class NoticeAssessment:
    notice: Notice
    people: list[Person]
    results: list[IndicatorResult]
    # indicator id -> evidence a person attached (already narrowed to what the user may see)
    attached: dict[str, list[ReviewEvidence]] = field(default_factory=dict)
    reviews: dict[str, IndicatorReview] = field(default_factory=dict)
    # Reviewers' usernames are shown to signed-in readers only.
    show_reviewer: bool = True
    facts: CaseFacts | None = None

    def to_dict(self) -> dict[str, Any]:
        return assessment_dict(
            notice_header(self.notice, self.people), self.results,
            {indicator_id: review_dict(review, self.show_reviewer) for indicator_id, review in self.reviews.items()},
            {indicator_id: [evidence_dict(item) for item in items] for indicator_id, items in self.attached.items()},
            self.facts,
        )


def notice_header(notice: Notice, people: Sequence[Person]) -> dict[str, Any]:
    return {
        "entity_id": notice.entity_id,
        "kind": notice.kind,
        "issuing_state": notice.issuing_state or None,
        "status": notice.status,
        "matched_people": [person.pk for person in people],
    }


def assessment_dict(header: dict[str, Any], results: Sequence[IndicatorResult], reviews: dict[str, dict[str, Any]],
                    attached: dict[str, list[dict[str, Any]]], facts: CaseFacts | None = None) -> dict[str, Any]:
    """The object ``assess --json`` and the API write for one notice, from plain data (so that worker processes
    can build it without the database): with each charge's reading (category, confidence, offences, the
    text not recognised) when the facts are given."""
    indicators = []
    for result in results:
        item = result.to_dict()
        if result.id in reviews:
            item["review"] = reviews[result.id]
        item["attached_evidence"] = attached.get(result.id, [])
        indicators.append(item)
    charges = [classify_charge(charge, facts.issuing_state or None).to_dict() for charge in facts.charges] if facts else []
    return {**header, "charges": charges, "indicators": indicators}


def signed_in(user: Viewer) -> bool:
    return user is not None and user.is_authenticated


def review_dict(review: IndicatorReview, show_reviewer: bool = True) -> dict[str, Any]:
    return {"answer": review.answer, "note": review.note,
            "reviewer": review.reviewer.username if review.reviewer and show_reviewer else None,
            "confidentiality": review.confidentiality, "published": review.published,
            "modified": review.modified.isoformat()}


def evidence_dict(evidence: ReviewEvidence) -> dict[str, Any]:
    return {
        "note": evidence.note,
        "source": {"id": evidence.source_id, "title": evidence.source.title} if evidence.source else None,
        "incident": {"id": evidence.incident_id, "title": evidence.incident.title} if evidence.incident else None,
        "file": {"sha256": evidence.file_sha256, "name": evidence.file_name} if evidence.file_sha256 else None,
        # Attached by a person from the platform's own records: its reliability is that of the record.
        "verified": None,
    }


class FactsGatherer:
    """Collects, for many notices at once, the facts visible to one user (one query per kind of fact)."""

    def __init__(self, user: Viewer) -> None:
        self.user = user
        self._state_records: dict[str, dict[str, int]] = {}
        self._returnee_outcomes: dict[str, dict[str, int]] = {}

    def state_record(self, state: str) -> dict[str, int]:
        if state not in self._state_records:
            self._load_state(state)
        return self._state_records[state]

    def returnee_outcomes(self, state: str) -> dict[str, int]:
        if state not in self._returnee_outcomes:
            self._load_state(state)
        return self._returnee_outcomes[state]

    def _load_state(self, state: str) -> None:
        incidents = visible_to(Incident.objects.filter(origin_state=state), self.user) if state else Incident.objects.none()
        by_tactic = incidents.values("tactic").annotate(n=Count("pk")).order_by("tactic")
        self._state_records[state] = {row["tactic"]: row["n"] for row in by_tactic}
        outcomes = (incidents.filter(tactic__in=taxonomy().return_tactics).exclude(outcome="unknown")
                    .values("outcome").annotate(n=Count("pk")).order_by("outcome"))
        self._returnee_outcomes[state] = {row["outcome"]: row["n"] for row in outcomes}

    def confirmed_people(self, notices: Sequence[Notice]) -> dict[int, list[Person]]:
        matches = visible_to(ScreeningMatch.objects.filter(
            notice__in=[n.pk for n in notices], decision=MatchDecision.CONFIRMED), self.user).select_related("person")
        people: dict[int, list[Person]] = defaultdict(list)
        for match in matches:
            people[match.notice_id].append(match.person)
        return people

    def incidents_against(self, people: Iterable[Person]) -> dict[int, list[tuple[Incident, str]]]:
        """Per person: visible incidents against them (role as recorded) and against their relatives."""
        person_ids = {person.pk for person in people}
        if not person_ids:
            return {}
        relatives: dict[int, set[int]] = defaultdict(set)
        family = visible_to(Relationship.objects.filter(kind=RelationshipKind.FAMILY), self.user).filter(
            subject_person__isnull=False, object_person__isnull=False)
        for subject, obj in family.filter(subject_person__in=person_ids).values_list("subject_person", "object_person"):
            relatives[subject].add(obj)
        for subject, obj in family.filter(object_person__in=person_ids).values_list("subject_person", "object_person"):
            relatives[obj].add(subject)
        everyone = person_ids | {rel for rels in relatives.values() for rel in rels}
        targets = visible_to(IncidentTarget.objects.filter(person__in=everyone), self.user)
        targets = targets.filter(incident__in=visible_to(Incident.objects.all(), self.user)).select_related("incident")
        by_person: dict[int, list[IncidentTarget]] = defaultdict(list)
        for target in targets:
            by_person[target.person_id].append(target)
        found: dict[int, list[tuple[Incident, str]]] = {}
        for person_id in person_ids:
            items = [(t.incident, _TARGET_ROLE_TO_AGAINST.get(t.role, "subject")) for t in by_person[person_id]]
            items += [(t.incident, "relative") for rel in relatives[person_id] for t in by_person[rel]]
            # One entry per incident: the first role found (the person's own) wins over a relative's.
            unique: dict[int, tuple[Incident, str]] = {}
            for incident, against in items:
                unique.setdefault(incident.pk, (incident, against))
            found[person_id] = list(unique.values())
        return found

    def refusals(self, notices: Sequence[Notice], people: dict[int, list[Person]]) -> dict[int, list[NoticeStatusEvent]]:
        """Refusals recorded on the notice itself and on other notices confirmed for the same person."""
        person_ids = {p.pk for plist in people.values() for p in plist}
        related_notices: dict[int, set[int]] = defaultdict(set)
        if person_ids:
            confirmed = visible_to(ScreeningMatch.objects.filter(
                person__in=person_ids, decision=MatchDecision.CONFIRMED), self.user)
            for notice_id, person_id in confirmed.values_list("notice_id", "person_id"):
                related_notices[person_id].add(notice_id)
        wanted: dict[int, set[int]] = {}
        for notice in notices:
            ids = {notice.pk}
            for person in people.get(notice.pk, []):
                ids |= related_notices[person.pk]
            wanted[notice.pk] = ids
        all_ids = {i for ids in wanted.values() for i in ids}
        events = visible_to(NoticeStatusEvent.objects.filter(notice__in=all_ids, kind__in=REFUSAL_KINDS), self.user)
        by_notice: dict[int, list[NoticeStatusEvent]] = defaultdict(list)
        for event in events:
            by_notice[event.notice_id].append(event)
        return {nid: [e for i in sorted(ids) for e in by_notice[i]] for nid, ids in wanted.items()}


def _charges_by_notice(notices: Sequence[Notice]) -> dict[int, tuple[ChargeFact, ...]]:
    """The charges of many notices in one query, as the engine's plain facts (no model instances)."""
    state_of = {notice.pk: notice.issuing_state for notice in notices}
    found: dict[int, list[ChargeFact]] = defaultdict(list)
    rows = Charge.objects.filter(notice__in=list(state_of)).order_by("notice_id", "pk")
    for notice_id, text, translation, state in rows.values_list("notice_id", "text", "translation", "issuing_state"):
        # A warrant of another state than the notice's is read for that state's law.
        own_state = state if state and state != state_of[notice_id] else None
        found[notice_id].append(ChargeFact(text=text, translation=translation or None, issuing_state=own_state))
    return {notice_id: tuple(charges) for notice_id, charges in found.items()}


def _english_words(kind: str) -> str:
    """A status event's kind in English: the engine's sentences are English; a page names the kind in its own
    language from the code."""
    with override("en"):
        return str(StatusEventKind(kind).label)


def _facts(notice: Notice, charges: tuple[ChargeFact, ...], people: list[Person],
           incidents: list[tuple[Incident, str]], refusals: list[NoticeStatusEvent],
           reviews: Iterable[IndicatorReview], gatherer: FactsGatherer) -> CaseFacts:
    subject = people[0] if people else None
    status = subject.status_abroad if subject and subject.status_abroad in _ENGINE_STATUSES else None
    state = notice.issuing_state
    return CaseFacts(
        kind=notice.kind,
        issuing_state=state,
        charges=charges,
        subject_nationalities=tuple(notice.nationalities),
        subject_status_abroad=status,
        subject_profile=tuple(str(tag) for tag in (subject.profile if subject else []) or []),
        incidents=tuple(
            IncidentFact(id=str(incident.pk), title=incident.title, tactic=incident.tactic,
                         origin_state=incident.origin_state, date=incident.date or None, against=against,
                         verified=incident.verification == Verification.VERIFIED)
            for incident, against in incidents if incident.origin_state == state
        ),
        refusals=tuple(
            RefusalFact(state=event.state, date=event.date or None, decision=event.detail,
                        source=event.reference or None, kind=event.kind, kind_words=_english_words(event.kind))
            for event in refusals
        ),
        state_record=gatherer.state_record(state),
        returnee_outcomes=gatherer.returnee_outcomes(state),
        manual_answers=tuple(ManualAnswer(indicator_id=r.indicator_id, answer=r.answer, note=r.note)
                             for r in reviews),
    )


@dataclass
class GatheredNotice:
    """A notice with the facts the engine reads and what people added to it, before evaluation."""

    notice: Notice
    people: list[Person]
    facts: CaseFacts
    reviews: dict[str, IndicatorReview]
    attached: dict[str, list[ReviewEvidence]]
    show_reviewer: bool


def gather_batches(notices: Iterable[Notice], user: Viewer,
                   batch_size: int = 500) -> Iterator[list[GatheredNotice]]:
    """The facts ``user`` may see, gathered for ``batch_size`` notices at a time (one query per kind of fact)."""
    gatherer = FactsGatherer(user)
    batch: list[Notice] = []
    for notice in notices:
        batch.append(notice)
        if len(batch) >= batch_size:
            yield _gather_batch(batch, gatherer)
            batch = []
    if batch:
        yield _gather_batch(batch, gatherer)


def assess_notices(notices: Iterable[Notice], user: Viewer, batch_size: int = 500) -> Iterable[NoticeAssessment]:
    """Assess each notice with the facts ``user`` may see. The caller passes notices already visible."""
    catalogue = load_catalogue()
    for batch in gather_batches(notices, user, batch_size):
        for item in batch:
            yield NoticeAssessment(notice=item.notice, people=item.people, results=evaluate(item.facts, catalogue),
                                   attached=item.attached, reviews=item.reviews, show_reviewer=item.show_reviewer,
                                   facts=item.facts)


def _gather_batch(notices: list[Notice], gatherer: FactsGatherer) -> list[GatheredNotice]:
    ids = [n.pk for n in notices]
    charges = _charges_by_notice(notices)
    people = gatherer.confirmed_people(notices)
    incidents = gatherer.incidents_against(p for plist in people.values() for p in plist)
    refusals = gatherer.refusals(notices, people)
    reviews = latest_reviews(ids, gatherer.user)
    attached: dict[int, list[ReviewEvidence]] = defaultdict(list)
    evidence = visible_to(ReviewEvidence.objects.filter(review__notice__in=ids), gatherer.user)
    for item in evidence.select_related("review", "source", "incident"):
        attached[item.review.notice_id].append(item)
    gathered = []
    for notice in notices:
        notice_people = people.get(notice.pk, [])
        notice_incidents = [pair for person in notice_people for pair in incidents.get(person.pk, [])]
        facts = _facts(notice, charges.get(notice.pk, ()), notice_people, notice_incidents,
                       refusals.get(notice.pk, []), reviews[notice.pk].values(), gatherer)
        by_indicator: dict[str, list[ReviewEvidence]] = defaultdict(list)
        for item in attached[notice.pk]:
            by_indicator[item.review.indicator_id].append(item)
        gathered.append(GatheredNotice(notice, notice_people, facts, dict(reviews[notice.pk]), dict(by_indicator),
                                       signed_in(gatherer.user)))
    return gathered


def assess_notice(notice: Notice, user: Viewer) -> NoticeAssessment:
    return next(iter(assess_notices([notice], user)))


def latest_reviews(notice_ids: Iterable[int], user: Viewer,
                   indicator_id: str | None = None) -> dict[int, dict[str, IndicatorReview]]:
    """Per notice and indicator, the latest review ``user`` may see (a review hidden from them is not there)."""
    reviews = visible_to(IndicatorReview.objects.filter(notice__in=list(notice_ids)), user)
    if indicator_id is not None:
        reviews = reviews.filter(indicator_id=indicator_id)
    found: dict[int, dict[str, IndicatorReview]] = defaultdict(dict)
    for review in reviews.select_related("reviewer").order_by("notice_id", "indicator_id", "-modified", "-pk"):
        found[review.notice_id].setdefault(review.indicator_id, review)
    return found


def visible_review(notice: Notice, indicator_id: str, user: Viewer) -> IndicatorReview | None:
    """The review of one indicator that ``user`` is shown (and may change or attach evidence to)."""
    return latest_reviews([notice.pk], user, indicator_id).get(notice.pk, {}).get(indicator_id)


@transaction.atomic
def review_indicator(notice: Notice, indicator_id: str, answer: str, note: str, user: User,
                     restriction: Mapping[str, Any] | None = None) -> IndicatorReview:
    """Record a person's answer to an indicator (kept in the review's history).

    The answer changes the review the person is shown, or starts one. ``restriction`` (``confidentiality``,
    ``published``, ``teams``) sets who may read the note; a new review is internal unless it says otherwise.
    A review the person cannot see is never touched: theirs is recorded beside it."""
    require_editor(user)
    known = {indicator.id for indicator in load_catalogue().for_kind(notice.kind)}
    if indicator_id not in known:
        raise ValueError(f"indicator '{indicator_id}' does not apply to a {notice.get_kind_display()} "
                         f"(expected one of {', '.join(sorted(known))})")
    if answer not in ("present", "absent", "unknown"):
        raise ValueError(f"answer '{answer}' is not one of present, absent, unknown")
    if not note.strip():
        raise ValueError("a note is required: say why the answer differs from the automatic one, or what it rests on")
    review = visible_review(notice, indicator_id, user) or IndicatorReview(notice=notice, indicator_id=indicator_id)
    review.answer, review.note, review.reviewer = answer, note.strip(), user
    try:
        save_restricted(review, dict(restriction or {}), user)
    except ValidationError as error:
        raise ValueError(describe(error)) from None
    return review
