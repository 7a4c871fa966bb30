"""Pages for people, organisations and relationships. Every query passes through the visibility filter."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_GET

from shelter import flash
from shelter.access.access_log import log_access
from shelter.access.visibility import get_visible_or_404, visible_to
from shelter.access.writes import remove_visible, save_form, save_record
from shelter.names import PersonRecord
from shelter.registry.forms import OrganisationForm, PersonForm, PersonNameFormSet, RelationshipForm
from shelter.registry.jobs import start_duplicates
from shelter.registry.matching import similar_people, stored_duplicate_pairs
from shelter.registry.models import (
    Organisation,
    OrganisationKind,
    Person,
    PersonName,
    Relationship,
    StatusAbroad,
)
from shelter.web.country_names import localised_country_name
from shelter.web.editing import form_page, record_to_edit
from shelter.web.facets import CONFIDENTIALITY_FACET, FacetSpec, choice_label
from shelter.web.history import history_panel
from shelter.web.listing import build_listing, listing_context
from shelter.web.permissions import curator_required, editor_required
from shelter.web.sections import sections_for

PERSON_FACETS = (
    FacetSpec("residence", "country_of_residence", gettext_lazy("Country of residence"), localised_country_name),
    FacetSpec("status", "status_abroad", gettext_lazy("Status abroad"), choice_label(StatusAbroad)),
    CONFIDENTIALITY_FACET,
)
ORGANISATION_FACETS = (
    FacetSpec("kind", "kind", gettext_lazy("Kind"), choice_label(OrganisationKind)),
    FacetSpec("country", "country", gettext_lazy("Country"), localised_country_name),
    CONFIDENTIALITY_FACET,
)


@require_GET
def people(request: HttpRequest) -> HttpResponse:
    listing = build_listing(request, Person.objects.prefetch_related("names"), PERSON_FACETS)
    return render(request, "registry/people.html", listing_context(listing))


@require_GET
def person(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    record = get_visible_or_404(Person.objects.all(), user, pk=pk)
    log_access(user, record, "viewed")
    about = Q(subject_person=record) | Q(object_person=record)
    context = {
        "person": record,
        "names": visible_to(PersonName.objects.filter(person=record), user),
        "relationships": _relationships(request, about),
        **sections_for("person", record, user),
        "history": history_panel(record, request.user),
        "kind": "person",
        "relationship_query": f"person={record.pk}",
    }
    return render(request, "registry/person.html", context)


def _relationships(request: HttpRequest, condition: Q) -> object:
    return visible_to(Relationship.objects.filter(condition), request.user).select_related(
        "subject_person", "subject_organisation", "object_person", "object_organisation")


def _names_from_post(form: PersonForm, names: PersonNameFormSet) -> list[str]:  # type: ignore[valid-type]
    found = [form.cleaned_data.get("primary_name", "")]
    for name_form in names.forms:  # type: ignore[attr-defined]
        data = getattr(name_form, "cleaned_data", {}) or {}
        if data.get("full_name") and not data.get("DELETE"):
            found.append(data["full_name"])
    return [n for n in found if n]


@editor_required
def person_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = request.user
    record = record_to_edit(request, Person, pk)
    form = PersonForm(request.POST or None, instance=record, user=user)
    names = PersonNameFormSet(request.POST or None, instance=record, prefix="names",
                              queryset=visible_to(PersonName.objects.all(), user))
    suggestions = []
    if request.method == "POST" and form.is_valid() and names.is_valid():
        if record.pk is None and not form.cleaned_data.get("not_a_duplicate"):
            query = PersonRecord(tuple(_names_from_post(form, names)), form.cleaned_data.get("dob") or None,
                                 tuple(form.cleaned_data.get("nationalities") or ()),
                                 form.cleaned_data.get("sex") or None)
            suggestions = similar_people(user, query)
        if suggestions:
            flash.warning(request, gettext_noop(
                "Possible duplicates found. Open them to compare, or confirm that this is a different person and "
                "save again."))
        else:
            with transaction.atomic():
                saved = save_form(form, user)
                names.instance = saved
                for name in names.save(commit=False):
                    save_record(name, user)  # type: ignore[arg-type]
                remove_visible(PersonName.objects.filter(pk__in=[n.pk for n in names.deleted_objects]),
                               user)  # type: ignore[arg-type]
            flash.success(request, gettext_noop("Saved “%(name)s”."), name=saved)
            return redirect(saved)
    return render(request, "registry/person_form.html",
                  {"form": form, "names": names, "person": record, "suggestions": suggestions})


@require_GET
@editor_required
def similar(request: HttpRequest) -> HttpResponse:
    """Possible duplicates of the person being entered (htmx fragment)."""
    typed = [request.GET.get("primary_name", "")] + request.GET.getlist("name")
    typed += [value for key, value in request.GET.items() if key.startswith("names-") and key.endswith("-full_name")]  # type: ignore[misc]
    exclude = request.GET.get("exclude")
    query = PersonRecord(tuple(t.strip() for t in typed if t.strip()), request.GET.get("dob") or None)
    suggestions = similar_people(request.user, query,
                                 exclude_pk=int(exclude) if exclude and exclude.isdigit() else None)
    return render(request, "registry/_similar.html", {"suggestions": suggestions})


@curator_required
def duplicates(request: HttpRequest) -> HttpResponse:
    """The stored pairs of people the curator may both see; a POST asks for them to be computed again (a job)."""
    if request.method == "POST":
        job = start_duplicates(request.user)  # type: ignore[arg-type]
        if job is None:
            flash.info(request, gettext_noop("A comparison of the registry is already waiting or running."))
        else:
            flash.success(request, gettext_noop(
                "The registry will be compared again in the background; this page shows the new pairs when the "
                "comparison has finished."))
        return redirect("registry:duplicates")
    return render(request, "registry/duplicates.html", {"stored": stored_duplicate_pairs(request.user)})


@require_GET
def organisations(request: HttpRequest) -> HttpResponse:
    listing = build_listing(request, Organisation.objects.all(), ORGANISATION_FACETS)
    return render(request, "registry/organisations.html", listing_context(listing))


@require_GET
def organisation(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    record = get_visible_or_404(Organisation.objects.all(), user, pk=pk)
    log_access(user, record, "viewed")
    context = {
        "organisation": record,
        "relationships": _relationships(request, Q(subject_organisation=record) | Q(object_organisation=record)),
        **sections_for("organisation", record, user),
        "history": history_panel(record, request.user),
        "kind": "organisation",
        "relationship_query": f"organisation={record.pk}",
    }
    return render(request, "registry/organisation.html", context)


@editor_required
def organisation_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    record = record_to_edit(request, Organisation, pk)
    form = OrganisationForm(request.POST or None, instance=record, user=request.user)
    return form_page(request, form, "registry/organisation_form.html", {"organisation": record})


@editor_required
def relationship_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    record = record_to_edit(request, Relationship, pk)
    initial = {}
    if not pk and request.GET.get("person", "").isdigit():
        initial["subject_person"] = request.GET["person"]
    if not pk and request.GET.get("organisation", "").isdigit():
        initial["subject_organisation"] = request.GET["organisation"]
    form = RelationshipForm(request.POST or None, instance=record, user=request.user,
                            initial=initial)
    history = history_panel(record, request.user) if record.pk else []
    return form_page(request, form, "registry/relationship_form.html",
                     {"relationship": record, "history": history, "kind": "relationship"},
                     shown_at=lambda saved: saved.subject)
