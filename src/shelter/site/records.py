"""The record kinds the pages act on (delete, revert), and where each record is shown."""

from __future__ import annotations

from django.db import models

from shelter.incidents.models import Incident, Source
from shelter.registry.models import Organisation, Person, Relationship
from shelter.surveillance.models import Deployment, LicenceDecision, Product, Vendor

RECORD_KINDS: dict[str, type[models.Model]] = {
    "incident": Incident,
    "person": Person,
    "organisation": Organisation,
    "source": Source,
    "relationship": Relationship,
    "vendor": Vendor,
    "product": Product,
    "deployment": Deployment,
    "licence": LicenceDecision,
}


def url_of(record: models.Model) -> str:
    """Where a record is shown; a relationship is shown on its subject's page."""
    if isinstance(record, Relationship):
        return record.subject.get_absolute_url()
    return record.get_absolute_url()  # type: ignore[attr-defined]
