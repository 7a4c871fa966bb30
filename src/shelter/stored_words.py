"""Words Shelter itself stores in records (a timeline's "first imported", a history entry's "deleted") are kept in
English, so records and the API read the same in every language, and are said in the reader's language when shown.

A module declares each form once (``gettext_noop``, so the catalogue has it) and registers it, with a function for
any parameter whose stored English needs saying again (a field's name, a choice's label); ``written`` stores a form
in English, ``said`` recognises a stored text by its form and says it in the active language. A text no form
matches (what a person typed) is shown as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.utils import translation

Sayer = Callable[[str], str]

_FORMS: dict[str, tuple[re.Pattern[str], dict[str, Sayer]]] = {}


def _pattern(form: str) -> re.Pattern[str]:
    parts = re.split(r"%\((\w+)\)s", form)
    return re.compile("".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)))


def register(form: str, **sayers: Sayer) -> str:
    """Make ``form`` known to ``said``; ``sayers`` say a parameter's stored English again. Returns ``form``."""
    _FORMS[form] = (_pattern(form), sayers)
    return form


def written(form: str, **params: Any) -> str:
    """The stored text of ``form``: English, whatever language the request that writes it speaks (a lazy label
    among ``params`` is said in English too)."""
    with translation.override("en"):
        return form % {name: str(value) for name, value in params.items()} if params else form


def said(text: str) -> str:
    """``text`` in the active language when it is a registered form, else as it is."""
    for form, (pattern, sayers) in _FORMS.items():
        found = pattern.fullmatch(text)
        if found is None:
            continue
        params = {name: sayers.get(name, str)(value) for name, value in found.groupdict().items()}
        return translation.gettext(form) % params if params else translation.gettext(form)
    return text


def forms() -> tuple[str, ...]:
    """Every registered form (for the test that each has its translations)."""
    return tuple(_FORMS)
