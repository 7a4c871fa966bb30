from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from shelter.access.models import CONFIDENTIALITY_RANK, Confidentiality, Team, User
from shelter.countries import country_choices
from shelter.registry.models import Person
from shelter.threats.services import RECORDABLE_TACTICS
from shelter.web.record_forms import limit_pickers, picker_field


class QuickCheckForm(forms.Form):
    """The check anyone may run without an account: values only, and nothing is kept."""

    values = forms.CharField(
        label=_("Links, domains, IP addresses, e-mail addresses or file hashes, one per line"),
        widget=forms.Textarea(attrs={"rows": 4}), max_length=20_000,
    )


class TriageForm(forms.Form):
    message = forms.FileField(label=_("E-mail message (.eml)"), required=False)
    values = forms.CharField(
        label=_("Or links, domains, IP addresses, e-mail addresses or file hashes, one per line"),
        widget=forms.Textarea(attrs={"rows": 4}), required=False,
    )
    confidentiality = forms.ChoiceField(label=_("Confidentiality"), choices=Confidentiality.choices,
                                        initial=Confidentiality.CONFIDENTIAL)
    teams = forms.ModelMultipleChoiceField(label=_("Case teams"), queryset=Team.objects.none(), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["teams"].queryset = Team.objects.all() if user.is_shelter_admin else user.teams.all()  # type: ignore[attr-defined]
        # Only the levels the uploader may file, and by default the highest of them that keeps the report in
        # the author's sight: confidential only for someone with a case team to share it with.
        rank = CONFIDENTIALITY_RANK[Confidentiality(user.clearance)] if not user.is_shelter_admin else 2
        levels = [(value, label) for value, label in Confidentiality.choices
                  if CONFIDENTIALITY_RANK[Confidentiality(value)] <= rank]
        field = self.fields["confidentiality"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = levels
        if rank < 2 or not (user.is_shelter_admin or user.teams.exists()):
            field.initial = levels[min(rank, 1)][0]
        # The person is chosen by name among the people the uploader may see (a picker, as on every record form).
        self.fields["person"] = picker_field(Person, "person", _("Targeted person (optional)"))
        limit_pickers(self, user)

    def clean_message(self) -> Any:
        upload = self.cleaned_data.get("message")
        if upload is not None and upload.size > settings.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than the %(mb)s MiB limit.") % {"mb": settings.MAX_UPLOAD_BYTES // 2**20}
            )
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("message") and not (data.get("values") or "").strip():
            raise forms.ValidationError(_("Upload a message or enter at least one value to check."))
        if (data.get("confidentiality") == Confidentiality.CONFIDENTIAL and not data.get("teams")):
            self.add_error("teams", _("A confidential report needs a case team, or only administrators will see it."))
        return data


class RecordIncidentForm(forms.Form):
    tactic = forms.ChoiceField(label=_("Tactic"), choices=[(t, t.replace("_", " ")) for t in RECORDABLE_TACTICS])
    origin_state = forms.ChoiceField(label=_("Suspected origin state"), choices=country_choices)
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    date = forms.CharField(label=_("Date (YYYY, YYYY-MM or YYYY-MM-DD)"), max_length=10, required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"] = picker_field(Person, "person", _("Targeted person"), required=True)
        limit_pickers(self, user)

    def clean_date(self) -> str:
        from shelter.partial_dates import PartialDateError, parse_partial_date

        value = self.cleaned_data.get("date", "").strip()
        if value:
            try:
                parse_partial_date(value)
            except PartialDateError as error:
                raise forms.ValidationError(str(error)) from error
        return value
