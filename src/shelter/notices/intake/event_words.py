"""The words Shelter itself writes in a notice's timeline and history (first imported, changed, absent from the
list…), stored in English and said in the page's language through ``shelter.stored_words``; the fields and the
origin they name are said too. A detail a person typed (a court's decision, a reference) is left as typed."""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from shelter.stored_words import register


def _origin(english: str) -> str:
    from shelter.notices.models import NoticeOrigin

    with translation.override("en"):
        found = [choice for choice in NoticeOrigin if str(choice.label) == english]
    return str(found[0].label) if found else english


def _field(name: str) -> str:
    from shelter.notices.models import Notice

    if name == "charges":
        return _(CHARGES)
    try:
        field = Notice._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return str(getattr(field, "verbose_name", name))


def _fields(names: str) -> str:
    return ", ".join(_field(name) for name in names.split(", "))


CHARGES = gettext_noop("charges")
FIRST_IMPORTED = register(gettext_noop("first imported (%(origin)s)"), origin=_origin)
LISTED_AGAIN = register(gettext_noop("listed again in an import"))
CHANGED = register(gettext_noop("changed: %(fields)s"), fields=_fields)
CHANGED_BY_HAND = register(gettext_noop("changed by hand: %(fields)s"), fields=_fields)
ABSENT_SINCE = register(gettext_noop("absent from the full list imported on %(date)s (last seen %(last_seen)s)"))
ABSENT = register(gettext_noop("absent from the full list imported on %(date)s"))
RECORDED_BY_HAND = register(gettext_noop("recorded by hand"))
EDITED_BY_HAND = register(gettext_noop("changed by hand"))
