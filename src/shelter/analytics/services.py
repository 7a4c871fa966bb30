"""Statistics from the database, always through the visibility filter.

The pages, the API, the CLI and the briefing all call :func:`figures_for`: the database counts the
caller's visible incidents (by place, by tactic and outcome, by year), and the pure :mod:`shelter.analytics.stats` builds every
breakdown from those counts.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.db.models.functions import Substr
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from shelter.access.models import User
from shelter.access.visibility import Viewer, visible_to
from shelter.analytics import data_version
from shelter.analytics.country_labels import country_label
from shelter.analytics.notice_stats import (
    NoticeFigures,
    NoticeGroup,
    NoticeWords,
    compute_notice_figures,
    notice_year,
)
from shelter.analytics.stats import Figures, Flow, TacticOutcomeCount, compute_figures
from shelter.analytics.suppression import SMALL_COUNT_LIMIT
from shelter.analytics.tables import Labels, Table, build_tables
from shelter.incidents.models import Incident, Outcome
from shelter.incidents.taxonomy import taxonomy


@dataclass(frozen=True)
class Audience:
    """Who the output is for. A public output sees what an anonymous visitor sees, with small counts
    suppressed and people pseudonymised, whoever asks for it."""

    user: Viewer
    public: bool = False

    @property
    def viewer(self) -> Viewer:
        return None if self.public else self.user

    @classmethod
    def for_request_user(cls, user: Viewer, public_requested: bool) -> Audience:
        signed_in = user is not None and user.is_authenticated
        return cls(user if signed_in else None, public=public_requested or not signed_in)


@dataclass(frozen=True)
class IncidentFilters:
    year_from: int | None = None
    year_to: int | None = None
    states: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()
    tactics: tuple[str, ...] = ()

    def apply(self, queryset: QuerySet[Incident]) -> QuerySet[Incident]:
        if self.year_from is not None:
            queryset = queryset.filter(year__gte=self.year_from)
        if self.year_to is not None:
            queryset = queryset.filter(year__lte=self.year_to)
        if self.states:
            queryset = queryset.filter(origin_state__in=self.states)
        if self.hosts:
            queryset = queryset.filter(host_country__in=self.hosts)
        if self.tactics:
            queryset = queryset.filter(tactic__in=self.tactics)
        return queryset

    @property
    def period(self) -> str:
        if self.year_from is None and self.year_to is None:
            return ""
        return f"{self.year_from or ''}–{self.year_to or ''}"


def visible_incidents(audience: Audience, filters: IncidentFilters) -> QuerySet[Incident]:
    return filters.apply(visible_to(Incident.objects.all(), audience.viewer))


Groups = tuple[list[Flow], list[TacticOutcomeCount], dict[int | None, int]]


def _groups_one_by_one(visible: QuerySet[Incident]) -> Groups:
    """Three grouped counts. On SQLite each reads one counting index in order (see
    :mod:`shelter.analytics.data_version`), without a sort and without touching the table."""
    def counts_by(*fields: str) -> list[tuple[Any, ...]]:
        return list(visible.order_by().values_list(*fields).annotate(count=Count("pk")))

    return ([Flow(*row) for row in counts_by("origin_state", "host_country")],
            [TacticOutcomeCount(*row) for row in counts_by("tactic", "outcome")],
            dict(counts_by("year")))


def _groups_in_one_scan(visible: QuerySet[Incident]) -> Groups:
    """The same three grouped counts from one scan, with PostgreSQL's grouping sets. The incidents scanned
    are the visible queryset's own SQL, visibility filter included."""
    columns = ("origin_state", "host_country", "tactic", "outcome", "year")
    sql, params = visible.order_by().values_list(*columns).query.sql_with_params()
    flows: list[Flow] = []
    tactic_outcomes: list[TacticOutcomeCount] = []
    years: dict[int | None, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)}, GROUPING(origin_state), GROUPING(tactic), COUNT(*) FROM ({sql}) AS visible "
            "GROUP BY GROUPING SETS ((origin_state, host_country), (tactic, outcome), (year))", params)
        for origin, host, tactic, outcome, year, not_by_place, not_by_tactic, count in cursor.fetchall():
            if not not_by_place:
                flows.append(Flow(origin, host, count))
            elif not not_by_tactic:
                tactic_outcomes.append(TacticOutcomeCount(tactic, outcome, count))
            else:
                years[year] = count
    return flows, tactic_outcomes, years


def figures_of(audience: Audience, filters: IncidentFilters) -> Figures:
    """The figures of the incidents ``audience`` may see within ``filters``, counted by the database."""
    visible = visible_incidents(audience, filters)
    count_groups = _groups_in_one_scan if connection.vendor == "postgresql" else _groups_one_by_one
    flows, tactic_outcomes, years = count_groups(visible)
    categories = {tactic.code: tactic.category for tactic in taxonomy().tactics}
    return compute_figures(flows, years, tactic_outcomes, categories)


# A page view asks for the same figures up to eight times (the page, then each chart image and CSV), and
# readers come back to the same dashboard: figures are kept per audience, filters and data version. The
# data version moves with every write to the incidents or their case teams, whatever the path (see
# shelter.analytics.data_version); the time limit only bounds the memory kept figures take.
FIGURES_CACHE_SECONDS = 300


def visibility_class(viewer: Viewer) -> str:
    """Everything the visibility filter reads about the viewer: readers of one class see the same incidents,
    so they share kept figures."""
    if viewer is None or not viewer.is_authenticated:
        return "public"
    assert isinstance(viewer, User)
    if viewer.is_shelter_admin:
        return "admin"
    teams = ",".join(str(pk) for pk in sorted(viewer.teams.values_list("pk", flat=True)))
    return f"clearance={viewer.clearance};teams={teams}"


def figures_for(audience: Audience, filters: IncidentFilters) -> Figures:
    # The counts must describe the same incidents even while others write: one read snapshot (SQLite's
    # read transaction; PostgreSQL's REPEATABLE READ, settable only as a transaction's first statement, so
    # an enclosing transaction keeps its own isolation). The data version is read in the same snapshot.
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        version = data_version.current(connection)
        if version is None:
            return figures_of(audience, filters)
        key = "analytics:figures:" + hashlib.sha256(
            repr((visibility_class(audience.viewer), filters, version)).encode()
        ).hexdigest()
        figures: Figures | None = cache.get(key)
        if figures is None:
            data_version.keep_planner_statistics(connection)
            figures = figures_of(audience, filters)
            cache.set(key, figures, FIGURES_CACHE_SECONDS)
        return figures


def labels(language: str = "en") -> Labels:
    """Labels in ``language`` for the current translation (UI strings via gettext)."""
    tax = taxonomy()
    outcome_labels = dict(Outcome.choices)

    def tactic_label(code: str) -> str:
        tactic = tax.get(code)
        return tactic.label(language) if tactic else code

    def category_label(code: str) -> str:
        names = tax.categories.get(code)
        return names.get(language[:2], names["en"]) if names else _("other")

    return Labels(
        country=lambda code: country_label(code, language),
        tactic=tactic_label,
        category=category_label,
        outcome=lambda code: str(outcome_labels.get(code, code)),
        unknown_country=_("unknown"),
        incidents=_("incidents"),
        headings={
            "by_year": _("Incidents by year"),
            "by_category": _("Incidents by tactic category"),
            "by_tactic": _("Incidents by tactic"),
            "by_origin": _("Incidents by origin state"),
            "by_host": _("Incidents by host country"),
            "flows": _("Origin state → host country"),
            "returnee_outcomes": _("Returnee outcomes (deportation, extradition, rendition)"),
            "year": _("year"),
            "category": _("category"),
            "tactic": _("tactic"),
            "origin_state": _("origin state"),
            "host_country": _("host country"),
            "outcome": _("outcome"),
        },
        others={
            "by_year": _("other years"),
            "by_year_undated": _("other years or date unknown"),
            "by_category": _("other categories"),
            "by_tactic": _("other tactics"),
            "by_origin": _("other states"),
            "by_host": _("other countries or unknown"),
            "flows": _("other routes"),
            "returnee_outcomes": _("other outcomes"),
        },
        undated=_("date unknown"),
        withheld=_("Not shown: fewer than 3 incidents, or a number that would let such a count be worked out."),
        fewer=fewer_than_limit(),
    )


def fewer_than_limit() -> str:
    """A public figure below the small-count limit, in words of the current language."""
    return _("fewer than %(limit)d") % {"limit": SMALL_COUNT_LIMIT}


def tables_for(audience: Audience, filters: IncidentFilters, language: str = "en") -> dict[str, Table]:
    return build_tables(figures_for(audience, filters), labels(language), audience.public)


def notice_figures_for(audience: Audience, filters: IncidentFilters) -> NoticeFigures | None:
    """Notice and request statistics for the filters' states and years, or ``None`` where this workspace
    has no notices module. Host-country and tactic filters do not apply to notices."""
    try:
        from shelter.notices.models import REFUSAL_KINDS, Notice, NoticeKind, NoticeStatus, NoticeStatusEvent
    except ImportError:
        return None
    notices = visible_to(Notice.objects.all(), audience.viewer)
    if filters.states:
        notices = notices.filter(issuing_state__in=filters.states)
    refused = NoticeStatusEvent.objects.filter(notice=OuterRef("pk"), kind__in=REFUSAL_KINDS)
    grouped = (
        notices.order_by()
        .annotate(issued_year=Substr("issued", 1, 4), id_prefix=Substr("entity_id", 1, 5), refused=Exists(refused))
        .values("issuing_state", "kind", "status", "issued_year", "id_prefix", "nationalities", "refused")
        .annotate(count=Count("pk"))
    )
    groups = []
    for row in grouped:
        year, from_id = notice_year(row["issued_year"], row["id_prefix"])
        if filters.year_from is not None and (year is None or year < filters.year_from):
            continue
        if filters.year_to is not None and (year is None or year > filters.year_to):
            continue
        groups.append(NoticeGroup(row["issuing_state"], row["kind"], row["status"], year, row["refused"],
                                  row["count"], tuple(row["nationalities"] or ()), from_id))
    labels = {code: str(label) for code, label in (*NoticeKind.choices, *NoticeStatus.choices)}
    labels.update({code: country_label(code, get_language() or "en") for group in groups for code in group.nationalities})
    return compute_notice_figures(groups, labels, NoticeWords(
        other_kinds=_("other kinds"), other_statuses=_("other statuses"), other_years=_("other years"),
        other_years_undated=_("other years or date unknown"),
        other_nationalities=_("other nationalities or not recorded"), undated=_("date unknown"),
        no_nationality=_("nationality not recorded"), fewer=fewer_than_limit(),
        withheld=_("Not shown: fewer than 3 notices, or a number that would let such a count be worked out."),
    ))


def audience_for_operator(username: str | None) -> Audience:
    """The command line's audience: the operator sees everything; ``--as USERNAME`` sees what that user sees."""
    from shelter.access.models import Role

    if username is None:
        # The operator runs the platform and holds its database: nothing is hidden from them.
        return Audience(User(username="operator", role=Role.ADMIN, is_superuser=True))
    user = User.objects.filter(username=username).first()
    if user is None:
        raise LookupError(f"no user '{username}' (list users with: shelter users list)")
    if not user.is_active:
        raise LookupError(f"user '{username}' is deactivated")
    return Audience(user)
