"""XLSX workbooks that unpack to far more than they weigh are refused before they are read (finding 8): a 1 MB
workbook whose shared strings unpack to 1 GB, and one with millions of tiny shared strings, by every reader."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
from click.testing import CliRunner
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from shelter.access.models import ApiToken
from shelter.archives import ArchiveLimits, ArchiveRefused, check_archive

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
PARTS = {
    "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{TYPE}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{TYPE}.worksheet+xml"/>'
    f'<Override PartName="/xl/strings.xml" ContentType="{TYPE}.sharedStrings+xml"/></Types>',
    "_rels/.rels": f'<Relationships xmlns="{RELS}">'
    f'<Relationship Id="rId1" Type="{DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{DOC}"><sheets>'
    '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{RELS}">'
    f'<Relationship Id="rId1" Type="{DOC}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{DOC}/sharedStrings" Target="strings.xml"/></Relationships>',
}
NOTICE_HEADER = ["entity_id", "forename", "name", "date_of_birth", "nationalities"]
NOTICE_ROW = ["2019/34876", "ABDUKARIM", "AYUBOV", "1983/04/05", "TJ"]
INCIDENT_HEADER = ["title", "tactic", "date", "origin_state", "host_country"]
INCIDENT_ROW = ["Detained at the airport", "detention", "2019", "UZ", "DE"]
GIB = 1024 ** 3


def workbook(header: list[str], rows: list[list[str]], filler: bytes = b"", repeats: int = 0) -> bytes:
    """An XLSX workbook whose cells are shared strings (in a part named as [Content_Types].xml says, as any
    workbook may), followed by ``filler`` (unreferenced <si> elements) ``repeats`` times.

    The filler is compressed once and the copies repeated: each is flushed so that it stands alone, so a
    gigabyte of strings costs a millisecond and a megabyte on disk, as an attacker would build it."""
    texts = [*header, *(cell for row in rows for cell in row)]
    cells = iter(range(len(texts)))
    sheet_rows = "".join(f'<row r="{number}">' + "".join(f'<c t="s"><v>{next(cells)}</v></c>' for _ in row)
                         + "</row>" for number, row in enumerate([header, *rows], start=1))
    head = (f'<sst xmlns="{MAIN}">' + "".join(f"<si><t>{escape(text)}</t></si>" for text in texts)).encode()
    tail = b"</sst>"
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    compressed_head = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    compressed_filler = compressor.compress(filler) + compressor.flush(zlib.Z_FULL_FLUSH)
    deflated = compressed_head + compressed_filler * repeats + compressor.compress(tail) + compressor.flush()
    crc = zlib.crc32(head)
    for _ in range(repeats):
        crc = zlib.crc32(filler, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + len(filler) * repeats + len(tail)

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in PARTS.items():
            archive.writestr(name, text)
        archive.writestr("xl/worksheets/sheet1.xml",
                         f'<worksheet xmlns="{MAIN}"><sheetData>{sheet_rows}</sheetData></worksheet>')
        # Stored as the deflated bytes, then marked deflated with the true size and checksum.
        archive.writestr(zipfile.ZipInfo("xl/strings.xml"), deflated, compress_type=zipfile.ZIP_STORED)
        strings = archive.getinfo("xl/strings.xml")
    data = bytearray(out.getvalue())
    local = strings.header_offset
    struct.pack_into("<H", data, local + 8, zipfile.ZIP_DEFLATED)
    struct.pack_into("<I", data, local + 14, crc)
    struct.pack_into("<I", data, local + 22, size)
    central = data.rindex(b"xl/strings.xml") - 46  # the central directory's entry, its name at offset 46
    assert data[central:central + 4] == b"PK\x01\x02"
    struct.pack_into("<H", data, central + 10, zipfile.ZIP_DEFLATED)
    struct.pack_into("<I", data, central + 16, crc)
    struct.pack_into("<I", data, central + 24, size)
    return bytes(data)


def gigabyte_bomb(header: list[str], row: list[str]) -> bytes:
    filler = b"<si><t>" + b"A" * (8 * 1024 * 1024) + b"</t></si>"
    return workbook(header, [row], filler, GIB // len(filler) + 1)


def strings_bomb(header: list[str], row: list[str]) -> bytes:
    """Three million one-letter shared strings: 51 MB unpacked, under the size limit, 125 KB on disk."""
    return workbook(header, [row], b"<si><t>A</t></si>" * 1_000_000, 3)


@pytest.fixture(scope="module")
def notice_bomb() -> bytes:
    return gigabyte_bomb(NOTICE_HEADER, NOTICE_ROW)


def test_the_bombs_are_what_they_claim(tmp_path: Path, notice_bomb: bytes) -> None:
    assert len(notice_bomb) < 1.2 * 1024 * 1024
    with zipfile.ZipFile(io.BytesIO(notice_bomb)) as archive:
        assert archive.getinfo("xl/strings.xml").file_size > GIB
        with archive.open("xl/strings.xml") as stream:
            assert stream.read(200).startswith(f'<sst xmlns="{MAIN}"><si><t>entity_id</t></si>'.encode())
    strings = strings_bomb(NOTICE_HEADER, NOTICE_ROW)
    assert len(strings) < 200_000
    with zipfile.ZipFile(io.BytesIO(strings)) as archive:
        assert archive.read("xl/strings.xml").count(b"<si>") == 3_000_010
    # A workbook under the limits is read whole, by openpyxl too.
    honest = tmp_path / "honest.xlsx"
    honest.write_bytes(workbook(NOTICE_HEADER, [NOTICE_ROW], b"<si><t>A</t></si>", 10))
    check_archive(honest)
    from shelter.notices.intake.formats.interpol_list import read_xlsx

    assert [notice.entity_id for notice in read_xlsx(honest)] == ["2019/34876"]


def test_check_archive_refuses_by_declared_size_shared_strings_and_members(tmp_path: Path,
                                                                           notice_bomb: bytes) -> None:
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(notice_bomb)
    with pytest.raises(ArchiveRefused, match=r"unpacks to 1,02\d MiB, more than the 100 MiB allowed"):
        check_archive(bomb)
    strings = tmp_path / "strings.xlsx"
    strings.write_bytes(strings_bomb(NOTICE_HEADER, NOTICE_ROW))
    with pytest.raises(ArchiveRefused, match=r"more than 1,000,000 distinct texts \(shared strings\)"):
        check_archive(strings)
    with pytest.raises(ArchiveRefused, match="holds 6 files, more than the 5 allowed"):
        check_archive(strings, ArchiveLimits(unpacked_bytes=GIB, members=5))
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(notice_bomb[:5000])
    with pytest.raises(ArchiveRefused, match="not a readable XLSX workbook or ZIP archive"):
        check_archive(truncated)


def test_a_workbook_declaring_a_document_type_is_refused(tmp_path: Path) -> None:
    laughs = b'<!DOCTYPE sst [<!ENTITY a "AAAAAAAAAA"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    data = workbook(NOTICE_HEADER, [NOTICE_ROW])
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    parts["xl/strings.xml"] = laughs + parts["xl/strings.xml"]
    path = tmp_path / "laughs.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    with pytest.raises(ArchiveRefused, match="declares a document type"):
        check_archive(path)


# --- every reader -------------------------------------------------------------------------------------


def _api(user: Any) -> Client:
    return Client(headers={"Authorization": f"Bearer {ApiToken.issue(user)}"})


@pytest.mark.django_db
@pytest.mark.parametrize("bomb", ["gigabyte", "strings"])
def test_the_notice_import_api_refuses_a_workbook_bomb(users, notice_bomb: bytes, bomb: str) -> None:  # type: ignore[no-untyped-def]
    from shelter.notices.models import Notice

    body = notice_bomb if bomb == "gigabyte" else strings_bomb(NOTICE_HEADER, NOTICE_ROW)
    response = _api(users["admin"]).post(
        "/api/v1/notices/import", body,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert response.status_code == 400, response.content
    assert "refused" in response.json()["detail"] and not Notice.objects.exists()


@pytest.mark.django_db
def test_the_notice_import_page_refuses_a_workbook_bomb(users, notice_bomb: bytes) -> None:  # type: ignore[no-untyped-def]
    from shelter.notices.models import Notice

    client = Client()
    client.force_login(users["admin"])
    response = client.post("/notices/import/", {"file": SimpleUploadedFile("list.xlsx", notice_bomb),
                                               "confidentiality": "public", "published": "on"})
    assert response.status_code == 200
    assert "more than the 100 MiB allowed" in response.content.decode() and not Notice.objects.exists()


@pytest.mark.django_db
def test_the_notice_import_command_refuses_a_workbook_bomb(tmp_path: Path, notice_bomb: bytes) -> None:
    from shelter.notices.cli import notices

    path = tmp_path / "list.xlsx"
    path.write_bytes(notice_bomb)
    result = CliRunner().invoke(notices, ["import", "--no-screen", str(path)])
    assert result.exit_code != 0 and "more than the 100 MiB allowed" in result.output


@pytest.mark.django_db
@pytest.mark.parametrize("bomb", ["gigabyte", "strings"])
def test_the_incident_import_refuses_a_workbook_bomb(tmp_path: Path, bomb: str) -> None:
    from shelter.cli import main
    from shelter.incidents.models import Incident

    path = tmp_path / "incidents.xlsx"
    make = gigabyte_bomb if bomb == "gigabyte" else strings_bomb
    path.write_bytes(make(INCIDENT_HEADER, INCIDENT_ROW))
    result = CliRunner().invoke(main, ["import", str(path)])
    assert result.exit_code != 0 and "refused" in result.output, result.output
    assert not Incident.objects.exists()


@pytest.mark.django_db
def test_a_notice_upload_over_the_size_limit_is_refused_whatever_the_server(users, settings) -> None:  # type: ignore[no-untyped-def]
    from shelter.notices.models import Notice

    settings.MAX_UPLOAD_BYTES = 1024 * 1024
    rows = "".join(f"2019/{number},A,B,1970,RU\n" for number in range(60_000))
    upload = SimpleUploadedFile("list.csv", (",".join(NOTICE_HEADER) + "\n" + rows).encode())
    assert upload.size > settings.MAX_UPLOAD_BYTES
    response = _api(users["admin"]).post("/api/v1/notices/import", {"file": upload})
    assert response.status_code == 400 and "larger than the 1 MiB limit" in response.json()["detail"]
    assert not Notice.objects.exists()


@pytest.mark.django_db
def test_a_backup_that_would_unpack_beyond_the_free_space_is_refused_before_unpacking(tmp_path: Path, monkeypatch,  # type: ignore[no-untyped-def]
                                                                                      notice_bomb: bytes) -> None:
    import shutil

    from shelter.connectors.backup import BackupError, restore_backup

    path = tmp_path / "backup.zip"
    path.write_bytes(notice_bomb)  # a gigabyte behind a megabyte, as a member of a backup would be
    real = shutil.disk_usage
    monkeypatch.setattr(shutil, "disk_usage", lambda where: real(where)._replace(free=512 * 1024 * 1024))
    with pytest.raises(BackupError, match=r"unpacks to 1,02\d MiB, more than the 512 MiB allowed \(the free disk"):
        restore_backup(path)
