"""API: statistics, per-state briefing figures and agreements, for the token's user (or its public
version with ``public=true``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from shelter.access.visibility import visible_to
from shelter.analytics.briefing import build_briefing
from shelter.analytics.models import Agreement
from shelter.analytics.services import Audience, IncidentFilters, tables_for
from shelter.api.auth import TOKEN_OR_ANONYMOUS
from shelter.countries import UnknownCountryError, country_code
from shelter.incidents.taxonomy import taxonomy

router = Router(tags=["analytics"], auth=TOKEN_OR_ANONYMOUS)


class FigureQuery(Schema):
    year_from: int | None = None
    year_to: int | None = None
    states: list[str] = []
    hosts: list[str] = []
    tactics: list[str] = []
    public: bool = False


class AgreementOut(Schema):
    id: int
    state: str
    partner: str
    name: str
    kind: str
    status: str
    next_milestone: str
    next_milestone_date: str
    confidentiality: str


def _country(value: str) -> str:
    try:
        return country_code(value)
    except UnknownCountryError as error:
        raise HttpError(422, str(error)) from error


def _filters(query: FigureQuery) -> IncidentFilters:
    if query.year_from and query.year_to and query.year_from > query.year_to:
        raise HttpError(422, f"year_from {query.year_from} is after year_to {query.year_to}")
    unknown = [t for t in query.tactics if taxonomy().get(t) is None]
    if unknown:
        raise HttpError(422, f"unknown tactic code(s): {', '.join(unknown)}")
    return IncidentFilters(
        year_from=query.year_from, year_to=query.year_to,
        states=tuple(_country(s) for s in query.states), hosts=tuple(_country(h) for h in query.hosts),
        tactics=tuple(query.tactics),
    )


@router.get("/figures", summary="Incident statistics: every table behind the dashboard's charts")
def figures(request: HttpRequest, query: Query[FigureQuery]) -> dict[str, Any]:
    audience = Audience.for_request_user(request.user, query.public)
    tables = tables_for(audience, _filters(query))
    return {"public": audience.public, "tables": {name: table.as_dict() for name, table in tables.items()}}


@router.get("/states/{state}/briefing", summary="The figures behind a state's briefing")
def briefing(request: HttpRequest, state: str, year_from: int | None = None, year_to: int | None = None,
             public: bool = False) -> dict[str, Any]:
    audience = Audience.for_request_user(request.user, public)
    if year_from and year_to and year_from > year_to:
        raise HttpError(422, f"year_from {year_from} is after year_to {year_to}")
    language = (get_language() or "en")[:2]  # the caller's Accept-Language, as the locale middleware chose it
    return build_briefing(_country(state), audience, year_from, year_to, language=language).as_json()


@router.get("/agreements", response=list[AgreementOut], summary="Agreements with a state, as the caller may see them")
def agreements(request: HttpRequest, state: str | None = None) -> Any:
    queryset = visible_to(Agreement.objects.all(), request.user)
    if state:
        queryset = queryset.filter(state=_country(state))
    return list(queryset)
