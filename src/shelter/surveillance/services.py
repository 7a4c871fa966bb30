"""Write services for vendors, products, deployments, licence decisions, their citations and incident links.

Through the audited write path (:mod:`shelter.access.writes`): role checked, values validated with errors naming
the field, linked records must be visible to the writer, atomic, recorded in history under the writer's name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from shelter.access.models import User
from shelter.access.writes import (
    assign,
    check_writer,
    remove_visible,
    save_record,
    save_restricted,
    visible_record,
)
from shelter.incidents.models import Incident, Source
from shelter.registry.models import Organisation
from shelter.surveillance.models import (
    Deployment,
    IncidentProduct,
    LicenceDecision,
    Product,
    SurveillanceCitation,
    Vendor,
)

VENDOR_FIELDS = ("name", "aliases", "brands", "country", "description")
PRODUCT_FIELDS = ("name", "aliases", "family", "capabilities", "control_entries", "no_control_entry", "description")
DEPLOYMENT_FIELDS = ("kind", "customer_state", "agency_name", "date", "end_date", "description")
LICENCE_FIELDS = ("exporting_state", "exporter_name", "control_entry", "destination", "end_user_name", "decision",
                  "date", "description")

# record field -> (model it links to, may be cleared)
VENDOR_LINKS = {"parent": (Vendor, True), "organisation": (Organisation, True)}
PRODUCT_LINKS = {"vendor": (Vendor, False)}
DEPLOYMENT_LINKS = {"product": (Product, False), "agency": (Organisation, True)}
LICENCE_LINKS = {"exporter": (Vendor, True), "product": (Product, True), "end_user": (Organisation, True)}

CITABLE: dict[type[models.Model], str] = {Vendor: "vendor", Product: "product", Deployment: "deployment",
                                          LicenceDecision: "licence"}


def _links(record: models.Model, data: Mapping[str, Any], links: Mapping[str, tuple[type[models.Model], bool]],
           user: User | None) -> None:
    """Set each linked record named by id in ``data``; only a record the writer may see can be linked."""
    for field, (model, clearable) in links.items():
        if field not in data:
            continue
        value = data[field]
        if isinstance(value, models.Model):
            value = value.pk
        if value in (None, ""):
            if clearable:
                setattr(record, field, None)
            continue
        setattr(record, field, visible_record(model, value, user, field))


def _save(record: Any, data: Mapping[str, Any], fields: tuple[str, ...],
          links: Mapping[str, tuple[type[models.Model], bool]], user: User | None) -> Any:
    assign(record, data, fields)
    _links(record, data, links, user)
    save_restricted(record, data, user)
    return record


@transaction.atomic
def save_vendor(user: User | None, data: Mapping[str, Any], vendor: Vendor | None = None) -> Vendor:
    check_writer(user)
    vendor = vendor or Vendor()
    _save(vendor, data, VENDOR_FIELDS, VENDOR_LINKS, user)
    if vendor.parent_id == vendor.pk:
        raise ValidationError({"parent": "a vendor cannot be its own parent company"})
    return vendor


@transaction.atomic
def save_product(user: User | None, data: Mapping[str, Any], product: Product | None = None) -> Product:
    check_writer(user)
    product = product or Product()
    if product.pk is None and data.get("vendor") in (None, ""):
        raise ValidationError({"vendor": "name the vendor (a vendor id)"})
    return _save(product, data, PRODUCT_FIELDS, PRODUCT_LINKS, user)


@transaction.atomic
def save_deployment(user: User | None, data: Mapping[str, Any], deployment: Deployment | None = None) -> Deployment:
    check_writer(user)
    deployment = deployment or Deployment()
    if deployment.pk is None and data.get("product") in (None, ""):
        raise ValidationError({"product": "name the product (a product id)"})
    return _save(deployment, data, DEPLOYMENT_FIELDS, DEPLOYMENT_LINKS, user)


@transaction.atomic
def save_licence(user: User | None, data: Mapping[str, Any],
                 licence: LicenceDecision | None = None) -> LicenceDecision:
    check_writer(user)
    licence = licence or LicenceDecision()
    _save(licence, data, LICENCE_FIELDS, LICENCE_LINKS, user)
    if not licence.product_id and not licence.control_entry:
        raise ValidationError({"product": "name the product or the control-list entry the decision is about"})
    return licence


# The record endpoints factory's signatures: create(user, data), update(user, record, data).
def create_vendor(user: User, data: Mapping[str, Any]) -> Vendor:
    return save_vendor(user, data)


def update_vendor(user: User, vendor: Vendor, data: Mapping[str, Any]) -> Vendor:
    return save_vendor(user, data, vendor)


def create_product(user: User, data: Mapping[str, Any]) -> Product:
    return save_product(user, data)


def update_product(user: User, product: Product, data: Mapping[str, Any]) -> Product:
    return save_product(user, data, product)


def create_deployment(user: User, data: Mapping[str, Any]) -> Deployment:
    return save_deployment(user, data)


def update_deployment(user: User, deployment: Deployment, data: Mapping[str, Any]) -> Deployment:
    return save_deployment(user, data, deployment)


def create_licence(user: User, data: Mapping[str, Any]) -> LicenceDecision:
    return save_licence(user, data)


def update_licence(user: User, licence: LicenceDecision, data: Mapping[str, Any]) -> LicenceDecision:
    return save_licence(user, data, licence)


def set_citations(user: User | None, record: models.Model, citations: Iterable[Mapping[str, Any]]) -> None:
    """Replace the citations of a vendor, product, deployment or licence decision (the ones the writer sees)."""
    owner_field = CITABLE[type(record)]
    remove_visible(SurveillanceCitation.objects.filter(**{owner_field: record}), user)
    for index, entry in enumerate(citations):
        source = visible_record(Source, entry.get("source"), user, f"citations[{index}].source")
        citation = SurveillanceCitation(source=source, **{owner_field: record})
        assign(citation, entry, ("locator",))
        try:
            save_record(citation, user)
        except ValidationError as error:
            raise ValidationError({f"citations[{index}]": error.messages}) from None


@transaction.atomic
def link_incident(user: User | None, incident_id: Any, product_id: Any, note: str = "") -> IncidentProduct:
    """Name the product used in an incident of any tactic; both must be visible to the writer."""
    check_writer(user)
    incident = visible_record(Incident, incident_id, user, "incident")
    product = visible_record(Product, product_id, user, "product")
    link = IncidentProduct.objects.filter(incident=incident, product=product).first() \
        or IncidentProduct(incident=incident, product=product)
    link.note = note
    return save_record(link, user, exclude=("incident", "product") if link.pk else ())


@transaction.atomic
def unlink_incident(user: User | None, incident_id: Any, product_id: Any) -> None:
    check_writer(user)
    incident = visible_record(Incident, incident_id, user, "incident")
    product = visible_record(Product, product_id, user, "product")
    remove_visible(IncidentProduct.objects.filter(incident=incident, product=product), user)
