"""Triage in the platform: analyse, store and record, each in one transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from email.utils import parsedate_to_datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from shelter.access.models import Confidentiality, Team, User
from shelter.access.visibility import visible_to
from shelter.access.writes import describe, require_editor, save_audited, save_record, save_restricted
from shelter.incidents.models import Incident, IncidentTarget, TargetRole, Verification
from shelter.intake import escape_controls
from shelter.registry.models import Person
from shelter.threats.models import ReportKind, ThreatReport
from shelter.threats.storage import store_message
from shelter.triage import Verdict, analyse_email, check_value

RECORDABLE_TACTICS = ("phishing", "spyware", "account_compromise")


class TriageInputError(ValueError):
    pass


def _save_restricted(report: ThreatReport, user: User, teams: Iterable[Team]) -> ThreatReport:
    """Saved like every restricted record: within the uploader's clearance and case teams."""
    try:
        save_restricted(report, {"teams": [team.name for team in teams]}, user)
    except ValidationError as error:
        raise TriageInputError(describe(error)) from None
    return report


def _checked_person(person: Person | None, user: User) -> Person | None:
    if person is not None and not visible_to(Person.objects.filter(pk=person.pk), user).exists():
        raise TriageInputError("that person does not exist or is not visible to you")
    return person


@transaction.atomic
def triage_message(raw: bytes, user: User, *, confidentiality: str = Confidentiality.CONFIDENTIAL,
                   teams: Iterable[Team] = (), person: Person | None = None) -> ThreatReport:
    if not raw.strip():
        raise TriageInputError("the uploaded message is empty")
    analysed = analyse_email(raw)
    store_message(raw, analysed.sha256)
    # The message's own words are evidence: kept, with any control character written out (as \x1b).
    report = ThreatReport(
        kind=ReportKind.EMAIL, subject=str(escape_controls(analysed.subject))[:500],
        sender=str(escape_controls(analysed.sender))[:500], verdict=analysed.verdict.verdict,
        score=analysed.verdict.score, report=escape_controls(analysed.to_dict()),
        message_sha256=analysed.sha256, message_size=len(raw), uploaded_by=user,
        person=_checked_person(person, user), confidentiality=confidentiality,
    )
    return _save_restricted(report, user, teams)


@transaction.atomic
def triage_values(values: Iterable[str], user: User, *, confidentiality: str = Confidentiality.CONFIDENTIAL,
                  teams: Iterable[Team] = (), person: Person | None = None) -> list[ThreatReport]:
    from shelter.triage import UnrecognisedValue

    reports = []
    for value in (v.strip() for v in values):
        if not value:
            continue
        try:
            verdict = check_value(value)
        except UnrecognisedValue as error:
            raise TriageInputError(str(error)) from error
        report = ThreatReport(
            kind=ReportKind.VALUE, subject=str(escape_controls(value))[:500], verdict=verdict.verdict,
            score=verdict.score, report=escape_controls({"verdict": verdict.to_dict(), "value": value}), uploaded_by=user,
            person=_checked_person(person, user), confidentiality=confidentiality,
        )
        reports.append(_save_restricted(report, user, teams))
    if not reports:
        raise TriageInputError("enter at least one link, domain, IP address, e-mail address or file hash")
    return reports


QUICK_CHECK_VALUES = 20


def quick_check(values: Iterable[str]) -> list[tuple[str, Verdict]]:
    """Each value's verdict, for the check that needs no account: nothing is written anywhere."""
    from shelter.triage import UnrecognisedValue

    wanted = [str(escape_controls(v.strip())) for v in values if v.strip()]
    if not wanted:
        raise TriageInputError("enter at least one link, domain, IP address, e-mail address or file hash")
    if len(wanted) > QUICK_CHECK_VALUES:
        raise TriageInputError(f"check at most {QUICK_CHECK_VALUES} values at a time")
    results = []
    for value in wanted:
        try:
            results.append((value, check_value(value)))
        except UnrecognisedValue as error:
            raise TriageInputError(str(error)) from error
    return results


def message_date(report: ThreatReport) -> str:
    """The message's Date header as a partial date, today when absent or unreadable."""
    for name, value in report.report.get("headers", []):
        if name.lower() == "date":
            try:
                return parsedate_to_datetime(value).date().isoformat()
            except (TypeError, ValueError):
                break
    return date.today().isoformat()


@transaction.atomic
def record_as_incident(report: ThreatReport, user: User, *, tactic: str, person: Person, origin_state: str,
                       title: str = "", date_text: str = "", host_country: str = "") -> Incident:
    """Create an incident for the attempt, with the person as target, at the report's confidentiality."""
    require_editor(user)
    if tactic not in RECORDABLE_TACTICS:
        raise TriageInputError(f"tactic must be one of {', '.join(RECORDABLE_TACTICS)}")
    _checked_person(person, user)
    verdict = report.report.get("verdict", {})
    findings = "; ".join(f"{f['id']} {f['title']}" for f in verdict.get("findings", []))
    incident = Incident(
        title=title or f"{tactic.replace('_', ' ').capitalize()} attempt: {report.subject}"[:300],
        tactic=tactic, date=date_text or message_date(report), origin_state=origin_state,
        host_country=host_country or person.country_of_residence,
        description=f"Recorded from threat report #{report.pk} (verdict {report.verdict}, score {report.score}). "
                    f"Findings: {findings}",
        verification=Verification.PARTIAL if report.verdict != "no_indicators_found" else Verification.UNVERIFIED,
        confidentiality=report.confidentiality,
    )
    save_record(incident, user)
    incident.teams.set(report.teams.all())
    save_record(IncidentTarget(incident=incident, person=person, role=TargetRole.TARGET), user)
    report.incident = incident
    report.person = person
    save_audited(report, user, update_fields=["incident", "person", "modified"])
    return incident
