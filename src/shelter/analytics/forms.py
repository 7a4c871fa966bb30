"""Forms: the dashboard's filters (validated like any other input) and the agreement editor."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from shelter.access.models import Team, User
from shelter.access.visibility import visible_to
from shelter.analytics.country_labels import country_choices_in
from shelter.analytics.models import Agreement
from shelter.analytics.services import IncidentFilters
from shelter.incidents.models import Source
from shelter.incidents.taxonomy import taxonomy

YEAR_BOUNDS = {"min_value": 1900, "max_value": 2100}


def _countries() -> list[tuple[str, str]]:
    """Country choices named in the reader's language (evaluated when the form is shown)."""
    return country_choices_in((translation.get_language() or "en")[:2])


def _tactics() -> list[tuple[str, str]]:
    """Tactic choices named in the reader's language (evaluated when the form is shown)."""
    return taxonomy().choices((translation.get_language() or "en")[:2])


class PeriodForm(forms.Form):
    year_from = forms.IntegerField(label=_("from year"), required=False, **YEAR_BOUNDS)  # type: ignore[arg-type]
    year_to = forms.IntegerField(label=_("to year"), required=False, **YEAR_BOUNDS)  # type: ignore[arg-type]
    public = forms.BooleanField(label=_("public version"), required=False,
                                help_text=_("What an anonymous visitor sees: small counts merged into “other”, no count below 3."))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("year_from"), cleaned.get("year_to")
        if start is not None and end is not None and start > end:
            raise forms.ValidationError(_("The first year (%(start)s) is after the last (%(end)s)."),
                                        params={"start": start, "end": end})
        return cleaned


class CompactSelectMultiple(forms.SelectMultiple):
    """A multiple select rendered by one template loop: Django's default renders one template per option,
    which for two lists of 250 countries costs more than the statistics on the page."""

    template_name = "analytics/widgets/select_multiple.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        # analytics/filters.js turns each into a searchable multi-select; without the script it stays a list.
        super().__init__({"data-searchable": "", **(attrs or {})})


class DashboardFilterForm(PeriodForm):
    states = forms.MultipleChoiceField(label=_("origin states"), required=False, choices=_countries,
                                       widget=CompactSelectMultiple)
    hosts = forms.MultipleChoiceField(label=_("host countries"), required=False, choices=_countries,
                                      widget=CompactSelectMultiple)
    tactics = forms.MultipleChoiceField(label=_("tactics"), required=False, choices=_tactics,
                                        widget=CompactSelectMultiple)

    def filters(self) -> IncidentFilters:
        data = self.cleaned_data
        return IncidentFilters(
            year_from=data.get("year_from"), year_to=data.get("year_to"),
            states=tuple(data.get("states") or ()), hosts=tuple(data.get("hosts") or ()),
            tactics=tuple(data.get("tactics") or ()),
        )


class AgreementForm(forms.ModelForm):
    state = forms.ChoiceField(label=_("state"), choices=_countries)

    class Meta:
        model = Agreement
        fields = ["state", "partner", "name", "kind", "status", "next_milestone", "next_milestone_date", "notes",
                  "sources", "confidentiality", "published", "teams"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        # Only sources the editor may see can be cited; publishing is for curators.
        self.fields["sources"].queryset = visible_to(Source.objects.all(), user)  # type: ignore[attr-defined]
        if not user.can_curate:
            del self.fields["published"]
        if not user.is_shelter_admin:
            self.fields["teams"].queryset = user.teams.all()  # type: ignore[attr-defined]

    def clean_teams(self) -> Any:
        chosen = self.cleaned_data["teams"]
        if self.user.is_shelter_admin or self.instance.pk is None:
            return chosen
        # An editor chooses among their own teams; the record's other teams stay as they were.
        kept = self.instance.teams.exclude(pk__in=self.user.teams.all())
        return Team.objects.filter(pk__in=[*chosen.values_list("pk", flat=True), *kept.values_list("pk", flat=True)])
