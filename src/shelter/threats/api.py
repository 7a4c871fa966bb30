"""API under /api/v1/threats/: check values offline, and read the threat reports the caller may see.

Reports hold details of attacks on people, so there is no anonymous access here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from shelter.access.access_log import log_access
from shelter.access.visibility import get_visible_or_404, visible_to
from shelter.api.auth import TOKEN
from shelter.api.listing import Limit, Offset, page_of
from shelter.threats.models import ThreatReport
from shelter.triage import UnrecognisedValue, check_value

router = Router(tags=["threats"], auth=TOKEN)


class CheckIn(Schema):
    values: list[str]


class ReportOut(Schema):
    id: int
    kind: str
    subject: str
    sender: str
    verdict: str
    score: int
    confidentiality: str
    created: datetime
    person_id: int | None
    incident_id: int | None


class ReportDetailOut(ReportOut):
    report: dict[str, Any]


class ReportList(Schema):
    items: list[ReportOut]
    count: int


@router.post("/check", response=list[dict[str, Any]], summary="Check links, domains, IPs, addresses or hashes")
def check(request: HttpRequest, payload: CheckIn) -> list[dict[str, Any]]:
    """One verdict per value, computed offline; nothing is stored or fetched."""
    if not payload.values or len(payload.values) > 1000:
        raise HttpError(422, "send between 1 and 1000 values")
    verdicts = []
    for value in payload.values:
        try:
            verdicts.append({"value": value, **check_value(value).to_dict()})
        except UnrecognisedValue as error:
            raise HttpError(422, f"{value!r}: {error}") from error
    return verdicts


@router.get("/reports", response=ReportList)
def list_reports(request: HttpRequest, limit: int = Limit, offset: int = Offset,
                 verdict: str | None = None) -> dict[str, Any]:
    reports = visible_to(ThreatReport.objects.all(), request.user)
    if verdict:
        reports = reports.filter(verdict=verdict)
    return {"items": list(page_of(reports, limit, offset)), "count": reports.count()}


@router.get("/reports/{report_id}", response=ReportDetailOut)
def get_report(request: HttpRequest, report_id: int) -> ThreatReport:
    report = get_visible_or_404(ThreatReport.objects.all(), request.user, pk=report_id)
    log_access(request.user, report, "viewed")
    return report


@router.post("/feeds/update", summary="Update the indicator feeds (a job)")
def update_feeds(request: HttpRequest) -> dict[str, Any]:
    """Administrators only: download fresh copies of the shipped public feeds (the only use of the network),
    as a job: follow it at /api/v1/jobs/{job}. A feed that fails keeps its previous copy."""
    from shelter.threats.jobs import start_feeds_update

    job = start_feeds_update(request.auth)  # type: ignore[attr-defined]
    return {"job": str(job.pk), "status": job.status, "progress": f"/api/v1/jobs/{job.pk}"}
