"""Forms for people (with their names in every script), organisations and relationships."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shelter.access.visibility import Viewer
from shelter.registry.models import NameKind, Organisation, Person, PersonName, Relationship
from shelter.web.country_names import localised_country_choices
from shelter.web.record_forms import (
    ACCESS_FIELDS,
    ACCESS_WIDGETS,
    AccessFieldsMixin,
    country_field,
    limit_pickers,
    picker_field,
)


def _split_tags(text: str, separator: str = ",") -> list[str]:
    return [part.strip() for part in text.split(separator) if part.strip()]


class PersonForm(AccessFieldsMixin, forms.ModelForm):
    nationalities = forms.MultipleChoiceField(
        label=_("nationalities"), required=False, choices=[],
        error_messages={"invalid_choice": _("“%(value)s” is not a known country (expected an ISO 3166-1 code such "
                                            "as UZ, RU, DE).")},
    )
    profile = forms.CharField(
        label=_("profile"), required=False,
        help_text=_("Comma-separated tags such as opposition, journalist, religious_figure, relative"),
    )
    not_a_duplicate = forms.BooleanField(
        label=_("I have checked the possible duplicates: this is a different person"), required=False,
    )

    class Meta:
        model = Person
        fields = ["primary_name", "dob", "sex", "nationalities", "country_of_residence", "status_abroad",
                  "profile", "at_risk", "description", *ACCESS_FIELDS]
        widgets = {"description": forms.Textarea(attrs={"rows": 4}), **ACCESS_WIDGETS}

    def __init__(self, *args: Any, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

        self.fields["nationalities"].choices = localised_country_choices()  # type: ignore[attr-defined]
        self.fields["country_of_residence"] = country_field(_("country of residence"))
        self.initial["profile"] = ", ".join(self.instance.profile or [])
        if self.instance.pk:
            del self.fields["not_a_duplicate"]
        self.limit_access_fields(user)

    def clean_profile(self) -> list[str]:
        return _split_tags(self.cleaned_data.get("profile") or "")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.check_access_fields(cleaned)
        return cleaned


class PersonNameForm(forms.ModelForm):
    """One of a person's names, in a row of the names table: each input named for screen readers by its column;
    the kind, when left empty, read from the scripts (``PersonName.save``)."""

    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("by its script")), *NameKind.choices])

    class Meta:
        model = PersonName
        fields = ["full_name", "given_name", "surname", "patronymic", "language", "kind"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = str(field.label).capitalize()


class PersonNameRows(forms.BaseInlineFormSet):
    def add_fields(self, form: forms.ModelForm, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["aria-label"] = str(_("Remove"))


PersonNameFormSet = forms.inlineformset_factory(
    Person, PersonName, form=PersonNameForm, formset=PersonNameRows, extra=2, can_delete=True,
)


class OrganisationForm(AccessFieldsMixin, forms.ModelForm):
    aliases = forms.CharField(
        label=_("other names"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One name per line, in any script"),
    )

    class Meta:
        model = Organisation
        fields = ["name", "aliases", "kind", "country", "description", *ACCESS_FIELDS]
        widgets = {"description": forms.Textarea(attrs={"rows": 4}), **ACCESS_WIDGETS}

    def __init__(self, *args: Any, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"] = country_field(_("country"))
        if self.instance.pk:
            self.initial["aliases"] = "\n".join(self.instance.aliases or [])
        self.limit_access_fields(user)

    def clean_aliases(self) -> list[str]:
        return _split_tags(self.cleaned_data.get("aliases") or "", "\n")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.check_access_fields(cleaned)
        return cleaned


class RelationshipForm(AccessFieldsMixin, forms.ModelForm):
    subject_person = picker_field(Person, "person", _("from person"))
    subject_organisation = picker_field(Organisation, "organisation", _("or from organisation"))
    object_person = picker_field(Person, "person", _("to person"))
    object_organisation = picker_field(Organisation, "organisation", _("or to organisation"))

    class Meta:
        model = Relationship
        fields = ["subject_person", "subject_organisation", "kind", "detail", "object_person",
                  "object_organisation", "start", "end", "description", *ACCESS_FIELDS]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), **ACCESS_WIDGETS}

    def __init__(self, *args: Any, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_pickers(self, user)
        self.limit_access_fields(user)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for side, label in (("subject", _("from")), ("object", _("to"))):
            chosen = [cleaned.get(f"{side}_person"), cleaned.get(f"{side}_organisation")]
            if sum(1 for c in chosen if c is not None) != 1:
                self.add_error(f"{side}_person", _("Choose exactly one person or one organisation (%(side)s).")
                               % {"side": label})
        self.check_access_fields(cleaned)
        return cleaned
