"""Flash messages said in the language of the page that shows them, not of the request that made them.

A view says its message with the catalogue's message id (declared with ``gettext_noop``, so the catalogue has it)
and its named parameters: ``flash.success(request, gettext_noop("Saved “%(name)s”."), name=record)``. The message is
a :class:`Sentence`; :class:`SaidStorage` (``MESSAGE_STORAGE``) keeps its id and parameters between the requests, as
JSON, and says it when the page lists its messages, in that page's language. A parameter is a number, another
sentence (said in the same language), or a text kept exactly as given (what a person typed, a record's name): never
translated, never marked safe, so the page escapes it. A message that is no sentence (an error's own words, added
with ``django.contrib.messages``) is shown as it was made.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any, Union

from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.fallback import FallbackStorage
from django.http import HttpRequest
from django.utils import translation

Param = Union[str, int, float, "Sentence"]

# What a stored sentence's text begins with; the rest is its JSON.
MARK = "shelter.sentence:"


class Sentence:
    """A message id and its named parameters, said in the active language whenever it is made a string."""

    __slots__ = ("form", "params")

    def __init__(self, form: str, /, **params: Any) -> None:
        self.form = str(form)
        # A number or a sentence stays one; anything else is kept as the text it is now (a record by its name).
        self.params: dict[str, Param] = {
            name: value if isinstance(value, Sentence | int | float) and not isinstance(value, bool) else str(value)
            for name, value in params.items()}

    def __str__(self) -> str:
        params = {name: str(value) if isinstance(value, Sentence) else value for name, value in self.params.items()}
        if not params:
            return translation.gettext(self.form)
        try:
            return translation.gettext(self.form) % params
        except (KeyError, ValueError, TypeError):  # a translation that names its parameters otherwise
            return self.form % params

    def __repr__(self) -> str:
        return f"Sentence({self.form!r}, **{self.params!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sentence) and (self.form, self.params) == (other.form, other.params)

    def __hash__(self) -> int:
        return hash(self.form)

    def as_data(self) -> dict[str, Any]:
        return {"form": self.form, "params": {name: value.as_data() if isinstance(value, Sentence) else value
                                              for name, value in self.params.items()}}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Sentence:
        form, params = data["form"], data["params"]
        if not isinstance(form, str) or not isinstance(params, dict):
            raise ValueError("not a sentence")
        return cls(form, **{name: cls.from_data(value) if isinstance(value, dict) else value
                            for name, value in params.items()})

    def stored(self) -> str:
        """The text a message storage keeps."""
        return MARK + json.dumps(self.as_data(), ensure_ascii=False)


def shown(text: str) -> str:
    """A stored message's text in the active language: a stored sentence said, any other text as it is."""
    if not text.startswith(MARK):
        return text
    try:
        return str(Sentence.from_data(json.loads(text[len(MARK):])))
    except (ValueError, KeyError, TypeError, RecursionError):
        return text


class SaidStorage(FallbackStorage):
    """Django's cookie-then-session storage, keeping a :class:`Sentence` as its id and parameters and saying it in
    the language of the page that lists the messages."""

    def add(self, level: int, message: Any, extra_tags: str | None = "") -> None:
        super().add(level, message.stored() if isinstance(message, Sentence) else message, extra_tags)

    def __iter__(self) -> Iterator[Message]:
        # Copies: the stored messages keep their sentence, should the page not be the one that shows them.
        for message in super().__iter__():
            text = message.message
            yield Message(message.level, shown(text), message.extra_tags) if isinstance(text, str) else message


def add(request: HttpRequest, level: int, form: str, /, **params: Any) -> None:
    """Add the flash message ``form`` (a message id) with its ``params``, said in the language of the page that
    shows it."""
    messages.add_message(request, level, Sentence(form, **params))  # type: ignore[arg-type]


def success(request: HttpRequest, form: str, /, **params: Any) -> None:
    add(request, messages.SUCCESS, form, **params)


def info(request: HttpRequest, form: str, /, **params: Any) -> None:
    add(request, messages.INFO, form, **params)


def warning(request: HttpRequest, form: str, /, **params: Any) -> None:
    add(request, messages.WARNING, form, **params)


def error(request: HttpRequest, form: str, /, **params: Any) -> None:
    add(request, messages.ERROR, form, **params)
