"""Record forms of the surveillance pages: the same access fields and pickers as every record form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from shelter.access.models import Confidentiality, Team
from shelter.access.visibility import Viewer, visible_to
from shelter.registry.models import Organisation
from shelter.surveillance.models import Deployment, LicenceDecision, Product, Vendor
from shelter.surveillance.taxonomy import capabilities, control_entries
from shelter.web.record_forms import (
    ACCESS_FIELDS,
    ACCESS_WIDGETS,
    AccessFieldsMixin,
    country_field,
    limit_pickers,
    picker_field,
)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class _LinesField(forms.CharField):
    """A list of names entered one per line."""

    def __init__(self, label: Any) -> None:
        super().__init__(label=label, required=False, widget=forms.Textarea(attrs={"rows": 3}),
                         help_text=_("One per line"))

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        return _lines(str(value or ""))


class _RecordForm(AccessFieldsMixin, forms.ModelForm):
    """Visible records only in every choice of a linked vendor, product or organisation."""

    def __init__(self, *args: Any, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_fields()
        for name, field in self.fields.items():
            if isinstance(field, forms.ModelChoiceField) and name != "teams" and field.queryset is not None \
                    and field.queryset.model in (Vendor, Product):
                field.queryset = visible_to(field.queryset.model._default_manager.all(), user)
        limit_pickers(self, user)
        self.limit_access_fields(user)

    def add_fields(self) -> None:
        """Country choices in the page's language and record pickers, made per form."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.check_access_fields(cleaned)
        return cleaned


class VendorForm(_RecordForm):
    aliases = _LinesField(_("other names"))
    brands = _LinesField(_("brands"))

    class Meta:
        model = Vendor
        fields = ["name", "aliases", "brands", "country", "parent", "organisation", "description", *ACCESS_FIELDS]
        widgets = {"description": forms.Textarea(attrs={"rows": 4}), **ACCESS_WIDGETS}

    def add_fields(self) -> None:
        self.fields["country"] = country_field(_("country"))
        self.fields["organisation"] = picker_field(Organisation, "organisation", _("registry organisation"))
        if self.instance.pk:
            self.fields["parent"].queryset = self.fields["parent"].queryset.exclude(  # type: ignore[attr-defined]
                pk=self.instance.pk)


class ProductForm(_RecordForm):
    aliases = _LinesField(_("other names"))
    capabilities = forms.MultipleChoiceField(label=_("capabilities"), required=False,
                                             widget=forms.CheckboxSelectMultiple, choices=[])
    control_entries = forms.MultipleChoiceField(label=_("control-list entries"), required=False,
                                                widget=forms.CheckboxSelectMultiple, choices=[])

    class Meta:
        model = Product
        fields = ["vendor", "name", "aliases", "family", "capabilities", "control_entries", "no_control_entry",
                  "description", *ACCESS_FIELDS]
        widgets = {"description": forms.Textarea(attrs={"rows": 4}), **ACCESS_WIDGETS}

    def add_fields(self) -> None:
        self.fields["capabilities"].choices = [(c.code, c.label) for c in capabilities()]  # type: ignore[attr-defined]
        self.fields["control_entries"].choices = [  # type: ignore[attr-defined]
            (e.code, f"{e.code} ({e.list})") for e in control_entries()]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("no_control_entry") and cleaned.get("control_entries"):
            self.add_error("no_control_entry", _("A product with control-list entries cannot be stated to have none."))
        return cleaned


class DeploymentForm(_RecordForm):
    class Meta:
        model = Deployment
        fields = ["product", "kind", "customer_state", "agency", "agency_name", "date", "end_date", "description",
                  *ACCESS_FIELDS]
        widgets = {"description": forms.Textarea(attrs={"rows": 4}), **ACCESS_WIDGETS}

    def add_fields(self) -> None:
        self.fields["customer_state"] = country_field(_("customer state"), required=True)
        self.fields["agency"] = picker_field(Organisation, "organisation", _("agency (registry organisation)"))


class LicenceForm(_RecordForm):
    control_entry = forms.ChoiceField(label=_("control-list entry"), required=False, choices=[])

    class Meta:
        model = LicenceDecision
        fields = ["exporting_state", "exporter", "exporter_name", "product", "control_entry", "destination",
                  "end_user", "end_user_name", "decision", "date", "description", *ACCESS_FIELDS]
        widgets = {"description": forms.Textarea(attrs={"rows": 4}), **ACCESS_WIDGETS}

    def add_fields(self) -> None:
        self.fields["exporting_state"] = country_field(_("exporting state"), required=True)
        self.fields["destination"] = country_field(_("destination state"), required=True)
        self.fields["end_user"] = picker_field(Organisation, "organisation", _("end user (registry organisation)"))
        self.fields["control_entry"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (e.code, f"{e.code} ({e.list})") for e in control_entries()]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not cleaned.get("product") and not cleaned.get("control_entry"):
            self.add_error("product", _("Name the product or the control-list entry the decision is about."))
        return cleaned



class ImportForm(AccessFieldsMixin, forms.Form):
    """A file of vendors, products, deployments or licence decisions, imported all rows or none."""

    file = forms.FileField(label=_("File"), help_text=_("UTF-8 text: CSV, JSON, FollowTheMoney JSON lines, or a "
                                                        "spyware-market dataset as CSV"))
    format = forms.ChoiceField(label=_("Format"), choices=[
        ("csv", _("Shelter's CSV layout (one kind of record)")),
        ("json", _("Shelter's JSON layout (every kind, as the export writes it)")),
        ("ftm", _("FollowTheMoney entities (vendors)")),
        ("atlantic-council", _("Atlantic Council, spyware-market entities (CSV)")),
        ("carnegie", _("Carnegie Endowment, inventory of commercial spyware (CSV)")),
    ])
    kind = forms.ChoiceField(label=_("Records in the CSV file"), required=False, choices=[
        ("", "—"), ("vendors", _("Vendors")), ("products", _("Products")),
        ("deployments", _("Deployments and transfers")), ("licences", _("Licence decisions"))])
    confidentiality = forms.ChoiceField(label=_("Confidentiality"), choices=Confidentiality.choices,
                                        initial=Confidentiality.INTERNAL)
    teams = forms.ModelMultipleChoiceField(label=_("Case teams"), queryset=Team.objects.none(), required=False,
                                           widget=forms.CheckboxSelectMultiple)
    dry_run = forms.BooleanField(label=_("Check only, write nothing"), required=False)

    def __init__(self, *args: Any, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_access_fields(user)

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size is not None and upload.size > settings.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than the %(mb)s MiB limit.")
                                        % {"mb": settings.MAX_UPLOAD_BYTES // 2**20})
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("format") == "csv" and not cleaned.get("kind"):
            self.add_error("kind", _("A CSV file holds one kind of record: say which."))
        self.check_access_fields(cleaned)
        return cleaned
