"""Attachments, judged by their bytes in memory: type by magic bytes, archives listed recursively, hashes.

Nothing here writes a payload to disk, opens it with another program or executes it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from urllib.parse import unquote

from shelter.triage.catalogue import word_lists
from shelter.triage.links import Link, LinkAnalysis, analyse_link, form_host, links_in_text, read_html
from shelter.triage.store import IndicatorStore
from shelter.triage.verdict import finding, said, said_further

# Limits that keep a hostile archive (zip bomb, deep nesting) from exhausting memory or time.
MAX_DEPTH = 3
MAX_MEMBERS = 500
MAX_MEMBER_BYTES = 20_000_000
MAX_TOTAL_BYTES = 60_000_000

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_LNK = b"\x4c\x00\x00\x00\x01\x14\x02\x00"
_DOUBLE_EXTENSION = re.compile(
    r"\.(pdf|docx?|xlsx?|pptx?|jpe?g|png|gif|txt|rtf|odt|csv|html?|mp3|mp4|zip)[\s_.\-]*\.([a-z0-9]{1,5})$", re.IGNORECASE
)
_SMUGGLING = re.compile(r"document\.write\s*\(\s*(unescape|atob|decodeURIComponent)|\batob\s*\(|\bunescape\s*\(|"
                        r"new\s+Blob\s*\(|msSaveOrOpenBlob|fromCharCode|eval\s*\(", re.IGNORECASE)
_CREDENTIAL_WORDS = re.compile(r"password|passwd|sign in|log ?in|пароль|войти|parol", re.IGNORECASE)


# The kinds of program sniff finds, as the finding names them (words of a fixed set, named on a page in its language).
PROGRAMS = {"windows-executable": "windows executable", "elf-executable": "elf executable",
            "macos-executable": "macos executable", "windows-shortcut": "windows shortcut", "iso-image": "iso image"}


def sniff(payload: bytes) -> str:
    """What the bytes are, whatever the file name says."""
    head = payload[:8]
    if head.startswith(b"MZ"):
        return "windows-executable"
    if head.startswith(b"\x7fELF"):
        return "elf-executable"
    if head.startswith((b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa\xcf", b"\xca\xfe\xba\xbe")):
        return "macos-executable"
    if head.startswith(_LNK):
        return "windows-shortcut"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if head.startswith(_OLE):
        return "ole"
    if b"%PDF-" in payload[:1024]:  # readers accept the header anywhere in the first kilobyte
        return "pdf"
    if head.startswith(b"Rar!"):
        return "rar"
    if head.startswith(b"7z\xbc\xaf\x27\x1c"):
        return "7z"
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if len(payload) > 0x8006 and payload[0x8001:0x8006] == b"CD001":
        return "iso-image"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "image"
    start = payload[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<meta", b"<svg")) or (
        b"<html" in start or b"<script" in start
    ):
        return "html"
    return "other"


@dataclass
class FileFacts:
    """Safe-to-display facts about one attachment or archive member."""

    name: str
    size: int
    detected_type: str
    sha256: str
    md5: str
    sha1: str
    content_type: str = ""
    members: list[str] = field(default_factory=list)
    encrypted: bool = False
    macros: bool = False
    found_by: str = ""


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _ole_is_encrypted_ooxml(payload: bytes) -> bool:
    return "EncryptedPackage".encode("utf-16-le") in payload[:200_000]


def _has_ole_macros(payload: bytes) -> bool:
    return b"_VBA_PROJECT" in payload or "_VBA_PROJECT".encode("utf-16-le") in payload


@dataclass
class _Budget:
    bytes_left: int = MAX_TOTAL_BYTES
    members_left: int = MAX_MEMBERS


def analyse_file(
    name: str, payload: bytes, store: IndicatorStore, analysis: LinkAnalysis, depth: int = 0,
    budget: _Budget | None = None, path: str = "",
) -> FileFacts:
    """Facts and findings for one file; archives are walked in memory up to MAX_DEPTH."""
    budget = budget or _Budget()
    shown = f"{path}{name}"
    kind = sniff(payload)
    facts = FileFacts(
        name=shown,
        size=len(payload),
        detected_type=kind,
        sha256=hashlib.sha256(payload).hexdigest(),
        md5=hashlib.md5(payload, usedforsecurity=False).hexdigest(),
        sha1=hashlib.sha1(payload, usedforsecurity=False).hexdigest(),
    )
    for digest in (facts.sha256, facts.sha1, facts.md5):
        for match in store.lookup_hash(digest):
            analysis.findings.append(finding("ATT-05", f"{shown}: {match.describe()}"))
            if store.category(match.feed) == "spyware":
                analysis.spyware.add(match.collection)
    words = word_lists()
    extension = _extension(name)
    if kind in PROGRAMS:
        disguised = extension not in words.dangerous_extensions and extension not in {"dll", "bin", "sys"}
        # Programs sent by e-mail are how these campaigns install malware; none is expected.
        program = said("ATT-01", "{file} is a {program}", severity="critical", file=shown, program=PROGRAMS[kind])
        if disguised and extension:
            program = said_further(program, " disguised with the extension .{extension}", extension=extension)
        analysis.findings.append(program)
    elif extension in words.dangerous_extensions:
        analysis.findings.append(said("ATT-01", "{file}: .{extension} files can run code when opened", file=shown, extension=extension))
    double = _DOUBLE_EXTENSION.search(name[-60:])  # the tail is what matters; a bounded input keeps the regex linear
    if double and double.group(1).lower() != double.group(2).lower():
        analysis.findings.append(
            said("ATT-02", "{file}: double extension (looks like .{shown}, is .{real})", file=shown,
                 shown=double.group(1), real=double.group(2))
        )
    if kind == "zip":
        _analyse_zip(facts, payload, store, analysis, depth, budget)
    elif kind == "ole":
        _analyse_ole(facts, payload, extension, analysis)
    elif kind == "pdf":
        _analyse_pdf(facts, payload, store, analysis)
    elif kind == "html" or extension in {"htm", "html", "shtml", "xhtml", "svg"}:
        _analyse_html(shown, payload, store, analysis)
    elif kind in {"rar", "7z", "gzip"}:
        if depth > 0:
            analysis.findings.append(said("ATT-02", "{file}: {kind} archive nested inside another archive", file=shown, kind=kind))
        analysis.findings.append(
            said("ATT-01", "{file}: {kind} archive; Shelter does not list {kind} archives, so its content is unchecked",
                 severity="medium", file=shown, kind=kind)
        )
    if extension in words.macro_extensions and kind == "zip" and not facts.macros and extension.endswith("m"):
        analysis.findings.append(said("ATT-01", "{file}: macro-enabled Office file type .{extension}", file=shown,
                                             extension=extension))
    return facts


def _analyse_zip(
    facts: FileFacts, payload: bytes, store: IndicatorStore, analysis: LinkAnalysis, depth: int, budget: _Budget
) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(payload))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
        analysis.findings.append(said("EM-09", "{file}: damaged ZIP archive", severity="medium", file=facts.name))
        return
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" in names:  # an Office Open XML document, not an archive sent as such
        if any(n.lower().endswith("vbaproject.bin") for n in names):
            facts.macros = True
            analysis.findings.append(said("ATT-01", "{file}: Office document with macros (vbaProject.bin)", file=facts.name))
        return
    if depth >= MAX_DEPTH:
        analysis.findings.append(said("ATT-02", "{file}: archives nested deeper than {depth} levels", file=facts.name,
                                             depth=str(MAX_DEPTH)))
        return
    for entry in entries:
        if entry.is_dir():
            continue
        member_name = _member_name(entry)
        facts.members.append(member_name)
        if entry.flag_bits & 0x1:
            facts.encrypted = True
            analysis.findings.append(
                said("ATT-03", "{file}: {member} is password-protected (its content cannot be checked)", file=facts.name,
                     member=member_name)
            )
            member = member_name
            ext = _extension(member)
            if ext in word_lists().dangerous_extensions:
                analysis.findings.append(said("ATT-01", "{file}: contains {member} (.{extension} runs code)",
                                                     file=facts.name, member=member, extension=ext))
            continue
        budget.members_left -= 1
        if budget.members_left < 0 or entry.file_size > MAX_MEMBER_BYTES or entry.file_size > budget.bytes_left:
            analysis.findings.append(
                said("ATT-02", "{file}: {member} too large or too many members to inspect in memory", file=facts.name,
                     member=member_name)
            )
            continue
        try:
            with archive.open(entry) as stream:
                member_bytes = stream.read(MAX_MEMBER_BYTES + 1)
        except (zipfile.BadZipFile, RuntimeError, OSError, EOFError, NotImplementedError, ValueError):
            analysis.findings.append(said("EM-09", "{file}: {member} cannot be decompressed", file=facts.name,
                                                     member=member_name))
            continue
        budget.bytes_left -= len(member_bytes)
        member_kind = sniff(member_bytes)
        if member_kind in {"zip", "rar", "7z", "gzip"} and "[Content_Types].xml" not in _zip_names(member_bytes):
            analysis.findings.append(said("ATT-02", "{file}: archive {member} nested inside", file=facts.name,
                                                     member=member_name))
        inner = analyse_file(
            member_name, member_bytes, store, analysis, depth + 1, budget, path=f"{facts.name} → "
        )
        facts.members.extend(f"{member_name} → {name}" for name in inner.members)


def _member_name(entry: zipfile.ZipInfo) -> str:
    """Member names without the UTF-8 flag are read as CP437 by zipfile; Russian archivers write CP866."""
    if entry.flag_bits & 0x800 or entry.filename.isascii():
        return entry.filename
    raw = entry.filename.encode("cp437", errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp866", errors="replace")


def _zip_names(payload: bytes) -> set[str]:
    try:
        return set(zipfile.ZipFile(io.BytesIO(payload)).namelist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return set()


def _analyse_ole(facts: FileFacts, payload: bytes, extension: str, analysis: LinkAnalysis) -> None:
    if _ole_is_encrypted_ooxml(payload) or extension in {"docx", "xlsx", "pptx", "docm", "xlsm", "pptm"}:
        facts.encrypted = True
        analysis.findings.append(
            said(
                "ATT-03",
                "{file}: password-protected Office document (an encrypted container instead of a ZIP): the password"
                " usually comes in the message so that scanners cannot look inside", file=facts.name,
            )
        )
    elif _has_ole_macros(payload):
        facts.macros = True
        analysis.findings.append(said("ATT-01", "{file}: legacy Office document with macros", file=facts.name))


# PDF keywords of content that acts when the document is opened.
# What a PDF's keyword makes it hold (words of a fixed set, named on a page in its language) and how severe it is.
PDF_CONTENTS = {
    b"/JavaScript": ("JavaScript", "medium"),
    b"/JS": ("JavaScript", "medium"),
    b"/Launch": ("an action that starts a program", "high"),
    b"/EmbeddedFile": ("an embedded file", "medium"),
}
_PDF_KEYWORDS = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile)(?![A-Za-z])")
_PDF_STREAM = re.compile(rb"stream\r?\n")
_PDF_URI = re.compile(rb"/URI\s*\((.{1,2000}?)(?<!\\)\)", re.DOTALL)
MAX_PDF_STREAMS = 300
MAX_PDF_INFLATED_BYTES = 20_000_000


def _pdf_texts(payload: bytes) -> list[bytes]:
    """The PDF's raw bytes and its Flate streams inflated in memory (bounded), where links and actions hide."""
    texts = [payload]
    budget = MAX_PDF_INFLATED_BYTES
    for count, match in enumerate(_PDF_STREAM.finditer(payload)):
        if count >= MAX_PDF_STREAMS or budget <= 0:
            break
        end = payload.find(b"endstream", match.end())
        if end < 0:
            break
        inflater = zlib.decompressobj()
        try:
            inflated = inflater.decompress(payload[match.end() : end], budget)
        except zlib.error:
            continue  # not Flate, or damaged: the raw bytes are already searched
        budget -= len(inflated)
        texts.append(inflated)
    return texts


def _analyse_pdf(facts: FileFacts, payload: bytes, store: IndicatorStore, analysis: LinkAnalysis) -> None:
    if b"/Encrypt" in payload[:2_000_000]:
        facts.encrypted = True
        analysis.findings.append(said("ATT-03", "{file}: encrypted PDF (its content cannot be checked)", file=facts.name))
    active: dict[str, str] = {}
    uris: list[str] = []
    for text in _pdf_texts(payload):
        for keyword in _PDF_KEYWORDS.finditer(text):
            what, severity = PDF_CONTENTS[keyword.group(0)]
            active[what] = severity
        for uri_match in _PDF_URI.finditer(text):
            cleaned = re.sub(rb"\\\r?\n", b"", uri_match.group(1)).replace(b"\\(", b"(").replace(b"\\)", b")")
            uris.append(cleaned.decode("latin-1"))
    for what, severity in sorted(active.items()):
        analysis.findings.append(said("ATT-01", "{file}: PDF with {content}", severity=severity, file=facts.name,
                                      content=what))
    for uri in dict.fromkeys(uris):
        analyse_link(Link(uri, "", f"attachment:{facts.name}"), store, analysis)


# String literals handed to a decoder in a script: ``unescape('%3Chtml…')``, ``atob("PGh0bWw…")``.
_ENCODED_LITERAL = re.compile(r"""\b(unescape|decodeURIComponent|decodeURI|atob)\s*\(\s*(['"])([^'"]{1,5000000})\2\s*\)""")
MAX_DECODED_LAYERS = 4
MAX_DECODED_BYTES = 5_000_000


def decoded_layers(html: str) -> list[str]:
    """The page as the script would write it, decoded statically (never run): percent-escapes and base64.

    Phishing pages hide their real markup this way so that scanners see only a script; reading the
    decoded text shows the sign-in title, the form and where it sends the password.
    """
    layers = [html]
    pending = [html]
    budget = MAX_DECODED_BYTES
    while pending and len(layers) <= MAX_DECODED_LAYERS and budget > 0:
        text = pending.pop()
        for match in _ENCODED_LITERAL.finditer(text):
            decoder, literal = match.group(1), match.group(3)
            if decoder == "atob":
                try:
                    decoded = base64.b64decode(literal + "=" * (-len(literal) % 4)).decode("utf-8", errors="replace")
                except (binascii.Error, ValueError):
                    continue
            else:
                decoded = unquote(literal)
            if decoded == literal or len(layers) > MAX_DECODED_LAYERS:
                continue
            decoded = decoded[:budget]
            budget -= len(decoded)
            layers.append(decoded)
            pending.append(decoded)
    return layers


def _analyse_html(name: str, payload: bytes, store: IndicatorStore, analysis: LinkAnalysis) -> None:
    html = payload[:5_000_000].decode("utf-8", errors="replace")
    layers = decoded_layers(html)
    pages = [read_html(layer) for layer in layers]
    smuggling = _SMUGGLING.search(pages[0].script_text) or _SMUGGLING.search(html[:200_000])
    page_itself = found = said("ATT-04", "{file}: HTML page with warning signs", file=name)
    if smuggling:
        found = said_further(found, "; obfuscated script ({script})", script=smuggling.group(0).strip()[:40])
    if len(layers) > 1:
        found = said_further(found, "; hidden layers of encoded markup: {layers}", layers=str(len(layers) - 1))
    if any(page.password_inputs for page in pages):
        found = said_further(found, "; a password field")
    title = next((page.title for page in pages if page.title and _CREDENTIAL_WORDS.search(page.title)), "")
    if title:
        found = said_further(found, "; title {page_title}", page_title=repr(title[:60]))
    links = [link for page in pages for link in page.links]
    links += [link for layer in layers for link in links_in_text(layer[:500_000])]
    builders = sorted({host for link in links if (host := form_host(link.host))})
    if builders:
        found = said_further(found, "; content from {builders} (free site builders)", builders=", ".join(builders[:3]))
    if found is not page_itself:  # a warning sign was added
        analysis.findings.append(found)
    else:
        analysis.findings.append(
            said("ATT-04", "{file}: HTML attachment (opens in a browser, outside the mail program's protection)",
                 severity="low", title="HTML attachment", file=name)
        )
    for url in dict.fromkeys(link.url for link in links):
        analyse_link(Link(url, "", f"attachment:{name}"), store, analysis)
