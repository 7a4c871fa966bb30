"""Forms for manual entry, status events, candidate decisions, reviews and attached evidence."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shelter.access.models import Confidentiality, Team
from shelter.access.visibility import Viewer
from shelter.incidents.models import Incident, Source
from shelter.notices.models import Answer, Notice, NoticeStatusEvent
from shelter.registry.candidates import MatchDecision
from shelter.web.record_forms import AccessFieldsMixin, limit_pickers, picker_field


class NoticeForm(forms.ModelForm):
    charges_text = forms.CharField(
        label=_("Charges"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One charge per line, in the original language; a translation may follow after ' || '."),
    )
    nationalities = forms.CharField(label=_("Nationalities"), required=False,
                                    help_text=_("ISO codes separated by commas, e.g. TJ, RU"))

    class Meta:
        model = Notice
        fields = ["entity_id", "kind", "forename", "surname", "dob", "sex", "nationalities", "issuing_state",
                  "issued", "description", "confidentiality"]

    def clean_nationalities(self) -> list[str]:
        raw = self.cleaned_data.get("nationalities") or ""
        return [code.strip().upper() for code in raw.replace(";", ",").split(",") if code.strip()]

    def charges(self) -> list[dict[str, str]]:
        found = []
        for line in (self.cleaned_data.get("charges_text") or "").splitlines():
            text, _sep, translation = line.partition("||")
            if text.strip():
                found.append({"text": text.strip(), "translation": translation.strip()})
        return found


class StatusEventForm(forms.ModelForm):
    class Meta:
        model = NoticeStatusEvent
        fields = ["kind", "date", "state", "detail", "reference"]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=MatchDecision.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class ReviewForm(forms.Form):
    answer = forms.ChoiceField(label=_("Answer"), choices=Answer.choices)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}))
    # Who may read the note: a record of its own, internal unless the reviewer chooses otherwise.
    confidentiality = forms.ChoiceField(label=_("Who may read the note"), choices=Confidentiality.choices,
                                        initial=Confidentiality.INTERNAL, required=False)
    published = forms.BooleanField(label=_("published (a public note is shown to anonymous visitors)"),
                                   required=False)

    def restriction(self) -> dict[str, object]:
        """The note's confidentiality and publication as sent (a new review left without one is internal)."""
        if not self.cleaned_data.get("confidentiality"):
            return {}
        return {"confidentiality": self.cleaned_data["confidentiality"], "published": self.cleaned_data["published"]}


class EvidenceForm(forms.Form):
    """Evidence attached to an answer: a note, a source and an incident chosen by name among those the user may
    see, a file."""

    note = forms.CharField(label=_("Evidence note"), required=False)
    source = picker_field(Source, "source", _("Source"))
    incident = picker_field(Incident, "incident", _("Incident"))
    file = forms.FileField(label=_("File"), required=False)

    def __init__(self, *args: Any, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_pickers(self, user)


class ImportForm(AccessFieldsMixin, forms.Form):
    """A file of notices, and who may read the notices it adds: public and published unless chosen otherwise (a
    list from Interpol's site is public), or restricted to the importer's clearance and case teams."""

    file = forms.FileField(label=_("File"), help_text=_(
        "Interpol API JSON, the list-level CSV or XLSX, or FollowTheMoney JSON lines"))
    full_list = forms.BooleanField(label=_("This is Interpol's complete current list"), required=False, help_text=_(
        "Active notices absent from it are marked withdrawn."))
    confidentiality = forms.ChoiceField(label=_("Confidentiality"), choices=Confidentiality.choices,
                                        initial=Confidentiality.PUBLIC)
    published = forms.BooleanField(label=_("published"), required=False, initial=True)
    teams = forms.ModelMultipleChoiceField(label=_("Case teams"), queryset=Team.objects.none(), required=False,
                                           widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_access_fields(user)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.check_access_fields(cleaned)
        return cleaned


class FetchForm(forms.Form):
    nationality = forms.CharField(label=_("Nationality"), max_length=2, required=False,
                                  help_text=_("Two-letter country code, e.g. TJ; empty: every nationality"))
    issuing_country = forms.CharField(label=_("Issuing country"), max_length=2, required=False,
                                      help_text=_("Two-letter code of the state that issued the warrant"))
    max_pages = forms.IntegerField(label=_("At most this many list pages"), min_value=1, max_value=1000,
                                   required=False, help_text=_("160 notices a page; empty: every page"))
    details = forms.BooleanField(label=_("Also fetch each notice's charges"), required=False, initial=True)


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    date = forms.CharField(label=_("Date"), max_length=10, required=False, help_text=_("YYYY, YYYY-MM or YYYY-MM-DD"))
    file = forms.FileField(label=_("File"))
