"""Import and export of surveillance records: Shelter's CSV and JSON layout, public datasets and the seed
(read by ``rows``), and FollowTheMoney.

An import writes through the services (``access.writes``): the writer's role, clearance and teams apply, links
resolve only to records the writer may see, and the whole file is one transaction: one problem and nothing is
written. A record already there (same vendor name; same product of the vendor; same deployment or decision) is
updated, not duplicated, so importing a file twice changes nothing. An export holds what the viewer may see.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from followthemoney import model as ftm_model
from followthemoney.proxy import EntityProxy

from shelter.access.models import User
from shelter.access.visibility import Viewer, visible_to
from shelter.access.writes import check_writer, describe, save_record, save_restricted, within_reach
from shelter.ftm import BadLine, entity_lines
from shelter.incidents.models import Source
from shelter.intake import InputRefused, Problem
from shelter.registry.models import Organisation
from shelter.stored_words import written
from shelter.surveillance import rows, services
from shelter.surveillance.models import (
    IMPORTED,
    Deployment,
    LicenceDecision,
    Product,
    SurveillanceCitation,
    Vendor,
)
from shelter.surveillance.rows import Batch, Row, SourceRef, add_row

MAX_PROBLEMS = 200


@dataclass
class ImportResult:
    source: str
    dry_run: bool
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    skipped: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if not self.ok:
            return f"{self.source}: refused, nothing was written ({len(self.problems)} problem(s))"
        made = ", ".join(f"{n} {kind}" for kind, n in self.created.items() if n) or "nothing new"
        changed = ", ".join(f"{n} {kind}" for kind, n in self.updated.items() if n)
        verb = "would create" if self.dry_run else "created"
        return (f"{self.source}: {verb} {made}" + (f"; updated {changed}" if changed else "")
                + (f"; {self.skipped} row(s) skipped (not vendors or transfers)" if self.skipped else ""))

    def refusal_line(self) -> str:
        """A refused import in one line: the summary and the first problem."""
        return f"{self.summary()}; first: {self.problems[0]}" if self.problems else self.summary()

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "dry_run": self.dry_run, "ok": self.ok, "created": self.created,
                "updated": self.updated, "skipped": self.skipped,
                "problems": [{"where": p.where, "field": p.field, "message": p.message} for p in self.problems]}


class _Rollback(Exception):
    pass


def _one(queryset: models.QuerySet[Any]) -> Any:
    return queryset.order_by("pk").first()


def _vendor(name: str, user: User | None) -> Vendor | None:
    if not name:
        return None
    found = within_reach(Vendor.objects.filter(name__iexact=name), user)
    return _one(found) or next((v for v in within_reach(Vendor.objects.filter(aliases__icontains=name), user)
                                if name.casefold() in (a.casefold() for a in v.aliases)), None)


def _product(vendor_name: str, name: str, user: User | None) -> Product | None:
    products = within_reach(Product.objects.filter(Q(name__iexact=name) | Q(family__iexact=name)), user)
    vendor = _vendor(vendor_name, user) if vendor_name else None
    if vendor is not None:
        products = products.filter(vendor=vendor)
    return _one(products)


def _organisation(name: str, user: User | None) -> Organisation | None:
    return _one(within_reach(Organisation.objects.filter(name__iexact=name), user)) if name else None


def _source(ref: SourceRef, user: User | None, defaults: dict[str, Any]) -> Source:
    """The visible source with this URL (or, without one, this title), or a new one filed like the record."""
    found = within_reach(Source.objects.filter(url=ref.url) if ref.url else Source.objects.filter(title=ref.title),
                       user)
    source = _one(found)
    if source is None:
        source = Source(title=ref.title[:300], url=ref.url, publisher=ref.publisher[:200], kind="report")
        save_restricted(source, defaults, user, reason=written(IMPORTED))
    return source


def _cite(record: models.Model, refs: tuple[SourceRef, ...], user: User | None, defaults: dict[str, Any]) -> None:
    owner = services.CITABLE[type(record)]
    for ref in refs:
        source = _source(ref, user, defaults)
        if not SurveillanceCitation.objects.filter(source=source, **{owner: record}, locator=ref.locator).exists():
            save_record(SurveillanceCitation(source=source, locator=ref.locator[:500], **{owner: record}), user)


def _write(row: Row, user: User | None, defaults: dict[str, Any]) -> tuple[models.Model, bool]:
    """The record of ``row``, created or updated through the services; True when it was created."""
    values = {**defaults, **row.values}
    if row.kind == "vendors":
        parent = values.pop("parent", "")
        found = _vendor(parent, user)
        values["parent"] = found.pk if found else None
        if parent and found is None:
            values["parent"] = services.save_vendor(user, {**defaults, "name": parent}).pk
        existing = _vendor(values["name"], user)
        return services.save_vendor(user, values, existing), existing is None
    if row.kind == "products":
        vendor = _vendor(values["vendor"], user)
        if vendor is None:
            raise ValidationError({"vendor": f"no vendor named '{values['vendor']}' (in the file or the records)"})
        values["vendor"] = vendor.pk
        existing = _one(within_reach(Product.objects.filter(vendor=vendor, name__iexact=values["name"]), user))
        return services.save_product(user, values, existing), existing is None
    if row.kind == "deployments":
        product = _product(values.pop("vendor", ""), values["product"], user)
        if product is None:
            raise ValidationError({"product": f"no product named '{values['product']}' (in the file or the records)"})
        values["product"] = product.pk
        agency_name = values.pop("agency", "")
        agency = _organisation(agency_name, user)
        values["agency"] = agency.pk if agency else None
        values["agency_name"] = "" if agency else agency_name
        same = Deployment.objects.filter(product=product, kind=values["kind"], customer_state=values["customer_state"],
                                         agency=agency, agency_name=values["agency_name"],
                                         date=values.get("date", ""))
        existing = _one(within_reach(same, user))
        return services.save_deployment(user, values, existing), existing is None
    product_name = values.pop("product", "")
    product = _product("", product_name, user) if product_name else None
    if product_name and product is None:
        raise ValidationError({"product": f"no product named '{product_name}' (in the file or the records)"})
    values["product"] = product.pk if product else None
    exporter_name = values.pop("exporter", "")
    exporter = _vendor(exporter_name, user)
    values["exporter"], values["exporter_name"] = (exporter.pk, "") if exporter else (None, exporter_name)
    end_user_name = values.pop("end_user", "")
    end_user = _organisation(end_user_name, user)
    values["end_user"], values["end_user_name"] = (end_user.pk, "") if end_user else (None, end_user_name)
    same_licence = LicenceDecision.objects.filter(
        exporting_state=values["exporting_state"], destination=values["destination"], decision=values["decision"],
        product=product, control_entry=values.get("control_entry", ""), date=values.get("date", ""),
        end_user=end_user, end_user_name=values["end_user_name"])
    existing = _one(within_reach(same_licence, user))
    return services.save_licence(user, values, existing), existing is None


def read_batch(handle: IO[str], fmt: str, kind: str | None, source: str) -> Batch:
    """The rows of a file in one of :data:`FORMATS` (a CSV file holds the one ``kind`` of record)."""
    if fmt == "csv":
        if kind not in rows.KINDS:
            raise InputRefused("a CSV file holds one kind of record: say which (vendors, products, deployments "
                                "or licences)")
        return rows.read_csv(str(kind), handle, source)
    if fmt == "json":
        return rows.read_json(handle.read(), source)
    if fmt == "ftm":
        return read_ftm(handle.readlines())
    if fmt in rows.READERS:
        return rows.READERS[fmt](handle, source)
    raise InputRefused(f"unknown format '{fmt}'; expected one of {', '.join(rows.FORMATS)}")


def read_upload(data: bytes, fmt: str, kind: str | None, source: str) -> Batch:
    """The rows of an uploaded file; InputRefused for one above the upload limit or not UTF-8 text."""
    if len(data) > settings.MAX_UPLOAD_BYTES:
        raise InputRefused(f"the file is larger than the {settings.MAX_UPLOAD_BYTES // 2**20} MiB limit "
                            "(SHELTER_MAX_UPLOAD_MB)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputRefused(f"the file is not UTF-8 text (byte {error.start})") from None
    return read_batch(io.StringIO(text, newline=""), fmt, kind, source)


def import_batch(batch: Batch, user: User | None, *, source: str, dry_run: bool = False,
                 confidentiality: str = "internal", teams: list[str] | None = None,
                 on_progress: Callable[[int], None] | None = None) -> ImportResult:
    """Write every row of ``batch`` (vendors first, then products, deployments, licences) or nothing.
    ``on_progress(rows)`` is told of the rows written as it goes."""
    check_writer(user)
    result = ImportResult(source, dry_run, skipped=batch.skipped)
    result.problems.extend(batch.problems[:MAX_PROBLEMS])
    if result.problems:
        return result
    defaults: dict[str, Any] = {"confidentiality": confidentiality}
    if teams is not None:
        defaults["teams"] = teams
    try:
        with transaction.atomic():
            for kind in ("vendors", "products", "deployments", "licences"):
                result.created[kind] = result.updated[kind] = 0
                rows = batch.of(kind)
                if kind == "vendors":  # parent companies first, so that a parent in the file is found by name
                    rows.sort(key=lambda row: bool(row.values.get("parent")))
                for row in rows:
                    try:
                        record, created = _write(row, user, defaults)
                        _cite(record, row.sources, user, defaults)
                    except ValidationError as error:
                        result.problems.append(Problem(row.where, "", describe(error)))
                        if len(result.problems) >= MAX_PROBLEMS:
                            raise _Rollback from None
                        continue
                    result.created[kind] += int(created)
                    result.updated[kind] += int(not created)
                    if on_progress is not None:
                        on_progress(1)
            if result.problems or dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return result


# --------------------------------------------------------------------------------------------------------
# Export


def _sources_of(record: models.Model, viewer: Viewer) -> list[dict[str, str]]:
    owner = services.CITABLE[type(record)]
    citations = visible_to(SurveillanceCitation.objects.filter(**{owner: record}), viewer).select_related("source")
    return [{"title": c.source.title, "url": c.source.url, "locator": c.locator, "publisher": c.source.publisher}
            for c in citations]


def exported(viewer: Viewer) -> dict[str, list[dict[str, Any]]]:
    """Every record the viewer may see, in the import's layout (links by name), with its sources."""
    vendors = visible_to(Vendor.objects.all(), viewer)
    visible_vendor_ids = set(vendors.values_list("pk", flat=True))
    data: dict[str, list[dict[str, Any]]] = {"vendors": [], "products": [], "deployments": [], "licences": []}
    for v in vendors.select_related("parent"):
        data["vendors"].append({"id": v.pk, "name": v.name, "aliases": v.aliases, "brands": v.brands,
                                "country": v.country, "description": v.description,
                                "parent": v.parent.name if v.parent_id in visible_vendor_ids and v.parent else "",
                                "sources": _sources_of(v, viewer)})
    for p in visible_to(Product.objects.select_related("vendor"), viewer):
        data["products"].append({"id": p.pk, "vendor": p.vendor.name, "name": p.name, "aliases": p.aliases,
                                 "family": p.family, "capabilities": p.capabilities,
                                 "control_entries": p.control_entries, "no_control_entry": p.no_control_entry,
                                 "description": p.description, "sources": _sources_of(p, viewer)})
    for d in visible_to(Deployment.objects.select_related("product", "product__vendor", "agency"), viewer):
        data["deployments"].append({"id": d.pk, "vendor": d.product.vendor.name, "product": d.product.name,
                                    "kind": d.kind, "customer_state": d.customer_state, "agency": d.agency_label,
                                    "date": d.date, "end_date": d.end_date, "description": d.description,
                                    "sources": _sources_of(d, viewer)})
    for lic in visible_to(LicenceDecision.objects.select_related("product", "exporter", "end_user"), viewer):
        exporter = lic.exporter.name if lic.exporter_id in visible_vendor_ids and lic.exporter else lic.exporter_name
        data["licences"].append({"id": lic.pk, "exporting_state": lic.exporting_state, "exporter": exporter,
                                 "product": lic.product.name if lic.product else "",
                                 "control_entry": lic.control_entry, "destination": lic.destination,
                                 "end_user": lic.end_user_label, "decision": lic.decision, "date": lic.date,
                                 "description": lic.description, "sources": _sources_of(lic, viewer)})
    return data


def export_json(viewer: Viewer) -> str:
    return json.dumps(exported(viewer), ensure_ascii=False, indent=2)


def _entity(schema: str, kind: str, pk: int) -> EntityProxy:
    proxy = ftm_model.make_entity(schema)
    proxy.id = f"shelter-{kind}-{pk}"
    return proxy


def ftm_entities(viewer: Viewer) -> Iterator[EntityProxy]:
    """Vendors as Company entities (products in ``keywords``), parent companies as Ownership, deployments and
    licence decisions as Event entities involving the vendor and the agency or end user."""
    vendors = list(visible_to(Vendor.objects.all(), viewer))
    visible_ids = {v.pk for v in vendors}
    products: dict[int, list[str]] = {}
    for product in visible_to(Product.objects.all(), viewer):
        products.setdefault(product.vendor_id, []).append(product.name)
    for vendor in vendors:
        company = _entity("Company", "vendor", vendor.pk)
        company.add("name", vendor.name)
        company.add("alias", [*vendor.aliases, *vendor.brands])
        company.add("country", vendor.country.lower() or None)
        company.add("sector", "surveillance technology")
        company.add("keywords", products.get(vendor.pk, []))
        company.add("description", vendor.description or None)
        yield company
        if vendor.parent_id in visible_ids:
            ownership = _entity("Ownership", "vendor-parent", vendor.pk)
            ownership.add("owner", f"shelter-vendor-{vendor.parent_id}")
            ownership.add("asset", company.id)
            yield ownership
    for d in visible_to(Deployment.objects.select_related("product", "agency"), viewer):
        event = _entity("Event", "deployment", d.pk)
        agency = f", {d.agency_label}" if d.agency_label else ""
        event.add("name", f"{d.product.name} → {d.customer_state}{agency} ({d.kind.replace('_', ' ')})")
        event.add("date", d.date or None)
        event.add("endDate", d.end_date or None)
        event.add("country", d.customer_state.lower())
        event.add("keywords", [d.kind, d.product.name])
        event.add("involved", f"shelter-vendor-{d.product.vendor_id}")
        if d.agency_id:
            event.add("organizer", f"shelter-organisation-{d.agency_id}")
        event.add("description", d.description or None)
        yield event
    for lic in visible_to(LicenceDecision.objects.select_related("product"), viewer):
        event = _entity("Event", "licence", lic.pk)
        item = lic.product.name if lic.product else lic.control_entry
        event.add("name", f"{lic.exporting_state} licence {lic.decision}: {item} → {lic.destination}")
        event.add("date", lic.date or None)
        event.add("country", [lic.exporting_state.lower(), lic.destination.lower()])
        event.add("keywords", [f"licence {lic.decision}", lic.control_entry or None])
        if lic.exporter_id in visible_ids:
            event.add("involved", f"shelter-vendor-{lic.exporter_id}")
        if lic.end_user_id:
            event.add("involved", f"shelter-organisation-{lic.end_user_id}")
        event.add("description", lic.description or None)
        yield event


def export_ftm(viewer: Viewer) -> Iterator[str]:
    for proxy in ftm_entities(viewer):
        yield json.dumps(proxy.to_dict(), ensure_ascii=False) + "\n"


VENDOR_SCHEMATA = ("Company", "Organization", "LegalEntity")


def read_ftm(lines: list[str]) -> Batch:
    """Vendors from FollowTheMoney entities (Company, Organization, LegalEntity; parents from Ownership)."""
    batch = Batch()
    names: dict[str, str] = {}
    parents: dict[str, str] = {}
    found: list[tuple[str, str, dict[str, Any]]] = []
    for line in entity_lines(lines):
        if isinstance(line, BadLine):
            batch.problems.append(Problem(line.where, line.field, line.message))
            continue
        proxy = line.proxy
        if proxy.schema.name == "Ownership":
            owner, asset = proxy.first("owner"), proxy.first("asset")
            if owner and asset:
                parents[str(asset)] = str(owner)
            continue
        if proxy.schema.name not in VENDOR_SCHEMATA:
            batch.skipped += 1
            continue
        name = proxy.caption
        names[str(proxy.id)] = name
        countries = [c.upper() for c in proxy.get("country")]
        found.append((line.where, str(proxy.id), {
            "name": name, "aliases": [a for a in proxy.get("alias") if a != name],
            "country": countries[0] if countries else "", "description": proxy.first("description") or "",
        }))
    for where, entity_id, values in found:
        parent = names.get(parents.get(entity_id, ""), "")
        add_row("vendors", {**values, "parent": parent}, where, batch)
    return batch
