"""The import page: signed-in writers upload CSV, JSON, FollowTheMoney or a spyware-market dataset; all rows or
none, one line for a bad file, the size limit, CSRF, the confidentiality and case teams of the other imports, and
a large file imported by a worker and followed on the job's page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from shelter.jobs.models import Job
from shelter.jobs.worker import run_queued
from shelter.surveillance.models import Deployment, Product, Vendor

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
URL = "/surveillance/import/"
VENDORS = b"name,country,parent,source_title,source_url\nFictional Holding SA,LU,,Registry,https://example.org/h\n" \
          b"Fictional Spyware Ltd,CY,Fictional Holding SA,Registry,https://example.org/s\n"


def _signed_in(user: Any, **options: Any) -> Client:
    client = Client(**options)
    client.force_login(user)
    return client


def _upload(client: Client, data: bytes, name: str = "vendors.csv", **fields: Any) -> Any:
    values = {"format": "csv", "kind": "vendors", "confidentiality": "internal", **fields}
    return client.post(URL, {"file": SimpleUploadedFile(name, data), **values})


def _errors(response: Any) -> list[str]:
    return [str(e) for errors in response.context["form"].errors.values() for e in errors]


def test_a_writer_imports_a_csv_file_with_its_confidentiality_and_team(users, teams) -> None:  # type: ignore[no-untyped-def]
    client = _signed_in(users["editor"])
    assert client.get(URL).status_code == 200
    response = _upload(client, VENDORS, confidentiality="confidential", teams=[str(teams["alpha"].pk)])
    assert response.status_code == 302 and response["Location"] == URL
    spyware = Vendor.objects.get(name="Fictional Spyware Ltd")
    assert spyware.parent.name == "Fictional Holding SA" and spyware.confidentiality == "confidential"
    assert list(spyware.teams.values_list("name", flat=True)) == ["alpha"]
    assert spyware.history.first().history_user == users["editor"]
    assert "created 2 vendors" in client.get(URL).content.decode()
    again = _upload(client, VENDORS, confidentiality="confidential", teams=[str(teams["alpha"].pk)])
    assert again.status_code == 302 and Vendor.objects.count() == 2  # the same file twice changes nothing


def test_only_signed_in_writers_and_csrf_is_on(users) -> None:  # type: ignore[no-untyped-def]
    anonymous = Client().post(URL, {"file": SimpleUploadedFile("v.csv", VENDORS), "format": "csv"})
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]
    assert _upload(_signed_in(users["viewer"]), VENDORS).status_code == 403
    strict = _signed_in(users["editor"], enforce_csrf_checks=True)
    assert _upload(strict, VENDORS).status_code == 403
    assert not Vendor.objects.exists()
    assert "Import" not in _signed_in(users["viewer"]).get("/surveillance/").content.decode().split("<h1")[0]


def test_one_bad_row_writes_nothing_and_says_so_in_one_line(users) -> None:  # type: ignore[no-untyped-def]
    bad = b"name,country\nGood Vendor,IT\nBad Vendor,Atlantis\n"
    response = _upload(_signed_in(users["editor"]), bad)
    assert response.status_code == 200
    errors = _errors(response)
    assert len(errors) == 1 and "refused, nothing was written" in errors[0] and "row 3, country" in errors[0]
    assert not Vendor.objects.exists()


@pytest.mark.parametrize(("data", "fields", "expected"), [
    (b"\xff\xfename\n", {}, "not UTF-8 text"),
    (VENDORS, {"kind": ""}, "A CSV file holds one kind of record"),
    (VENDORS, {"confidentiality": "confidential"}, "needs at least one case team"),
    (b"title,colour\nx,y\n", {}, "needs the columns name"),
    (b"{not json", {"format": "json"}, "vendors.csv"),
])
def test_a_bad_file_is_one_clear_line(users, data: bytes, fields: dict[str, str], expected: str) -> None:  # type: ignore[no-untyped-def]
    response = _upload(_signed_in(users["editor"]), data, **fields)
    assert response.status_code == 200
    errors = _errors(response)
    assert len(errors) == 1 and expected in errors[0], errors
    assert not Vendor.objects.exists() and not Job.objects.exists()


def test_the_size_limit(users, settings) -> None:  # type: ignore[no-untyped-def]
    settings.MAX_UPLOAD_BYTES = 2**20
    response = _upload(_signed_in(users["editor"]), VENDORS + b"x" * 2**20)
    assert _errors(response) == ["The file is larger than the 1 MiB limit."]
    assert not Vendor.objects.exists() and not Job.objects.exists()


def test_a_dry_run_writes_nothing(users) -> None:  # type: ignore[no-untyped-def]
    client = _signed_in(users["editor"])
    assert _upload(client, VENDORS, dry_run="on").status_code == 302
    assert not Vendor.objects.exists()
    assert "would create 2 vendors" in client.get(URL).content.decode()


def test_every_format_of_the_command_is_offered(users) -> None:  # type: ignore[no-untyped-def]
    client = _signed_in(users["editor"])
    dataset = (FIXTURES / "atlantic_council_entities.csv").read_bytes()
    assert _upload(client, dataset, "entities.csv", format="atlantic-council").status_code == 302
    assert Vendor.objects.get(name="Fictional Spyware Ltd").parent.name == "Fictional Holding SA"
    carnegie = (FIXTURES / "carnegie_inventory.csv").read_bytes()
    assert _upload(client, carnegie, "inventory.csv", format="carnegie").status_code == 302
    assert Deployment.objects.filter(customer_state="UZ", kind="suspected_use").count() == 2
    exported = client.get("/surveillance/export/?format=json").content
    Vendor.objects.filter(name="Fictional Spyware Ltd").update(country="")
    assert _upload(client, exported, "surveillance.json", format="json").status_code == 302
    assert Product.objects.get(name="Extractor").capabilities == ["mobile_forensics"]
    entity = {"id": "v-1", "schema": "Company", "properties": {"name": ["Fictional FtM Vendor"], "country": ["fr"]}}
    assert _upload(client, json.dumps(entity).encode() + b"\n", "vendors.jsonl", format="ftm").status_code == 302
    assert Vendor.objects.get(name="Fictional FtM Vendor").country == "FR"


def test_a_large_file_is_imported_by_a_worker_and_followed_on_the_job_page(users, teams, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SHELTER_BACKGROUND_IMPORT_BYTES = 50
    client = _signed_in(users["editor"])
    response = _upload(client, VENDORS, confidentiality="confidential", teams=[str(teams["alpha"].pk)])
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.kind == "surveillance.import" and job.asker == users["editor"] and not Vendor.objects.exists()
    assert client.get(f"/jobs/{job.pk}/").status_code == 200
    run_queued()
    job.refresh_from_db()
    assert job.status == "done" and job.summary.startswith("vendors.csv: created 2 vendors"), job.summary
    spyware = Vendor.objects.get(name="Fictional Spyware Ltd")
    assert list(spyware.teams.values_list("name", flat=True)) == ["alpha"]
    assert spyware.history.first().history_user == users["editor"]
    assert "created 2 vendors" in client.get(f"/jobs/{job.pk}/").content.decode()


def test_a_large_bad_file_fails_its_job_in_one_line_and_writes_nothing(users, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SHELTER_BACKGROUND_IMPORT_BYTES = 20
    _upload(_signed_in(users["editor"]), b"name,country\nGood Vendor,IT\nBad Vendor,Atlantis\n")
    run_queued()
    job = Job.objects.get()
    assert job.status == "failed" and "refused, nothing was written" in job.error and "row 3, country" in job.error
    assert "\n" not in job.error.strip() and not Vendor.objects.exists()
