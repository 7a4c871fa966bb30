"""The forms of the records import and export pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class RecordsImportForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_(
        "A JSON export of Shelter, FollowTheMoney entities (JSON lines), or incidents as CSV or XLSX"))
    dry_run = forms.BooleanField(label=_("Check only, write nothing"), required=False)


class RecordsExportForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=[
        ("json", _("Everything as JSON (can be imported again)")),
        ("ftm", _("FollowTheMoney entities (JSON lines)")),
        ("csv", _("Incidents as CSV")),
    ])
