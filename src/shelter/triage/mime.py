"""MIME parsing of untrusted messages, in memory only.

The standard library reads every message; when it reports a defect, mail-parser (tolerant of broken
boundaries) reads it too. On real malformed messages each finds attachments the other misses, so their
findings are merged. Nothing is written to disk and nothing is rendered or executed.
"""

from __future__ import annotations

import base64
import binascii
import email
import hashlib
import logging
import re
from dataclasses import dataclass, field
from email import policy
from email.header import Header, decode_header, make_header
from email.message import Message

import mailparser  # type: ignore[import-untyped]

# mail-parser logs every defect it meets at warning level; the defects are reported as findings instead.
logging.getLogger("mailparser").setLevel(logging.ERROR)


@dataclass(frozen=True)
class Mailbox:
    display_name: str
    address: str  # lower-cased; empty when the header held no address

    @property
    def domain(self) -> str:
        return self.address.rpartition("@")[2] if "@" in self.address else ""


@dataclass(frozen=True)
class Part:
    """A decoded leaf part that is an attachment or an inline file."""

    filename: str
    content_type: str
    payload: bytes
    found_by: str  # "stdlib" | "mail-parser" | "both"

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.payload).hexdigest()


@dataclass
class ParsedMessage:
    headers: list[tuple[str, str]]
    subject: str
    from_raw: str
    sender: Mailbox
    reply_to: list[Mailbox]
    return_path: str
    text: str
    html: str
    attachments: list[Part]
    defects: set[str] = field(default_factory=set)
    parser_disagreement: list[str] = field(default_factory=list)

    def header_values(self, name: str) -> list[str]:
        lowered = name.lower()
        return [value for key, value in self.headers if key.lower() == lowered]


_SURROGATE_ESCAPE = re.compile("[\udc80-\udcff]")


def repair_raw_bytes(value: str) -> str:
    """Headers with raw 8-bit bytes (common in spam) come out of the parser as surrogate escapes: decode them."""
    if _SURROGATE_ESCAPE.search(value) is None:
        return value
    raw = value.encode("utf-8", errors="surrogateescape")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1251", errors="replace")  # the usual legacy charset of the region's mail


def decode_header_value(value: str | Header) -> str:
    """RFC 2047 decoding that never raises; raw 8-bit bytes are read as UTF-8, else CP1251."""
    if isinstance(value, str):
        value = repair_raw_bytes(value)
        if "=?" not in value:
            return _unfold(value)
    try:
        chunks = decode_header(value)
        readable = [
            (_decode_bytes(chunk, None), None) if isinstance(chunk, bytes) and charset in (None, "unknown-8bit") else
            (chunk, charset)
            for chunk, charset in chunks
        ]
        return _unfold(str(make_header(readable)))
    except (LookupError, UnicodeError, ValueError, binascii.Error, AssertionError, TypeError):
        return _unfold(str(value))


def _decode_bytes(raw: bytes, charset: str | None) -> str:
    for candidate in filter(None, (charset, "utf-8")):
        try:
            return raw.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return raw.decode("cp1251", errors="replace")


def _unfold(value: str) -> str:
    return re.sub(r"\r?\n[ \t]*", " ", value).strip()


_ANGLE_ADDRESS = re.compile(r"<\s*([^<>\s]*)\s*>")


def parse_mailbox(value: str) -> Mailbox:
    """The address in angle brackets is the real one; anything before it is only a display name.

    ``alice@example.com <bob@example.com>`` gives display ``alice@example.com``, address ``bob@example.com``
    (the standard library's ``parseaddr`` returns the fake one).
    """
    decoded = decode_header_value(value)
    matches = list(_ANGLE_ADDRESS.finditer(decoded))
    if matches:
        last = matches[-1]
        display = decoded[: last.start()].strip().strip('"').strip("'").strip()
        return Mailbox(display, last.group(1).strip().lower())
    candidate = decoded.strip().strip('"')
    address = candidate if "@" in candidate and " " not in candidate else ""
    return Mailbox("" if address else candidate, address.lower())


def parse_mailbox_list(value: str) -> list[Mailbox]:
    """Split a list on commas outside quotes and angle brackets."""
    decoded = decode_header_value(value)
    items: list[str] = []
    current: list[str] = []
    quoted, depth = False, 0
    for char in decoded:
        if char == '"':
            quoted = not quoted
        elif char == "<":
            depth += 1
        elif char == ">":
            depth = max(0, depth - 1)
        if char == "," and not quoted and depth == 0:
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    items.append("".join(current))
    return [box for box in (parse_mailbox(item) for item in items if item.strip()) if box.address or box.display_name]


def _decode_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:  # unknown charset name
        return payload.decode("utf-8", errors="replace")


_FILENAME_PARAMETER = re.compile(r"""(?:file)?name\*?\s*=\s*"?([^";\r\n]+)""", re.IGNORECASE)


def _filename(part: Message) -> str:
    raw = part.get_filename()
    if raw and "\ufffd" not in raw:
        return decode_header_value(raw)
    # Broken quoting (``filename="Email.htm`` with no closing quote) defeats the parameter parser.
    for header in ("Content-Disposition", "Content-Type"):
        match = _FILENAME_PARAMETER.search(decode_header_value(part.get(header) or ""))
        if match:
            return decode_header_value(match.group(1).strip())
    return ""


@dataclass
class _Walk:
    texts: list[str] = field(default_factory=list)
    htmls: list[str] = field(default_factory=list)
    attachments: list[Part] = field(default_factory=list)
    defects: set[str] = field(default_factory=set)


def _walk(message: Message) -> _Walk:
    walk = _Walk(defects={type(d).__name__ for d in message.defects})
    for part in message.walk():
        walk.defects.update(type(d).__name__ for d in part.defects)
        if part.is_multipart():
            continue
        content_type = part.get_content_type()
        filename = _filename(part)
        disposition = str(part.get("Content-Disposition") or "").lower()
        if not filename and "attachment" not in disposition and content_type in ("text/plain", "text/html"):
            (walk.htmls if content_type == "text/html" else walk.texts).append(_decode_text(part))
            continue
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes) and (filename or payload):
            walk.attachments.append(Part(filename or "(unnamed)", content_type, payload, "stdlib"))
    return walk


# When the fast legacy parser loses the multipart structure, the modern policy sometimes recovers it.
_LOST_STRUCTURE = {"StartBoundaryNotFoundDefect", "MultipartInvariantViolationDefect"}


def parse_message(raw: bytes) -> ParsedMessage:
    message = email.message_from_bytes(raw, policy=policy.compat32)
    walk = _walk(message)
    if walk.defects & _LOST_STRUCTURE:
        modern = _walk(email.message_from_bytes(raw, policy=policy.default))
        if len(modern.attachments) + len(modern.texts) + len(modern.htmls) > (
            len(walk.attachments) + len(walk.texts) + len(walk.htmls)
        ):
            modern.defects |= walk.defects
            walk = modern
    headers = [(key, decode_header_value(value)) for key, value in message.items()]
    from_raw = message.get("From", "") or ""
    parsed = ParsedMessage(
        headers=headers,
        subject=decode_header_value(message.get("Subject", "") or ""),
        from_raw=decode_header_value(from_raw),
        sender=parse_mailbox(decode_header_value(from_raw)),
        reply_to=parse_mailbox_list(decode_header_value(message.get("Reply-To", "") or "")),
        return_path=parse_mailbox(decode_header_value(message.get("Return-Path", "") or "")).address,
        text="\n".join(walk.texts),
        html="\n".join(walk.htmls),
        attachments=walk.attachments,
        defects=walk.defects,
    )
    if walk.defects:
        # The tolerant parser is built on the same standard library: on a message the standard parser
        # reads without any defect it finds the same parts, so it runs only when there is something to recover.
        _merge_tolerant_parser(raw, parsed)
    return parsed


def _merge_tolerant_parser(raw: bytes, parsed: ParsedMessage) -> None:
    try:
        tolerant = mailparser.parse_from_bytes(raw)
    except Exception as error:
        parsed.parser_disagreement.append(f"tolerant parser failed: {type(error).__name__}")
        return
    parsed.defects.update(tolerant.defects_categories or ())
    known = {part.sha256 for part in parsed.attachments}
    tolerant_hashes = set()
    for attachment in tolerant.attachments or []:
        payload = _tolerant_payload(attachment)
        if payload is None:
            continue
        digest = hashlib.sha256(payload).hexdigest()
        tolerant_hashes.add(digest)
        if digest not in known:
            name = decode_header_value(str(attachment.get("filename") or "(unnamed)"))
            content_type = str(attachment.get("mail_content_type") or "application/octet-stream")
            parsed.attachments.append(Part(name, content_type, payload, "mail-parser"))
            parsed.parser_disagreement.append(f"only the tolerant parser found attachment {name!r}")
    for index, part in enumerate(parsed.attachments):
        if part.found_by == "stdlib" and part.sha256 in tolerant_hashes:
            parsed.attachments[index] = Part(part.filename, part.content_type, part.payload, "both")
        elif part.filename != "(unnamed)" and not any(
            str(a.get("filename")) == part.filename for a in tolerant.attachments or []
        ):
            parsed.parser_disagreement.append(f"only the standard parser found attachment {part.filename!r}")
    if not parsed.text and not parsed.html:
        parsed.text = "\n".join(tolerant.text_plain or [])
        parsed.html = "\n".join(tolerant.text_html or [])


def _tolerant_payload(attachment: dict[str, object]) -> bytes | None:
    payload = attachment.get("payload")
    if not isinstance(payload, str):
        return None
    if attachment.get("binary"):
        try:
            return base64.b64decode(payload)
        except (binascii.Error, ValueError):
            return None
    return payload.encode("utf-8", errors="replace")
