"""The incident recording form (incident, targets, perpetrators and sources in one transaction) and the
source form. New people and sources created here inherit the incident's confidentiality and case teams,
so that recording a confidential incident never publishes its target."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from shelter.access.models import User
from shelter.access.visibility import Viewer, visible_to
from shelter.access.writes import remove_visible, save_form, save_record
from shelter.incidents.evidence import attach_file
from shelter.incidents.models import (
    Citation,
    Incident,
    IncidentPerpetrator,
    IncidentTarget,
    PerpetratorDegree,
    Reliability,
    Source,
    SourceKind,
    TargetRole,
)
from shelter.incidents.publishing import CONFIRM_FIELD, check_names
from shelter.incidents.taxonomy import taxonomy
from shelter.registry.models import NameKind, Organisation, Person, PersonName
from shelter.validators import validate_partial_date
from shelter.web.record_forms import (
    ACCESS_FIELDS,
    ACCESS_WIDGETS,
    AccessFieldsMixin,
    country_field,
    limit_pickers,
    picker_field,
)


def _check_upload_size(upload: UploadedFile | None) -> UploadedFile | None:
    if upload is not None and upload.size is not None and upload.size > settings.MAX_UPLOAD_BYTES:
        limit = settings.MAX_UPLOAD_BYTES / (1024 * 1024)
        raise forms.ValidationError(
            _("The file “%(name)s” is %(size).1f MiB; the largest accepted upload is %(limit).1f MiB."),
            params={"name": upload.name, "size": upload.size / (1024 * 1024), "limit": limit},
        )
    return upload


def attach_upload(source: Source, upload: UploadedFile) -> None:
    attach_file(source, upload.chunks(), upload.name or "")


def confirm_names_field() -> forms.BooleanField:
    return forms.BooleanField(
        label=_("publish the names anyway"), required=False,
        help_text=_("Needed only when Shelter warns that this public record names a person its readers may not "
                    "see."))


class PublishingGuardMixin:
    """The publishing guard on a page's form (see ``shelter.incidents.publishing``)."""

    user: Viewer
    text_fields: tuple[str, ...] = ()

    def check_publishing(self, cleaned: dict[str, Any]) -> None:
        writer = self.user if isinstance(self.user, User) else None
        if writer is None:
            return
        try:
            check_names([cleaned.get(name) or "" for name in self.text_fields],
                        cleaned.get("confidentiality") or "", bool(cleaned.get("published")), writer,
                        bool(cleaned.get(CONFIRM_FIELD)))
        except ValidationError as error:
            self.add_error(CONFIRM_FIELD, error.message_dict[CONFIRM_FIELD])  # type: ignore[attr-defined]


class IncidentForm(PublishingGuardMixin, AccessFieldsMixin, forms.ModelForm):
    text_fields = ("title", "description")
    tactic = forms.ChoiceField(
        label=_("tactic"), choices=[],
        error_messages={"invalid_choice": _("“%(value)s” is not a tactic in the taxonomy.")},
    )
    confirm_names = confirm_names_field()

    class Meta:
        model = Incident
        fields = ["title", "tactic", "date", "end_date", "origin_state", "host_country", "place", "outcome",
                  "verification", "description", *ACCESS_FIELDS]
        widgets = {"description": forms.Textarea(attrs={"rows": 5}), **ACCESS_WIDGETS}

    def __init__(self, *args: Any, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tactic"].choices = [("", "—")] + taxonomy().choices(get_language() or "en")  # type: ignore[attr-defined]
        self.fields["origin_state"] = country_field(
            _("origin state"), required=True, help_text=_("The state that reached across the border"))
        self.fields["host_country"] = country_field(_("host country"))
        self.limit_access_fields(user)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.check_access_fields(cleaned)
        self.check_publishing(cleaned)
        return cleaned


class TargetForm(forms.Form):
    person = picker_field(Person, "person", _("existing person"))
    new_name = forms.CharField(label=_("or a new person: name"), max_length=300, required=False)
    new_alias = forms.CharField(
        label=_("other spelling or script"), max_length=300, required=False,
        help_text=_("e.g. the name in Latin letters when the name above is in Cyrillic"),
    )
    role = forms.ChoiceField(label=_("role"), choices=TargetRole.choices, initial=TargetRole.TARGET)

    def __init__(self, *args: Any, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_pickers(self, user)
        # Typing a new name shows people already recorded under a similar name, in any script.
        new_name = self.add_prefix("new_name")
        self.fields["new_name"].widget.attrs.update({
            "hx-get": reverse("web:autocomplete", args=["person"]),
            "hx-trigger": "input changed delay:300ms",
            "hx-target": f"#{self.prefix}-suggest",
            "hx-vals": json.dumps({"target": f"id_{self.add_prefix('person')}", "field": new_name}),
            "autocomplete": "off",
        })

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("person") and cleaned.get("new_name"):
            raise forms.ValidationError(_("Choose an existing person or enter a new name, not both."))
        if cleaned.get("new_alias") and not cleaned.get("new_name") and not cleaned.get("person"):
            self.add_error("new_name", _("Enter the new person's name as well as the other spelling."))
        return cleaned

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not data.get("person") and not data.get("new_name")


class PerpetratorForm(forms.Form):
    person = picker_field(Person, "person", _("person"))
    organisation = picker_field(Organisation, "organisation", _("or organisation"))
    degree = forms.ChoiceField(label=_("degree"), choices=PerpetratorDegree.choices,
                               initial=PerpetratorDegree.SUSPECTED)

    def __init__(self, *args: Any, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_pickers(self, user)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("person") and cleaned.get("organisation"):
            raise forms.ValidationError(_("A perpetrator is a person or an organisation, not both."))
        return cleaned

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not data.get("person") and not data.get("organisation")


class CitedSourceForm(forms.Form):
    source = picker_field(Source, "source", _("existing source"))
    title = forms.CharField(label=_("or a new source: title"), max_length=300, required=False)
    kind = forms.ChoiceField(label=_("kind"), choices=SourceKind.choices, initial=SourceKind.URL)
    url = forms.CharField(label=_("URL"), max_length=2000, required=False,
                          help_text=_("Kept as text; Shelter never opens it."))
    publisher = forms.CharField(label=_("publisher"), max_length=200, required=False)
    published_on = forms.CharField(label=_("publication date"), max_length=10, required=False,
                                   validators=[validate_partial_date], help_text=_("YYYY, YYYY-MM or YYYY-MM-DD"))
    reliability = forms.ChoiceField(label=_("reliability"), choices=Reliability.choices,
                                    initial=Reliability.UNKNOWN)
    file = forms.FileField(label=_("archived file"), required=False)
    locator = forms.CharField(label=_("page, paragraph or quote"), max_length=500, required=False)

    def __init__(self, *args: Any, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_pickers(self, user)

    def clean_file(self) -> UploadedFile | None:
        return _check_upload_size(self.cleaned_data.get("file"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("source") and cleaned.get("title"):
            raise forms.ValidationError(_("Choose an existing source or describe a new one, not both."))
        new_details = any(cleaned.get(f) for f in ("url", "publisher", "published_on", "file", "locator"))
        if not cleaned.get("source") and not cleaned.get("title") and new_details:
            self.add_error("title", _("A new source needs a title."))
        return cleaned

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not data.get("source") and not data.get("title")


class _UserFormSet(forms.BaseFormSet):
    """A formset whose forms know the user, so that pickers offer only visible records."""

    def __init__(self, *args: Any, user: Viewer, **kwargs: Any) -> None:
        kwargs.setdefault("form_kwargs", {})["user"] = user
        super().__init__(*args, **kwargs)

    def filled(self) -> list[forms.Form]:
        return [f for f in self.forms if f.has_changed() and not f.is_blank]


class _TargetFormSet(_UserFormSet):
    def clean(self) -> None:
        chosen = [f.cleaned_data["person"].pk for f in self.forms
                  if getattr(f, "cleaned_data", None) and f.cleaned_data.get("person")]
        if len(chosen) != len(set(chosen)):
            raise forms.ValidationError(_("The same person is listed twice as a target."))


TargetFormSet = forms.formset_factory(TargetForm, formset=_TargetFormSet, extra=2, max_num=50)
PerpetratorFormSet = forms.formset_factory(PerpetratorForm, formset=_UserFormSet, extra=2, max_num=50)
CitedSourceFormSet = forms.formset_factory(CitedSourceForm, formset=_UserFormSet, extra=2, max_num=50)


class IncidentRecording:
    """The incident, its targets, perpetrators and sources, validated together and saved in one transaction.

    On an existing incident, the current links are listed and ticked ones removed (``remove_*`` ids)."""

    def __init__(self, user: Viewer, data: Any = None, files: Any = None, instance: Incident | None = None) -> None:
        self.user = user
        self.instance = instance or Incident()
        self.incident = IncidentForm(data, instance=self.instance, user=user)
        self.targets = TargetFormSet(data, files, prefix="targets", user=user)  # type: ignore[call-arg]
        self.perpetrators = PerpetratorFormSet(data, files, prefix="perpetrators", user=user)  # type: ignore[call-arg]
        self.sources = CitedSourceFormSet(data, files, prefix="sources", user=user)  # type: ignore[call-arg]
        self._data = data

    @property
    def parts(self) -> tuple[Any, ...]:
        return (self.incident, self.targets, self.perpetrators, self.sources)

    def is_valid(self) -> bool:
        # Validate every part (not stopping at the first invalid one) so that all errors show at once.
        return all([part.is_valid() for part in self.parts])

    def current_targets(self) -> Any:
        if self.instance.pk is None:
            return IncidentTarget.objects.none()
        return visible_to(IncidentTarget.objects.filter(incident=self.instance), self.user).select_related("person")

    def current_perpetrators(self) -> Any:
        if self.instance.pk is None:
            return IncidentPerpetrator.objects.none()
        return visible_to(IncidentPerpetrator.objects.filter(incident=self.instance), self.user).select_related(
            "person", "organisation")

    def current_citations(self) -> Any:
        if self.instance.pk is None:
            return Citation.objects.none()
        return visible_to(Citation.objects.filter(incident=self.instance), self.user).select_related("source")

    def _removed(self, name: str) -> list[int]:
        if self._data is None:
            return []
        return [int(v) for v in self._data.getlist(name) if str(v).isdigit()]

    @transaction.atomic
    def save(self) -> Incident:
        user: User = self.user  # type: ignore[assignment]
        incident: Incident = save_form(self.incident, user)
        teams = list(incident.teams.all())
        # Only links the user can see may be removed.
        remove_visible(self.current_targets().filter(pk__in=self._removed("remove_target")), user)
        remove_visible(self.current_perpetrators().filter(pk__in=self._removed("remove_perpetrator")), user)
        remove_visible(self.current_citations().filter(pk__in=self._removed("remove_citation")), user)
        for form in self.targets.filled():  # type: ignore[attr-defined]
            data = form.cleaned_data
            person = data["person"] or self._new_person(incident, teams, data["new_name"], data["new_alias"])
            target = IncidentTarget.objects.filter(incident=incident, person=person).first()
            target = target or IncidentTarget(incident=incident, person=person)
            target.role = data["role"]
            save_record(target, user)
        for form in self.perpetrators.filled():  # type: ignore[attr-defined]
            data = form.cleaned_data
            save_record(IncidentPerpetrator(incident=incident, person=data["person"],
                                            organisation=data["organisation"], degree=data["degree"]), user)
        for form in self.sources.filled():  # type: ignore[attr-defined]
            data = form.cleaned_data
            source = data["source"] or self._new_source(incident, teams, data)
            save_record(Citation(source=source, incident=incident, locator=data["locator"]), user)
        return incident

    def _new_person(self, incident: Incident, teams: list[Any], name: str, alias: str) -> Person:
        user: User = self.user  # type: ignore[assignment]
        person = save_record(Person(primary_name=name, confidentiality=incident.confidentiality), user)
        person.teams.set(teams)
        save_record(PersonName(person=person, full_name=name, kind=NameKind.PRIMARY), user)
        if alias:
            save_record(PersonName(person=person, full_name=alias, kind=NameKind.ALIAS), user)
        return person

    def _new_source(self, incident: Incident, teams: list[Any], data: dict[str, Any]) -> Source:
        source = Source(title=data["title"], kind=data["kind"], url=data["url"], publisher=data["publisher"],
                        published_on=data["published_on"], reliability=data["reliability"],
                        confidentiality=incident.confidentiality, published=incident.published)
        if data.get("file"):
            attach_upload(source, data["file"])
        save_record(source, self.user)  # type: ignore[arg-type]
        source.teams.set(teams)
        return source


class SourceForm(PublishingGuardMixin, AccessFieldsMixin, forms.ModelForm):
    text_fields = ("title", "notes")
    file = forms.FileField(label=_("archived file"), required=False,
                           help_text=_("Stored by its SHA-256 digest; never opened or run by Shelter."))
    confirm_names = confirm_names_field()

    class Meta:
        model = Source
        fields = ["title", "kind", "url", "publisher", "published_on", "reliability", "notes", *ACCESS_FIELDS]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4}), **ACCESS_WIDGETS}

    def __init__(self, *args: Any, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.limit_access_fields(user)

    def clean_file(self) -> UploadedFile | None:
        return _check_upload_size(self.cleaned_data.get("file"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.check_access_fields(cleaned)
        self.check_publishing(cleaned)
        return cleaned

    def save(self, commit: bool = True) -> Source:
        """The archived file is attached; saving goes through the audited write path as the form's user."""
        if commit:
            saved: Source = save_form(self, self.user)
            return saved
        source: Source = super().save(commit=False)
        if self.cleaned_data.get("file"):
            attach_upload(source, self.cleaned_data["file"])
        return source
