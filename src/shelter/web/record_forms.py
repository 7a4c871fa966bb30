"""Form pieces every record form shares: access fields limited to what the user may grant, and the
record picker (a hidden id plus an as-you-type search over the records the user may see)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from shelter.access.models import CONFIDENTIALITY_RANK, Confidentiality, Team
from shelter.access.visibility import Viewer, visible_to
from shelter.web.country_names import localised_country_choices

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ACCESS_FIELDS = ("confidentiality", "published", "teams")
ACCESS_WIDGETS = {"teams": forms.CheckboxSelectMultiple}


class PickerWidget(forms.Widget):
    """A hidden input holding the chosen record's id, and a search box that asks the autocomplete view."""

    template_name = "web/widgets/picker.html"

    def __init__(self, kind: str, attrs: dict[str, Any] | None = None, field_label: StrOrPromise = "") -> None:
        super().__init__(attrs)
        self.kind = kind
        self.field_label = field_label  # names the search box for screen readers
        self.queryset: models.QuerySet | None = None

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        label = ""
        # Only a record the user may see is named back to them, whatever id was posted.
        if value not in (None, "") and self.queryset is not None and str(value).isdigit():
            chosen = self.queryset.filter(pk=value).first()
            label = str(chosen) if chosen is not None else ""
            if chosen is None:
                context["widget"]["value"] = ""
        context["widget"].update({"kind": self.kind, "label": label, "field_label": self.field_label})
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name) or None


def picker_field(model: type[models.Model], kind: str, label: StrOrPromise,
                 required: bool = False) -> forms.ModelChoiceField[Any]:
    return forms.ModelChoiceField(
        queryset=model._default_manager.none(), widget=PickerWidget(kind, field_label=label), required=required,
        label=label,
        error_messages={"invalid_choice": _("That record does not exist or you may not see it.")},
    )


def limit_pickers(form: forms.BaseForm, user: Viewer) -> None:
    """Point every picker at the records ``user`` may see; anything else is rejected as invalid."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField) and isinstance(field.widget, PickerWidget) \
                and field.queryset is not None:
            model = field.queryset.model
            field.queryset = visible_to(model._default_manager.all(), user)
            field.widget.queryset = field.queryset


def country_field(label: StrOrPromise, required: bool = False, help_text: StrOrPromise = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, required=required, help_text=help_text,
        choices=[("", "—")] + localised_country_choices(),
        error_messages={"invalid_choice": _("“%(value)s” is not a known country (expected an ISO 3166-1 code such "
                                            "as UZ, RU, DE).")},
    )


class AccessFieldsMixin:
    """Confidentiality up to the user's clearance; case teams among the user's own (admins: all teams)."""

    user: Viewer
    fields: dict[str, forms.Field]

    def limit_access_fields(self, user: Viewer) -> None:
        self.user = user
        is_admin = bool(getattr(user, "is_shelter_admin", False))
        if "confidentiality" in self.fields:
            limit = CONFIDENTIALITY_RANK[Confidentiality(getattr(user, "clearance", Confidentiality.PUBLIC))]
            field = self.fields["confidentiality"]
            field.choices = [  # type: ignore[attr-defined]
                (value, label) for value, label in Confidentiality.choices
                if is_admin or CONFIDENTIALITY_RANK[Confidentiality(value)] <= limit
            ]
        if "teams" in self.fields:
            self.fields["teams"].queryset = (  # type: ignore[attr-defined]
                Team.objects.all() if is_admin else Team.objects.filter(members=user))  # type: ignore[misc]

    def clean_teams(self) -> list[Team]:
        """The teams chosen, and the record's teams outside the user's own, which stay as they were."""
        chosen = list(self.cleaned_data["teams"])  # type: ignore[attr-defined]
        instance = getattr(self, "instance", None)
        if getattr(self.user, "is_shelter_admin", False) or instance is None or not instance.pk:
            return chosen
        kept = instance.teams.exclude(pk__in=Team.objects.filter(members=self.user).values("pk"))  # type: ignore[misc]
        return chosen + [team for team in kept if team not in chosen]

    def check_access_fields(self, cleaned: dict[str, Any]) -> None:
        if cleaned.get("confidentiality") == Confidentiality.CONFIDENTIAL and not cleaned.get("teams"):
            self.add_error(  # type: ignore[attr-defined]
                "teams", _("A confidential record needs at least one case team: without one, only "
                           "administrators could see it."))
