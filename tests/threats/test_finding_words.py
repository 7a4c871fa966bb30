"""A finding's evidence in the page's language: the checks' own sentences (shelter.triage) are in the Russian
catalogue, and what was checked (hosts, links, addresses) is shown as it was, from a fresh check or a stored report."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext

from shelter.threats.templatetags.threat_words import SUFFIXES, finding_evidence, finding_title
from shelter.triage.links import host_findings

TRIAGE = Path(__file__).resolve().parents[2] / "src" / "shelter" / "triage"
# The message literals of said(...) and said_further(...): each call's string arguments before its keywords.
SAID = re.compile(r'said(?:_further)?\(\s*(?:\w+,\s*)?(?:"[A-Z]+-\d\d",\s*)?((?:"(?:[^"\\]|\\.)*"\s*(?:if [^\n]*\n\s*else\s*)?)+)')


def messages() -> set[str]:
    found: set[str] = set()
    for path in TRIAGE.glob("*.py"):
        for call in SAID.finditer(path.read_text(encoding="utf-8")):
            # "a" if … else "b": two messages; "a" "b" side by side: one.
            for branch in re.split(r"\bif [^\n]*\n\s*else\b", call.group(1)):
                found.add("".join(re.findall(r'"((?:[^"\\]|\\.)*)"', branch)))
    return found


def test_every_sentence_of_the_checks_has_its_russian() -> None:
    found = messages()
    assert len(found) > 25 and set(SUFFIXES) <= found
    with translation.override("ru"):
        assert not [m for m in found if gettext(m) == m]


@pytest.mark.parametrize(("host", "english", "russian"), [
    ("paypa1.com", "paypa1.com contains 'paypal' (PayPal) but does not belong to it in https://paypa1.com/x",
     "paypa1.com содержит «paypal» (PayPal), но не принадлежит ему в https://paypa1.com/x"),
    ("bit.ly", "bit.ly is a link shortener; its destination was not looked up in https://bit.ly/x",
     "bit.ly — сокращатель ссылок; куда он ведёт, не проверялось в https://bit.ly/x"),
])
def test_evidence_is_said_in_the_pages_language_fresh_or_stored(host: str, english: str, russian: str) -> None:
    (found,) = host_findings(host, context=f"https://{host}/x")
    stored = json.loads(json.dumps(found.to_dict()))
    with translation.override("en"):
        assert finding_evidence(found) == finding_evidence(stored) == english == found.evidence
    with translation.override("ru"):
        assert finding_evidence(found) == finding_evidence(stored) == russian


def test_an_older_report_without_the_message_keeps_its_english() -> None:
    (found,) = host_findings("bit.ly")
    older = {key: value for key, value in found.to_dict().items() if key not in ("message", "fields")}
    with translation.override("ru"):
        assert finding_evidence(older) == found.evidence == "bit.ly is a link shortener; its destination was not looked up"
        assert finding_title(older) != found.title  # the catalogue's Russian title still applies
