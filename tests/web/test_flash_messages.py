"""A flash message is said in the language of the page that shows it, not of the request that made it; what a
person typed stays as typed, escaped."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_noop

from shelter.flash import SaidStorage, Sentence, shown

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "shelter"
TYPED = '<b>Decision recorded.</b> & "Co"'  # a name typed as markup, and a msgid of the catalogue
TYPED_ESCAPED = "&lt;b&gt;Decision recorded.&lt;/b&gt; &amp; &quot;Co&quot;"


def _delete_then_switch(client, organisation, made_in: str, shown_in: str) -> str:  # type: ignore[no-untyped-def]
    """Delete ``organisation`` on a page in ``made_in``, switch the interface to ``shown_in`` with the language
    form, and return the page the switch leads to (where the message is shown)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = made_in
    deleted = client.post(reverse("web:delete", args=["organisation", organisation.pk]))
    assert deleted.status_code == 302
    switched = client.post(reverse("set_language"), {"language": shown_in, "next": deleted["Location"]}, follow=True)
    assert switched.status_code == 200
    return switched.content.decode()


@pytest.mark.parametrize(
    ("level", "made_in", "shown_in", "said", "not_said"),
    [
        # the typed name is never translated ("Решение записано", "<b>Decision" would be)
        ("internal", "en", "ru", f"«{TYPED_ESCAPED}» удалено. История сохранена.",
         ("Its history is kept", "Решение записано", "<b>Decision")),
        ("public", "ru", "en", f"Deleted “{TYPED_ESCAPED}”. Its history is kept.",
         ("История сохранена", "<b>Decision")),
    ],
)
def test_a_message_is_said_in_the_language_of_the_page_that_shows_it(  # type: ignore[no-untyped-def]
        records, client_for, level, made_in, shown_in, said, not_said) -> None:
    organisation = records[level]["organisation"]
    organisation.name = TYPED
    organisation.save()
    page = _delete_then_switch(client_for("editor"), organisation, made_in, shown_in)
    assert said in page
    for text in not_said:
        assert text not in page


def test_a_sentence_is_kept_as_its_id_and_parameters(rf) -> None:  # type: ignore[no-untyped-def]
    """Kept as its id and parameters (JSON): a nested sentence and a number are said again, a text stays."""
    sentence = Sentence(gettext_noop("Saved. %(summary)s"), summary=Sentence(
        gettext_noop("%(count)s notices screened: %(candidates)s candidates you can see, "
                     "%(alerts)s alerts for people at risk"), count=3, candidates=1, alerts=0))
    stored = sentence.stored()
    assert Sentence.from_data(json.loads(stored.split(":", 1)[1])) == sentence
    with translation.override("ru"):
        assert shown(stored).startswith("Сохранено. проверено уведомлений: 3")
    with translation.override("en"):
        assert shown(stored) == ("Saved. 3 notices screened: 1 candidates you can see, 0 alerts for people at "
                                 "risk")
    assert shown("an error's own words") == "an error's own words"
    assert shown("shelter.sentence:{not json") == "shelter.sentence:{not json"

    request = rf.get("/")
    request.session = {}
    storage = SaidStorage(request)
    storage.add(25, Sentence(gettext_noop("Saved “%(name)s”."), name=TYPED))
    storage.add(40, "typed <i>error</i>")
    with translation.override("ru"):
        assert [str(message) for message in storage] == [f"«{TYPED}» сохранено.", "typed <i>error</i>"]
    # The stored messages keep the sentence, not the words of the page that listed them.
    assert [message.message for message in storage._loaded_messages][0].startswith("shelter.sentence:")


def test_every_view_says_its_messages_through_the_flash_helper() -> None:
    """A message translated when it is made (``messages.success(request, _("…"))``) would stay in the language
    of that request: views give ``shelter.flash`` the message id instead."""
    translating = {"_", "gettext", "gettext_lazy", "ngettext", "pgettext"}
    found = []
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "messages"
                    and node.func.attr in {"success", "info", "warning", "error", "debug", "add_message"}):
                continue
            for argument in node.args[1:]:
                inner = argument.left if isinstance(argument, ast.BinOp) else argument
                if isinstance(inner, ast.JoinedStr) or (
                        isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name)
                        and inner.func.id in translating):
                    found.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert not found, found
